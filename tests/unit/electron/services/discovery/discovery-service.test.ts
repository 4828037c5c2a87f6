import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { devicesEvents, type DeviceChange, type DiscoveryHealth } from '../../../../../shared/contract/devices';
import { createDiscoveryService, type DiscoveryService } from '../../../../../electron/services/discovery/discovery-service';
import type { MdnsTransport, TransportHandlers } from '../../../../../electron/services/discovery/mdns-transport';
import type { IncomingRecord } from '../../../../../electron/services/discovery/record-cache';
import { EventHub } from '../../../../../electron/services/events';
import { silentLogger } from '../../../../../electron/services/log';
import { createSettingsService, type SettingsService } from '../../../../../electron/services/settings/settings-service';

const { decode } = createRequire(import.meta.url)('dns-packet') as { decode(b: Buffer): { questions: Array<{ name: string; type: string }> } };

/** A transport the test drives: packets are handed in; queries are recorded (decoded) and may be answered. */
function fakeTransport() {
  let handlers: TransportHandlers | undefined;
  const state = { stopped: false, queries: [] as Array<{ link: string; questions: string[] }>, sendError: null as NodeJS.ErrnoException | null };
  let answer: ((question: string) => IncomingRecord[] | undefined) | undefined;
  const transport: MdnsTransport = {
    async start(h) {
      handlers = h;
    },
    send(link, packets) {
      const questions = packets.flatMap((p) => decode(p).questions.map((q) => `${q.type} ${q.name}`));
      state.queries.push({ link, questions });
      handlers!.onSendResult?.(link, 4, state.sendError);
      for (const q of questions) {
        const records = answer?.(q);
        if (records) handlers!.onResponse(records, link);
      }
    },
    links: () => ['eth0'],
    async stop() {
      state.stopped = true;
    },
  };
  return {
    transport,
    state,
    deliver: (records: IncomingRecord[], link: string | string[] = 'eth0') => handlers!.onResponse(records, link),
    unplug: (link: string) => handlers!.onLinkGone!(link),
    answerWith: (fn: typeof answer) => (answer = fn),
  };
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

/** The service's clock follows the real one while `fn` runs (settling waits on real timers). */
let onRealClock: <T>(fn: () => Promise<T>) => Promise<T>;

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
    service = createDiscoveryService({
      events,
      log: silentLogger,
      clock: () => new Date(now),
      settings: () => settings,
      transport: () => fake.transport,
      tickMs: 3_600_000,
      eventBatchMs: 0,
      random: () => 0,
    });
    changes = [];
    hubChanges = [];
    onRealClock = async (fn) => {
      const base = now - Date.now();
      const follow = setInterval(() => {
        now = Date.now() + base;
        service.tick();
      }, 10);
      try {
        return await fn();
      } finally {
        clearInterval(follow);
      }
    };
    service.onChange((c) => changes.push(c));
    events.on(devicesEvents.changed, (batch) => hubChanges.push(...batch));
  });
  afterEach(async () => {
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts on the first list, publishes added devices with scoped fe80 addresses, stops on stop()', async () => {
    const first = await service.list();
    expect(first).toEqual({
      ok: true,
      value: { devices: [], discovering: true, interfaces: ['eth0'], health: expect.objectContaining({ sending: 'ok', packetsReceived: 0 }) },
    });
    fake.deliver(announce('mbed-linux-os-9', { v6: 'fe80::70:77ff:fe00:109' }));
    expect(changes.map((c) => [c.event, c.device.id, c.device.addresses])).toEqual([['added', 'mdns:mbed-linux-os-9@eth0', ['fe80::70:77ff:fe00:109%eth0']]]);
    expect(hubChanges).toEqual(changes);
    // the same packet again (another socket delivered it) is not a change
    fake.deliver(announce('mbed-linux-os-9', { v6: 'fe80::70:77ff:fe00:109' }));
    expect(changes).toHaveLength(1);
    await service.stop();
    expect(fake.state.stopped).toBe(true);
  });

  it('removes a device one second after its goodbye but keeps it listed as not present', async () => {
    await service.start();
    const recs = announce('mbed-linux-os-1', { v4: '169.254.20.1' });
    fake.deliver(recs);
    fake.deliver(goodbye(recs));
    expect(changes.map((c) => c.event)).toEqual(['added']);
    now += 1_000;
    service.tick();
    expect(changes.map((c) => [c.event, c.device.present])).toEqual([
      ['added', true],
      ['removed', false],
    ]);
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

  it('asks for a record again at 80 % of its TTL, and an answer keeps the device', async () => {
    await service.start();
    fake.deliver(announce('b', { ttl: 100, v4: '169.254.1.1' }));
    const asked = fake.state.queries.length;
    now += 80_000;
    service.tick();
    expect(fake.state.queries.slice(asked).flatMap((q) => q.questions)).toEqual(expect.arrayContaining(['SRV b._ssh._tcp.local', 'A b.local']));
    fake.deliver(announce('b', { ttl: 100, v4: '169.254.1.1' }));
    now += 90_000;
    service.tick();
    expect(changes.map((c) => c.event)).toEqual(['added', 'updated']); // the update is its newer lastSeen
  });

  it('re-asks 1 s after start and then at doubling intervals (RFC 6762 continuous querying); Refresh starts over', async () => {
    await service.start();
    const at = (ms: number) => {
      now += ms;
      service.tick();
      return fake.state.queries.length;
    };
    expect(at(0)).toBe(1); // the first query went out as browsing started
    expect(at(900)).toBe(1);
    expect(at(100)).toBe(2); // t = 1 s
    expect(at(1_900)).toBe(2);
    expect(at(100)).toBe(3); // t = 3 s
    expect(at(3_900)).toBe(3);
    expect(at(100)).toBe(4); // t = 7 s
    await service.refresh();
    expect(fake.state.queries.length).toBe(5);
    expect(at(1_000)).toBe(6);
  });

  it('publishes a newer "last seen" while a board keeps answering', async () => {
    await service.start();
    fake.deliver(announce('b', { v4: '169.254.1.1' }));
    now += 2_000;
    fake.deliver(announce('b', { v4: '169.254.1.1' })); // a repeat within seconds is not news
    now += 30_000;
    fake.deliver(announce('b', { v4: '169.254.1.1' }));
    expect(changes.map((c) => [c.event, c.device.lastSeen])).toEqual([
      ['added', '2026-11-22T00:00:00.000Z'],
      ['updated', '2026-11-22T00:00:32.000Z'],
    ]);
  });

  it('reports an address change as updated (the flushed address goes one second later, RFC 6762 §10.2)', async () => {
    await service.start();
    fake.deliver(announce('b', { v4: '169.254.1.1' }));
    now += 2_000;
    fake.deliver(announce('b', { v4: '169.254.1.2' }));
    now += 1_000;
    service.tick();
    expect(changes.map((c) => [c.event, c.device.addresses])).toEqual([
      ['added', ['169.254.1.1']],
      ['updated', ['169.254.1.1', '169.254.1.2']],
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
    expect(
      service
        .snapshot()
        .filter((d) => d.present)
        .map((d) => d.id),
    ).toEqual(['mdns:mbed-linux-os-5@enxbb']);
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
    expect(added).toMatchObject({
      ok: true,
      value: { id: 'manual:[fe80::1%eth0]:2222', source: 'manual', addresses: ['fe80::1%eth0'], port: 2222, nickname: 'bench board', present: true },
    });
    const stored = await settings.get();
    expect(stored.ok && stored.value.pinnedDevices).toEqual([{ address: '[fe80::1%eth0]:2222', nickname: 'bench board' }]);
    expect(changes.map((c) => [c.event, c.device.id])).toEqual([['added', 'manual:[fe80::1%eth0]:2222']]);

    expect(await service.addManual({ address: 'FE80::1%eth0:2222' })).toMatchObject({ ok: false, code: 'invalid-address' });
    expect(await service.addManual({ address: '[FE80:0::1%eth0]:2222' })).toMatchObject({
      ok: false,
      code: 'manual-device-exists',
      message: expect.stringMatching(/^address: /),
    });
    const bad = await service.addManual({ address: 'fe80::1' });
    expect(bad).toMatchObject({ ok: false, code: 'invalid-address', message: expect.stringMatching(/^address "fe80::1" .*add %iface/) });

    const removed = await service.removeManual({ id: 'manual:[fe80::1%eth0]:2222' });
    expect(removed).toEqual({ ok: true, value: { removed: 'manual:[fe80::1%eth0]:2222' } });
    expect(changes.at(-1)).toMatchObject({ event: 'removed', device: { id: 'manual:[fe80::1%eth0]:2222' } });
    expect(await service.removeManual({ id: 'manual:nope' })).toMatchObject({ ok: false, code: 'manual-device-not-found' });
  });

  it('refuses to add by address a board it already lists as announced, and names that row', async () => {
    await service.start();
    const board = announce('mbed-linux-os-6', { v4: '169.254.20.6', v6: 'fe80::6' });
    fake.deliver(board);
    const refused = {
      ok: false,
      code: 'manual-device-exists',
      message: expect.stringMatching(/^address: .* reaches mbed-linux-os-6, which the list already shows \(found on the network\): use that row/),
    };
    expect(await service.addManual({ address: '169.254.20.6' })).toMatchObject(refused);
    expect(await service.addManual({ address: '[FE80::6%eth0]:22' })).toMatchObject(refused);
    // Another port is another service; another link another board.
    expect(await service.addManual({ address: '169.254.20.6:2222' })).toMatchObject({ ok: true });
    expect(await service.addManual({ address: 'fe80::6%eth1' })).toMatchObject({ ok: true });
    // Once the board has gone, it may be added by address.
    fake.deliver(goodbye(board));
    now += 2000;
    service.tick();
    expect(await service.addManual({ address: '169.254.20.6' })).toMatchObject({ ok: true, value: { id: 'manual:169.254.20.6' } });
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

  it('discoverOnce ends once the list has settled, long before its cap', async () => {
    fake.answerWith((q) => (q === 'PTR _ssh._tcp.local' ? [...announce('b1', { v4: '169.254.1.1' }), ...announce('b2', { v4: '169.254.1.2' })] : undefined));
    const started = Date.now();
    const r = await onRealClock(() => service.discoverOnce({ timeoutMs: 30_000 }));
    expect(r.ok && r.value.map((d) => d.name)).toEqual(['b1', 'b2']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('does not settle while an announced board is unresolved: it asks for its SRV and addresses until they come', async () => {
    // the board answers the browse query with its PTR only, and its SRV/TXT and address only when asked
    fake.answerWith((q) => {
      const all = announce('late', { v4: '169.254.1.9' });
      if (q === 'PTR _ssh._tcp.local') return all.filter((r) => r.type === 'PTR');
      if (q === 'SRV late._ssh._tcp.local') return all.filter((r) => r.type === 'SRV');
      if (q === 'TXT late._ssh._tcp.local') return all.filter((r) => r.type === 'TXT');
      if (q === 'A late.local') return all.filter((r) => r.type === 'A');
      return undefined;
    });
    const r = await onRealClock(() => service.discoverOnce({ timeoutMs: 30_000 }));
    expect(r.ok && r.value.map((d) => [d.name, d.addresses])).toEqual([['late', ['169.254.1.9']]]);
    expect(fake.state.queries.flatMap((q) => q.questions)).toEqual(
      expect.arrayContaining(['SRV late._ssh._tcp.local', 'TXT late._ssh._tcp.local', 'A late.local']),
    );
  });

  it('onResolved hands each board over once it has resolved and held still, before the list settles, and each board once', async () => {
    const given: Array<[string, string[]]> = [];
    const stop = new AbortController();
    let finished = false;
    const run = service
      .discoverOnce({ timeoutMs: 3_600_000, signal: stop.signal, onResolved: (d) => given.push([d.id, d.addresses]) })
      .finally(() => (finished = true));
    const pass = async (ms: number) => {
      now += ms;
      await new Promise((r) => setTimeout(r, 60)); // a few of discoverOnce's polls
    };
    await pass(0);
    // b1 answers over IPv6 first; v6only has no IPv4; late answers its PTR only, so the list cannot settle
    fake.deliver(announce('b1', { v6: 'fe80::1' }));
    fake.deliver(announce('v6only', { v6: 'fe80::6' }));
    fake.deliver(announce('late').filter((r) => r.type === 'PTR'));
    await pass(100);
    expect(given).toEqual([]); // 100 ms: the other family's answer may still add an address
    fake.deliver(announce('b1', { v6: 'fe80::1', v4: '169.254.1.1' }));
    await pass(0);
    expect(given).toEqual([['mdns:b1@eth0', ['fe80::1%eth0', '169.254.1.1']]]); // both families: at once
    await pass(100);
    expect(given.map(([id]) => id)).toEqual(['mdns:b1@eth0', 'mdns:v6only@eth0']); // held still 150 ms
    expect(finished).toBe(false);

    // b1 again, and a board first seen on eth1 and then on eth0 (one host: the same routable address)
    fake.deliver(announce('b1', { v6: 'fe80::1', v4: '169.254.1.2' }));
    fake.deliver(announce('twin', { v4: '10.0.0.7' }), 'eth1');
    await pass(200);
    fake.deliver(announce('twin', { v4: '10.0.0.7' }), 'eth0');
    await pass(200);
    expect(given.map(([id]) => id)).toEqual(['mdns:b1@eth0', 'mdns:v6only@eth0', 'mdns:twin@eth1']);

    fake.deliver(announce('late', { v4: '169.254.1.9' }));
    await pass(200);
    expect(given.map(([id]) => id)).toEqual(['mdns:b1@eth0', 'mdns:v6only@eth0', 'mdns:twin@eth1', 'mdns:late@eth0']);
    stop.abort();
    const r = await run;
    expect(r.ok && r.value.map((d) => d.id)).toEqual(['mdns:b1@eth0', 'mdns:late@eth0', 'mdns:twin@eth0', 'mdns:v6only@eth0']);
    expect(given).toHaveLength(4);
  });

  it('onResolved still gets, when discovery ends, each listed board it had not had (here the cap came first)', async () => {
    await service.start();
    fake.deliver(announce('b1', { v4: '169.254.1.1' }));
    fake.deliver(announce('other', { v4: '169.254.1.3', mbl: false }));
    const given: string[] = [];
    const r = await service.discoverOnce({ timeoutMs: 0, onResolved: (d) => given.push(d.name) });
    expect(r.ok && r.value.map((d) => d.name)).toEqual(['b1']);
    expect(given).toEqual(['b1']);
  });

  it('says when the OS refuses to send, retries every second, and asks again at once when sending works', async () => {
    const seen: DiscoveryHealth[] = [];
    events.on(devicesEvents.health, (h) => seen.push(h));
    fake.state.sendError = Object.assign(new Error('send EHOSTUNREACH 224.0.0.251:5353'), { code: 'EHOSTUNREACH' });
    await service.start();
    expect(service.health()).toMatchObject({ sending: 'refused', sendError: 'EHOSTUNREACH on eth0' });
    for (let i = 0; i < 40; i++) {
      now += 1_000;
      service.tick();
    }
    expect(fake.state.queries.length).toBeGreaterThanOrEqual(40); // every second, no back-off while refused
    fake.state.sendError = null;
    fake.answerWith((q) => (q === 'PTR _ssh._tcp.local' ? announce('b', { v4: '169.254.1.1' }) : undefined));
    now += 1_000;
    service.tick();
    now += 100;
    service.tick();
    expect(service.health()).toMatchObject({ sending: 'ok', sendError: null });
    expect(service.snapshot().map((d) => d.name)).toEqual(['b']);
    // refused; working again; the first packet arrived
    expect(seen.map((h) => [h.sending, h.packetsReceived])).toEqual([
      ['refused', 0],
      ['ok', 0],
      ['ok', 1],
    ]);
  });

  it('sends changes to the doors in batches, not one message per board', async () => {
    const batched = createDiscoveryService({ events, log: silentLogger, clock: () => new Date(now), transport: () => fake.transport, tickMs: 3_600_000 });
    const messages: DeviceChange[][] = [];
    events.on(devicesEvents.changed, (batch) => messages.push(batch));
    await batched.start();
    for (let i = 0; i < 200; i++) fake.deliver(announce(`board-${i}`, { v4: `169.254.2.${i % 250}` }));
    await new Promise((r) => setTimeout(r, 120));
    expect(messages.filter((m) => m.length).length).toBe(1);
    expect(messages.flat().filter((c) => c.event === 'added')).toHaveLength(200);
    await batched.stop();
  });

  /** A service on the real clock where the operating system resolves no `.local` name (no nss-mdns). */
  const withoutOsMdns = (over: Partial<Parameters<typeof createDiscoveryService>[0]> = {}) =>
    createDiscoveryService({
      events,
      log: silentLogger,
      clock: () => new Date(),
      settings: () => settings,
      transport: () => fake.transport,
      osLookup: async () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })),
      ...over,
    });

  it('resolves NAME.local with its own mDNS A/AAAA query when the OS cannot, with the scope on link-local IPv6', async () => {
    // waited in real time for nowhere.local: short, so a loaded CI machine stays far inside the test's timeout
    const local = withoutOsMdns({ resolveTimeoutMs: 400 });
    fake.answerWith((q) =>
      q === 'A board.local'
        ? [{ type: 'A', name: 'board.local', data: '169.254.3.3', ttl: 120 }]
        : q === 'AAAA board.local'
          ? [{ type: 'AAAA', name: 'board.local', data: 'fe80::33', ttl: 120 }]
          : undefined,
    );
    expect(await local.resolveHost('board.local')).toEqual({ ok: true, value: ['fe80::33%eth0', '169.254.3.3'] });
    const added = await local.addManual({ address: 'board.local' });
    expect(added).toMatchObject({ ok: true, value: { id: 'manual:board.local', hostname: 'board.local', addresses: ['fe80::33%eth0', '169.254.3.3'] } });
    const nowhere = await local.addManual({ address: 'nowhere.local' });
    expect(nowhere).toMatchObject({ ok: false, code: 'unresolvable-address' });
    expect(!nowhere.ok && nowhere.message).toMatch(
      /^address: "nowhere.local" does not resolve: the operating system's resolver says ENOTFOUND and no device answered an mDNS query for it within 0.4 s/,
    );
    await local.stop();
  });

  it('answers NAME.local of an announced board from what it holds, without asking the network again', async () => {
    const local = withoutOsMdns();
    await local.start();
    fake.deliver(announce('board', { v4: '169.254.3.3', v6: 'fe80::33' }));
    const asked = () => fake.state.queries.flatMap((q) => q.questions).filter((q) => q.endsWith(' board.local'));
    expect(await local.resolveHost('board.local')).toEqual({ ok: true, value: ['fe80::33%eth0', '169.254.3.3'] });
    expect(asked()).toEqual([]);
    await local.stop();
  });

  it('holds at most maxRecords records and maxGone gone devices, however many boards a flood invents', async () => {
    const capped = createDiscoveryService({
      events,
      log: silentLogger,
      clock: () => new Date(now),
      transport: () => fake.transport,
      tickMs: 3_600_000,
      eventBatchMs: 0,
      limits: { maxRecords: 300, maxGone: 20 },
    });
    await capped.start();
    for (let i = 0; i < 500; i++) fake.deliver(announce(`fake-${i}`, { v4: '169.254.9.9' }));
    expect(capped.stats().records).toBeLessThanOrEqual(300);
    expect(capped.stats().refusedRecords).toBeGreaterThan(0);
    for (let i = 0; i < 500; i++) fake.deliver(goodbye(announce(`fake-${i}`, { v4: '169.254.9.9' })));
    now += 1_000;
    capped.tick();
    expect(capped.stats().records).toBe(0);
    expect(capped.snapshot().length).toBeLessThanOrEqual(20);
    // addresses of hosts that no service names are not kept at all
    fake.deliver(Array.from({ length: 100 }, (_, i) => ({ type: 'A' as const, name: `junk-${i}.local`, data: '169.254.9.9', ttl: 4500 })));
    expect(capped.stats().records).toBe(0);
    await capped.stop();
  });
});
