import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { devicesEvents, type DeviceChange } from '../../../../../shared/contract/devices';
import { createDiscoveryService, type DiscoveryService } from '../../../../../electron/services/discovery/discovery-service';
import type { MdnsTransport } from '../../../../../electron/services/discovery/mdns-transport';
import type { IncomingRecord } from '../../../../../electron/services/discovery/record-cache';
import { EventHub } from '../../../../../electron/services/events';
import { silentLogger } from '../../../../../electron/services/log';
import { createSettingsService, type SettingsService } from '../../../../../electron/services/settings/settings-service';

/** A transport the test drives: packets are handed in, queries counted. */
function fakeTransport() {
  let listener: ((r: IncomingRecord[], link: string | string[]) => void) | undefined;
  let linkGone: ((link: string) => void) | undefined;
  const state = { queries: 0, stopped: false };
  const transport: MdnsTransport = {
    async start(l, gone) {
      listener = l;
      linkGone = gone;
    },
    query() {
      state.queries++;
    },
    links: () => ['eth0'],
    async stop() {
      state.stopped = true;
    },
  };
  return { transport, state, deliver: (records: IncomingRecord[], link: string | string[] = 'eth0') => listener!(records, link), unplug: (link: string) => linkGone!(link) };
}

function announce(name: string, opts: { ttl?: number; v6?: string; v4?: string; mbl?: boolean } = {}): IncomingRecord[] {
  const fqdn = `${name}._ssh._tcp.local`;
  const host = `${name}.local`;
  const ttl = opts.ttl ?? 120;
  return [
    { type: 'PTR', name: '_ssh._tcp.local', data: fqdn, ttl: 4500 },
    { type: 'SRV', name: fqdn, data: { target: host, port: 22 }, ttl, flush: true },
    { type: 'TXT', name: fqdn, data: opts.mbl === false ? [] : ['mblos'], ttl: 4500, flush: true },
    ...(opts.v6 ? [{ type: 'AAAA' as const, name: host, data: opts.v6, ttl, flush: true }] : []),
    ...(opts.v4 ? [{ type: 'A' as const, name: host, data: opts.v4, ttl, flush: true }] : []),
  ];
}
const goodbye = (records: IncomingRecord[]) => records.map((r) => ({ ...r, ttl: 0 }));

describe('discovery service', () => {
  let dir: string;
  let now: number;
  let events: EventHub;
  let settings: SettingsService;
  let service: DiscoveryService;
  let fake: ReturnType<typeof fakeTransport>;
  let changes: DeviceChange[];
  let hubChanges: DeviceChange[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pws-discovery-'));
    now = Date.parse('2026-11-22T00:00:00Z');
    events = new EventHub();
    settings = createSettingsService({ dataDir: dir, events });
    fake = fakeTransport();
    service = createDiscoveryService({ events, log: silentLogger, clock: () => new Date(now), settings: () => settings, transport: () => fake.transport, tickMs: 3_600_000 });
    changes = [];
    hubChanges = [];
    service.onChange((c) => changes.push(c));
    events.on(devicesEvents.changed, (c) => hubChanges.push(c));
  });
  afterEach(async () => {
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts on the first list, publishes added devices with scoped fe80 addresses, stops on stop()', async () => {
    const first = await service.list();
    expect(first).toEqual({ ok: true, value: { devices: [], discovering: true, interfaces: ['eth0'] } });
    fake.deliver(announce('mbed-linux-os-9', { v6: 'fe80::70:77ff:fe00:109' }));
    expect(changes.map((c) => [c.event, c.device.id, c.device.addresses])).toEqual([
      ['added', 'mdns:mbed-linux-os-9@eth0', ['fe80::70:77ff:fe00:109%eth0']],
    ]);
    expect(hubChanges).toEqual(changes);
    // the same packet again (another socket delivered it) is not a change
    fake.deliver(announce('mbed-linux-os-9', { v6: 'fe80::70:77ff:fe00:109' }));
    expect(changes).toHaveLength(1);
    await service.stop();
    expect(fake.state.stopped).toBe(true);
  });

  it('removes a device on goodbye but keeps it listed as not present', async () => {
    await service.start();
    const recs = announce('mbed-linux-os-1', { v4: '169.254.20.1' });
    fake.deliver(recs);
    fake.deliver(goodbye(recs));
    expect(changes.map((c) => [c.event, c.device.present])).toEqual([['added', true], ['removed', false]]);
    const list = await service.list();
    expect(list.ok && list.value.devices.map((d) => [d.id, d.present])).toEqual([['mdns:mbed-linux-os-1@eth0', false]]);
    // back again
    fake.deliver(recs);
    expect(changes.at(-1)).toMatchObject({ event: 'added', device: { present: true } });
  });

  it('expires a device when its SRV TTL runs out without a goodbye (injected clock)', async () => {
    await service.start();
    fake.deliver(announce('mbed-linux-os-2', { ttl: 120, v4: '169.254.20.2' }));
    now += 119_000;
    service.tick();
    expect(changes.map((c) => c.event)).toEqual(['added']);
    now += 1_000;
    service.tick();
    expect(changes.map((c) => c.event)).toEqual(['added', 'removed']);
    expect(changes[1]?.device).toMatchObject({ id: 'mdns:mbed-linux-os-2@eth0', present: false });
  });

  it('re-queries before records expire, and an answer keeps the device', async () => {
    await service.start();
    fake.deliver(announce('b', { ttl: 100, v4: '169.254.1.1' }));
    now += 80_000;
    service.tick();
    expect(fake.state.queries).toBe(1);
    fake.deliver(announce('b', { ttl: 100, v4: '169.254.1.1' }));
    now += 90_000;
    service.tick();
    expect(changes.map((c) => c.event)).toEqual(['added']);
  });

  it('re-asks 1 s after start and then at doubling intervals (RFC 6762 continuous querying)', async () => {
    await service.start();
    const at = (ms: number) => {
      now += ms;
      service.tick();
      return fake.state.queries;
    };
    expect(at(999)).toBe(0);
    expect(at(1)).toBe(1); // t = 1 s
    expect(at(1_999)).toBe(1);
    expect(at(1)).toBe(2); // t = 3 s
    expect(at(3_999)).toBe(2);
    expect(at(1)).toBe(3); // t = 7 s
    await service.refresh();
    expect(fake.state.queries).toBe(4);
    expect(at(1_000)).toBe(5);
  });

  it('reports an address change as updated', async () => {
    await service.start();
    fake.deliver(announce('b', { v4: '169.254.1.1' }));
    now += 2_000;
    fake.deliver(announce('b', { v4: '169.254.1.2' }));
    expect(changes.map((c) => [c.event, c.device.addresses])).toEqual([
      ['added', ['169.254.1.1']],
      ['updated', ['169.254.1.2']],
    ]);
  });

  it('the same board name on two interfaces is two devices, and unplugging one removes only it', async () => {
    await service.start();
    fake.deliver(announce('mbed-linux-os-5', { v6: 'fe80::1' }), 'enxaa');
    now += 3_000; // the second board is plugged in later
    fake.deliver(announce('mbed-linux-os-5', { v6: 'fe80::1' }), 'enxbb');
    expect(changes.map((c) => [c.event, c.device.id])).toEqual([
      ['added', 'mdns:mbed-linux-os-5@enxaa'],
      ['added', 'mdns:mbed-linux-os-5@enxbb'],
    ]);
    expect(service.snapshot().map((d) => [d.id, d.addresses[0]])).toEqual([
      ['mdns:mbed-linux-os-5@enxaa', 'fe80::1%enxaa'],
      ['mdns:mbed-linux-os-5@enxbb', 'fe80::1%enxbb'],
    ]);
    // unplugging one board removes its interface: that board goes at once, the other stays
    fake.unplug('enxaa');
    expect(changes.at(-1)).toMatchObject({ event: 'removed', device: { id: 'mdns:mbed-linux-os-5@enxaa', present: false } });
    expect(service.snapshot().filter((d) => d.present).map((d) => d.id)).toEqual(['mdns:mbed-linux-os-5@enxbb']);
  });

  it('settles an IPv4 answer that fits two interfaces by the records already known there, or drops it', async () => {
    await service.start();
    fake.deliver(announce('board-a', { v6: 'fe80::a' }), 'enxaa'); // over IPv6: the scope is certain
    fake.deliver(announce('board-b', { v6: 'fe80::b' }), 'enxbb');
    fake.deliver(announce('board-a', { v6: 'fe80::a', v4: '169.254.7.7' }), ['enxaa', 'enxbb']);
    fake.deliver(announce('stranger', { v6: 'fe80::c', v4: '169.254.8.8' }), ['enxaa', 'enxbb']);
    expect(service.snapshot().map((d) => [d.id, d.addresses])).toEqual([
      ['mdns:board-a@enxaa', ['fe80::a%enxaa', '169.254.7.7']],
      ['mdns:board-b@enxbb', ['fe80::b%enxbb']],
    ]);
  });

  it('discoverOnce lists present MBL devices only unless all, sorted', async () => {
    await service.start();
    fake.deliver(announce('mbed-linux-os-10', { v4: '169.254.20.10' }));
    fake.deliver(announce('mbed-linux-os-2', { v4: '169.254.20.2' }));
    fake.deliver(announce('linux-box', { v4: '169.254.20.99', mbl: false }));
    const mbl = await service.discoverOnce({ timeoutMs: 0 });
    expect(mbl.ok && mbl.value.map((d) => d.name)).toEqual(['mbed-linux-os-2', 'mbed-linux-os-10']);
    const all = await service.discoverOnce({ timeoutMs: 0, all: true });
    expect(all.ok && all.value.map((d) => d.name)).toEqual(['linux-box', 'mbed-linux-os-2', 'mbed-linux-os-10']);
  });

  it('adds a manual device to settings.pinnedDevices, lists it, refuses duplicates and bad addresses', async () => {
    await service.start();
    const added = await service.addManual({ address: '[fe80::1%eth0]:2222', nickname: 'bench board' });
    expect(added).toMatchObject({ ok: true, value: { id: 'manual:[fe80::1%eth0]:2222', source: 'manual', addresses: ['fe80::1%eth0'], port: 2222, nickname: 'bench board', present: true } });
    const stored = await settings.get();
    expect(stored.ok && stored.value.pinnedDevices).toEqual([{ address: '[fe80::1%eth0]:2222', nickname: 'bench board' }]);
    expect(changes.map((c) => [c.event, c.device.id])).toEqual([['added', 'manual:[fe80::1%eth0]:2222']]);

    expect(await service.addManual({ address: 'FE80::1%eth0:2222' })).toMatchObject({ ok: false, code: 'invalid-address' });
    expect(await service.addManual({ address: '[FE80:0::1%eth0]:2222' })).toMatchObject({ ok: false, code: 'manual-device-exists', message: expect.stringMatching(/^address: /) });
    const bad = await service.addManual({ address: 'fe80::1' });
    expect(bad).toMatchObject({ ok: false, code: 'invalid-address', message: expect.stringMatching(/^address "fe80::1" .*add %iface/) });

    const removed = await service.removeManual({ id: 'manual:[fe80::1%eth0]:2222' });
    expect(removed).toEqual({ ok: true, value: { removed: 'manual:[fe80::1%eth0]:2222' } });
    expect(changes.at(-1)).toMatchObject({ event: 'removed', device: { id: 'manual:[fe80::1%eth0]:2222' } });
    expect(await service.removeManual({ id: 'manual:nope' })).toMatchObject({ ok: false, code: 'manual-device-not-found' });
  });

  it('stores nicknames and favourites by device id and shows them on the device', async () => {
    await service.start();
    fake.deliver(announce('mbed-linux-os-3', { v4: '169.254.20.3' }));
    const id = 'mdns:mbed-linux-os-3@eth0';
    expect(await service.setNickname({ id, nickname: 'Left rack' })).toMatchObject({ ok: true, value: { id, nickname: 'Left rack' } });
    expect(await service.setFavourite({ id, favourite: true })).toMatchObject({ ok: true, value: { id, favourite: true } });
    const s = await settings.get();
    expect(s.ok && [s.value.nicknames, s.value.favourites]).toEqual([{ [id]: 'Left rack' }, [id]]);
    expect(changes.filter((c) => c.event === 'updated').map((c) => [c.device.nickname, c.device.favourite])).toEqual([
      ['Left rack', false],
      ['Left rack', true],
    ]);
    const cleared = await service.setNickname({ id, nickname: '' });
    expect(cleared.ok && cleared.value && 'nickname' in cleared.value).toBe(false);
  });
});
