// @vitest-environment jsdom
import { describe, it, expect, beforeEach, vi } from 'vitest';
import { setClient } from '../../../../renderer/transport/client';
import { usePreparedDevices } from '../../../../renderer/app/prepared-devices';
import { useProvisioningStore } from '../../../../renderer/features/provisioning/provisioning-store';
import { channels, events } from '../../../../shared/contract/index';
import type { DeviceRunSnapshot, RunSnapshot } from '../../../../shared/contract/provisioning';
import { ok } from '../../../../shared/contract/result';
import { fakeClient } from '../../../support/renderer/fake-client';
import { useNotifications } from '../../../../renderer/app/notifications-store';
import { deviceRun as dev } from '../../../support/renderer/run-snapshots';

const snapshot = (runId: string, devices: DeviceRunSnapshot[], extra: Partial<RunSnapshot> = {}): RunSnapshot => ({
  runId,
  startedAt: new Date().toISOString(),
  concurrency: 2,
  devCert: { name: 'dev' },
  updateCert: { name: 'upd' },
  devices,
  passed: 0,
  failed: 0,
  cancelled: 0,
  finished: false,
  ...extra,
});

describe('provisioning store', () => {
  beforeEach(() => {
    usePreparedDevices.setState({ prepared: [] });
    useProvisioningStore.setState({ run: null, live: {}, labels: {} });
  });

  it('starts a run, follows its events, and retries exactly the failed devices', async () => {
    const runs: Record<string, RunSnapshot> = {
      r1: snapshot('r1', [dev('mdns:a@eth0'), dev('mdns:b@eth0')]),
      r2: snapshot('r2', [dev('mdns:b@eth0')], { retryOf: 'r1' }),
    };
    const { client, calls, emit } = fakeClient()
      .answer(channels.provisioning.start, () => ok({ runId: 'r1', warnings: [] }))
      .answer(channels.provisioning.run, (req) => ok(runs[req.runId]!))
      .answer(channels.provisioning.retryFailed, () => ok({ runId: 'r2' }));
    setClient(client);
    usePreparedDevices.getState().prepare([
      { ref: { address: '169.254.20.1', id: 'mdns:a@eth0' }, label: 'board A' },
      { ref: { address: '169.254.20.2', id: 'mdns:b@eth0' }, label: 'board B' },
    ]);
    expect(await useProvisioningStore.getState().start({ devCert: 'dev' }, 'upd')).toBeNull();
    expect(calls.find((c) => c.name === 'provisioning:start')!.request).toEqual({
      devices: [
        { address: '169.254.20.1', id: 'mdns:a@eth0' },
        { address: '169.254.20.2', id: 'mdns:b@eth0' },
      ],
      devCert: 'dev',
      updateCert: 'upd',
    });

    emit(events.provisioning.progress, { runId: 'r1', device: 'mdns:a@eth0', stage: 'stage', progress: 0.4, message: 'uploading 2/4' });
    emit(events.provisioning.progress, { runId: 'other', device: 'mdns:a@eth0', stage: 'verify', progress: 0.9, message: 'not ours' });
    let s = useProvisioningStore.getState();
    expect(s.run!.devices[0]).toMatchObject({ state: 'running', stage: 'stage', message: 'uploading 2/4' });
    expect(s.live['mdns:a@eth0']).toMatchObject({ progress: 0.4, log: ['uploading 2/4'] });
    expect(s.labels['mdns:b@eth0']).toBe('board B');

    emit(events.provisioning.deviceFinished, {
      runId: 'r1',
      device: dev('mdns:b@eth0', { state: 'failed', stage: 'provision', error: { code: 'utility-failed', message: 'b: utility failed' } }),
    });
    expect(useProvisioningStore.getState().run!.failed).toBe(1);

    expect(await useProvisioningStore.getState().retryFailed()).toBeNull();
    expect(calls.filter((c) => c.name === 'provisioning:retry-failed')).toEqual([{ name: 'provisioning:retry-failed', request: { runId: 'r1' } }]);
    s = useProvisioningStore.getState();
    expect(s.run!.runId).toBe('r2');
    expect(s.run!.devices.map((d) => d.device)).toEqual(['mdns:b@eth0']);
    useProvisioningStore.getState().reset();
  });

  it("shows one run summary: a retry's summary replaces the earlier run's, which no longer describes the boards", async () => {
    const runs: Record<string, RunSnapshot> = {
      r5: snapshot('r5', [dev('mdns:a@eth0'), dev('mdns:b@eth0')]),
      r6: snapshot('r6', [dev('mdns:b@eth0')], { retryOf: 'r5' }),
    };
    const { client, emit } = fakeClient()
      .answer(channels.provisioning.start, () => ok({ runId: 'r5', warnings: [] }))
      .answer(channels.provisioning.run, (req) => ok(runs[req.runId]!))
      .answer(channels.provisioning.retryFailed, () => ok({ runId: 'r6' }));
    setClient(client);
    useNotifications.setState({ toasts: [] });
    useNotifications.getState().notify('error', 'Could not read the Team Store');
    usePreparedDevices.getState().prepare([
      { ref: { address: '169.254.20.1', id: 'mdns:a@eth0' }, label: 'board A' },
      { ref: { address: '169.254.20.2', id: 'mdns:b@eth0' }, label: 'board B' },
    ]);
    expect(await useProvisioningStore.getState().start({ devCert: 'dev' }, 'upd')).toBeNull();
    emit(events.provisioning.runFinished, { runId: 'r5', passed: 1, failed: 1, cancelled: 0, durationMs: 10, failures: [] });
    expect(await useProvisioningStore.getState().retryFailed()).toBeNull();
    emit(events.provisioning.runFinished, { runId: 'r6', passed: 1, failed: 0, cancelled: 0, durationMs: 10, failures: [] });
    expect(useNotifications.getState().toasts.map((t) => t.text)).toEqual(['Could not read the Team Store', 'Provisioning finished: 1 passed, 0 failed']);
    useProvisioningStore.getState().reset();
  });

  it('saves a report through a Blob download and shows errors with their message', async () => {
    const { client } = fakeClient().answer(channels.provisioning.report, (req) =>
      ok({ format: req.format, text: 'device,result\nA,passed\n', fileName: 'report.csv' }),
    );
    setClient(client);
    useProvisioningStore.setState({ run: snapshot('r9', [dev('a', { state: 'passed' })], { finished: true }) });
    const createObjectURL = vi.fn(() => 'blob:report');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    expect(await useProvisioningStore.getState().saveReport('csv')).toBeNull();
    expect(clicked).toEqual(['report.csv']);
    expect(createObjectURL).toHaveBeenCalledOnce();

    setClient(fakeClient().client);
    expect(await useProvisioningStore.getState().saveReport('json')).toMatchObject({
      code: 'unknown-channel',
      message: expect.stringContaining('provisioning:report'),
    });
  });

  it('an own-identity run sends the CA request, and the preflight answers its warnings', async () => {
    const runs: Record<string, RunSnapshot> = {
      r3: snapshot('r3', [dev('mdns:a@eth0')], { identity: { ca: { name: 'lab-ca' }, endpointTemplate: 'lab-{seq}', reissue: false } }),
    };
    const { client, calls } = fakeClient()
      .answer(channels.provisioning.start, () => ok({ runId: 'r3', warnings: [] }))
      .answer(channels.provisioning.preflight, () => ok({ warnings: ['your account does not trust the CA "lab-ca" yet'] }))
      .answer(channels.provisioning.run, (req) => ok(runs[req.runId]!));
    setClient(client);
    usePreparedDevices.getState().prepare([{ ref: { address: '169.254.20.1', id: 'mdns:a@eth0' }, label: 'board A' }]);
    const identity = { ca: 'lab-ca', endpointTemplate: 'lab-{seq}', years: 20 };
    expect(await useProvisioningStore.getState().preflight({ identity }, 'upd')).toEqual({
      warnings: ['your account does not trust the CA "lab-ca" yet'],
      error: null,
    });
    expect(await useProvisioningStore.getState().start({ identity }, 'upd')).toBeNull();
    expect(calls.find((c) => c.name === 'provisioning:start')!.request).toEqual({
      devices: [{ address: '169.254.20.1', id: 'mdns:a@eth0' }],
      identity,
      updateCert: 'upd',
    });
    expect(useProvisioningStore.getState().run?.identity?.ca.name).toBe('lab-ca');
  });
});
