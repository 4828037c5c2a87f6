// @vitest-environment jsdom
import { describe, it, expect, vi } from 'vitest';
import { setClient } from '../../../../renderer/transport/client';
import { selectedDevices, selectVisible, useDevicesStore } from '../../../../renderer/features/devices/devices-store';
import type { Device } from '../../../../shared/contract/devices';
import { channels, events } from '../../../../shared/contract/index';
import { ok } from '../../../../shared/contract/result';
import { fakeClient } from '../../../support/renderer/fake-client';

const dev = (name: string, extra: Partial<Device> = {}): Device => ({
  id: `mdns:${name}@eth0`,
  name,
  hostname: name,
  addresses: [`fe80::${name.length}%eth0`],
  port: 22,
  txt: {},
  isMbl: true,
  lastSeen: '2026-01-01T00:00:00.000Z',
  source: 'mdns',
  present: true,
  interface: 'eth0',
  favourite: false,
  ...extra,
});

describe('devices store', () => {
  it('loads, applies pushed changes (a vanished board stays, greyed; a removed manual one goes), and probes the selection', async () => {
    const fake = fakeClient()
      .answer(channels.devices.list, () =>
        ok({
          devices: [dev('a'), dev('b'), dev('m', { id: 'manual:10.0.0.9', source: 'manual', addresses: ['10.0.0.9'] })],
          discovering: true,
          interfaces: ['eth0'],
          health: { sending: 'ok', sendError: null, packetsReceived: 3, listeningSince: null },
        }),
      )
      .answer(channels.devices.probeStatus, () =>
        ok([
          { device: 'mdns:a@eth0', ok: true, provisioned: false, message: 'not provisioned' },
          { device: 'manual:10.0.0.9', ok: false, code: 'unreachable', message: '10.0.0.9 is unreachable' },
        ]),
      );
    const { calls } = fake;
    setClient(fake.client);
    await useDevicesStore.getState().load();
    expect(useDevicesStore.getState().devices.size).toBe(3);

    const emit = (p: Parameters<typeof fake.emit<typeof events.devices.changed>>[1]) => fake.emit(events.devices.changed, p);
    // batches, as the core sends them
    emit([
      { event: 'removed', device: dev('b', { present: false }) },
      { event: 'added', device: dev('c') },
    ]);
    emit([
      { event: 'removed', device: dev('m', { id: 'manual:10.0.0.9', source: 'manual' }) },
      { event: 'added', device: dev('old') },
    ]);
    emit([{ event: 'forgotten', device: dev('old', { present: false }) }]);
    // Changes are applied together on the next frame.
    expect(useDevicesStore.getState().devices.size).toBe(3);
    await vi.waitFor(() => expect(useDevicesStore.getState().devices.has('mdns:c@eth0')).toBe(true));
    const s = useDevicesStore.getState();
    expect(s.devices.get('mdns:b@eth0')!.present).toBe(false);
    expect(s.devices.has('manual:10.0.0.9')).toBe(false);
    expect(s.devices.has('mdns:old@eth0')).toBe(false);
    expect(selectVisible(s).map((d) => d.name)).toEqual(['a', 'b', 'c']);

    // Filter and select: Ctrl-click two, the filter hides one, it stays selected.
    s.click('mdns:a@eth0', {});
    useDevicesStore.getState().click('mdns:c@eth0', { toggle: true });
    useDevicesStore.getState().setFilter('c');
    expect(selectVisible(useDevicesStore.getState()).map((d) => d.name)).toEqual(['c']);
    expect(selectedDevices(useDevicesStore.getState()).map((d) => d.name)).toEqual(['c', 'a']);
    useDevicesStore.getState().setFilter('');

    expect(await useDevicesStore.getState().probeSelected()).toBeNull();
    const results = useDevicesStore.getState().lastCheck;
    expect((calls.at(-1)!.request as { devices: unknown }).devices).toEqual([
      { address: 'fe80::1%eth0', id: 'mdns:a@eth0', hostname: 'a', addresses: ['fe80::1%eth0'] },
      { address: 'fe80::1%eth0', id: 'mdns:c@eth0', hostname: 'c', addresses: ['fe80::1%eth0'] },
    ]);
    expect(Array.isArray(results) && results[0]).toMatchObject({ label: 'a', provisioned: false });
    expect(useDevicesStore.getState().probes.get('mdns:a@eth0')!.message).toBe('not provisioned');
    // An answer about a device that isn't in the selection is never pinned on another row.
    expect(useDevicesStore.getState().probes.has('mdns:c@eth0')).toBe(false);
    expect(Array.isArray(results) && results[1]).toMatchObject({ label: 'manual:10.0.0.9', ok: false });
  });

  it('takes a finished provisioning run as the newest answer for its devices, so the Provisioned column is never stale', async () => {
    const fake = fakeClient()
      .answer(channels.devices.list, () =>
        ok({
          devices: [dev('p'), dev('q')],
          discovering: true,
          interfaces: ['eth0'],
          health: { sending: 'ok', sendError: null, packetsReceived: 3, listeningSince: null },
        }),
      )
      .answer(channels.devices.probeStatus, () =>
        ok([
          { device: 'mdns:p@eth0', ok: true, provisioned: false, message: 'not provisioned' },
          { device: 'mdns:q@eth0', ok: true, provisioned: true, message: 'Device is configured correctly.' },
        ]),
      );
    setClient(fake.client);
    const store = useDevicesStore;
    await store.getState().load();
    store.getState().clearSelection();
    store.getState().selectAllVisible();
    expect(await store.getState().probeSelected()).toBeNull();
    expect(store.getState().probes.get('mdns:p@eth0')!.provisioned).toBe(false);

    const finished = (device: string, state: 'passed' | 'failed') =>
      fake.emit(events.provisioning.deviceFinished, {
        runId: 'run-1',
        device: { device, address: 'fe80::1%eth0', state, stage: state === 'passed' ? 'done' : 'provision', message: '', durationMs: 1, stages: [], log: [] },
      });
    finished('mdns:p@eth0', 'passed');
    // A failed run may have left the board half-written: the old "yes" no longer holds.
    finished('mdns:q@eth0', 'failed');
    expect(store.getState().probes.get('mdns:p@eth0')).toMatchObject({ ok: true, provisioned: true, label: 'p' });
    expect(store.getState().probes.has('mdns:q@eth0')).toBe(false);
  });
});
