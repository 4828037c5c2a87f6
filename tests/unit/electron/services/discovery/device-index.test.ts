import { describe, expect, it } from 'vitest';
import { DeviceIndex } from '../../../../../electron/services/discovery/device-index';
import { RecordCache, type IncomingRecord } from '../../../../../electron/services/discovery/record-cache';
import type { CachedRecord, Device, MdnsRecord } from '../../../../../shared/domain/devices';

function board(name: string, opts: { v4?: string; v6?: string; host?: string; txt?: string[]; ttl?: number } = {}): IncomingRecord[] {
  const fqdn = `${name}._ssh._tcp.local`;
  const host = opts.host ?? `${name}.local`;
  const ttl = opts.ttl ?? 120;
  return [
    { type: 'PTR', name: '_ssh._tcp.local', data: fqdn, ttl: 4500 },
    { type: 'SRV', name: fqdn, data: { target: host, port: 22 }, ttl, flush: true },
    { type: 'TXT', name: fqdn, data: opts.txt ?? ['mblos'], ttl: 4500, flush: true },
    ...(opts.v4 ? [{ type: 'A' as const, name: host, data: opts.v4, ttl, flush: true }] : []),
    ...(opts.v6 ? [{ type: 'AAAA' as const, name: host, data: opts.v6, ttl, flush: true }] : []),
  ];
}

/** A cache that counts lookups: the work a packet costs, independent of the machine's speed. */
class CountingCache extends RecordCache {
  lookups = 0;
  override get(link: string, type: MdnsRecord['type'], name: string): CachedRecord[] {
    this.lookups++;
    return super.get(link, type, name);
  }
  override find(link: string, r: MdnsRecord): CachedRecord | undefined {
    this.lookups++;
    return super.find(link, r);
  }
}

function setup() {
  let now = Date.parse('2026-11-22T00:00:00Z');
  const cache = new CountingCache({ now: () => now, random: () => 0 });
  const index = new DeviceIndex(cache, { maxGone: 5 });
  const deliver = (records: IncomingRecord[], link = 'eth0') => index.apply(cache.ingest(index.wanted(records, link), link));
  const expire = (ms: number) => {
    now += ms;
    return index.apply(cache.runDeadlines().removed);
  };
  const present = () => [...index.devices()].filter((d) => d.present).sort((a, b) => a.id.localeCompare(b.id));
  return { cache, index, deliver, expire, present };
}

const strip = (ds: Device[]) => ds.map(({ lastSeen: _l, ...d }) => d);

describe('DeviceIndex (incremental discovery)', () => {
  it('builds the same devices whatever order the records come in, one per packet', () => {
    const { deliver, present } = setup();
    const records = [
      ...board('b1', { v4: '169.254.1.1', v6: 'fe80::1' }),
      ...board('b2', { v6: 'fe80::2' }),
      ...board('b3', { v4: '169.254.1.3', txt: [] }),
      ...board('b4', { host: 'shared.local', v4: '169.254.1.4' }),
      ...board('b5', { host: 'shared.local' }),
    ];
    // one record per packet, addresses first (they are kept only once an SRV names their host: asked again later)
    for (const r of [...records].reverse()) deliver([r]);
    for (const r of records.filter((x) => x.type === 'A' || x.type === 'AAAA')) deliver([r]);
    const inOnePacket = setup();
    inOnePacket.deliver(records);
    expect(strip(present())).toEqual(strip(inOnePacket.present()));
    expect(present().map((d) => [d.name, d.addresses])).toEqual([
      ['b1', ['fe80::1%eth0', '169.254.1.1']],
      ['b2', ['fe80::2%eth0']],
      ['b3', ['169.254.1.3']],
      ['b4', ['169.254.1.4']],
      ['b5', ['169.254.1.4']],
    ]);
  });

  it('publishes only what a packet changed: a new board, one address, a goodbye', () => {
    const { deliver, expire } = setup();
    for (let i = 0; i < 50; i++) deliver(board(`b${i}`, { v4: `169.254.1.${i}` }));
    expect(deliver(board('b7', { v4: '169.254.1.7' }))).toEqual([]);
    expect(deliver([{ type: 'A', name: 'b7.local', data: '169.254.7.7', ttl: 120, flush: false }]).map((c) => [c.event, c.device.addresses])).toEqual([
      ['updated', ['169.254.1.7', '169.254.7.7']],
    ]);
    expect(deliver(board('b9', { v4: '169.254.1.9' }).map((r) => ({ ...r, ttl: 0 })))).toEqual([]);
    expect(expire(1_000).map((c) => [c.event, c.device.name, c.device.present])).toEqual([['removed', 'b9', false]]);
  });

  it('costs the same per packet with 10 boards as with 1,000 (lookups counted, not time)', () => {
    const cost = (n: number) => {
      const { cache, deliver } = setup();
      for (let i = 0; i < n; i++) deliver(board(`b${i}`, { v4: `169.254.${i >> 8}.${i & 255}` }));
      cache.lookups = 0;
      deliver(board('newcomer', { v4: '169.254.200.1' }));
      deliver(board(`b3`, { v4: '169.254.0.3' }));
      return cache.lookups;
    };
    expect(cost(1000)).toBe(cost(10));
  });

  it('lists what announced boards lack, once each, and forgets it when it arrives', () => {
    const { index, deliver } = setup();
    const [ptr, srv, txt, a] = board('late', { v4: '169.254.1.9' });
    deliver([ptr!]);
    expect(index.takeNewlyUnresolved()).toEqual([{ link: 'eth0', instance: 'late._ssh._tcp.local', missing: ['SRV', 'TXT'] }]);
    expect(index.takeNewlyUnresolved()).toEqual([]);
    deliver([srv!, txt!]);
    expect(index.takeNewlyUnresolved()).toEqual([{ link: 'eth0', instance: 'late._ssh._tcp.local', host: 'late.local', missing: ['A', 'AAAA'] }]);
    expect(index.isMissing('eth0', 'late._ssh._tcp.local', 'A')).toBe(true);
    expect(index.unresolvedCount).toBe(1);
    deliver([a!]);
    expect(index.unresolvedCount).toBe(0);
    expect(index.isMissing('eth0', 'late._ssh._tcp.local', 'A')).toBe(false);
  });

  it('keeps only the newest gone boards (maxGone), and says which it forgot', () => {
    const { index, deliver, expire } = setup();
    for (let i = 0; i < 8; i++) deliver(board(`b${i}`, { v4: '169.254.1.1' }).map((r) => ({ ...r, ttl: i === 7 ? 120 : 1 })));
    const changes = expire(2_000);
    expect(changes.filter((c) => c.event === 'removed')).toHaveLength(7);
    expect(changes.filter((c) => c.event === 'forgotten').map((c) => c.device.name)).toEqual(['b0', 'b1']);
    expect([...index.devices()].map((d) => [d.name, d.present]).sort()).toEqual([
      ['b2', false],
      ['b3', false],
      ['b4', false],
      ['b5', false],
      ['b6', false],
      ['b7', true],
    ]);
  });
});

const T = Date.parse('2026-11-22T00:00:00Z');

/** The records avahi sends for one board, as learnt on `link`. */
function avahiBoard(name: string, link: string, opts: { host?: string; v4?: string[]; v6?: string[]; txt?: string[]; port?: number } = {}): CachedRecord[] {
  const host = `${opts.host ?? name}.local`;
  const fqdn = `${name}._ssh._tcp.local`;
  const base = { link, ttl: 120, receivedAt: T };
  return [
    { ...base, ttl: 4500, type: 'PTR', name: '_ssh._tcp.local', data: fqdn },
    { ...base, type: 'SRV', name: fqdn, data: { target: host, port: opts.port ?? 22 } },
    { ...base, ttl: 4500, type: 'TXT', name: fqdn, data: opts.txt ?? ['mblos'] },
    ...(opts.v4 ?? []).map((a): CachedRecord => ({ ...base, type: 'A', name: host, data: a })),
    ...(opts.v6 ?? []).map((a): CachedRecord => ({ ...base, type: 'AAAA', name: host, data: a })),
  ];
}

/** The present devices after the records arrived, each link's in one packet, through the real cache and index. */
function fromRecords(records: readonly CachedRecord[]): Device[] {
  const cache = new RecordCache({ now: () => T });
  const index = new DeviceIndex(cache);
  for (const link of new Set(records.map((r) => r.link))) {
    const packet = records.filter((r) => r.link === link).map(({ link: _l, receivedAt: _r, ...r }) => r as IncomingRecord);
    index.apply(cache.ingest(index.wanted(packet, link), link));
  }
  return [...index.devices()].filter((d) => d.present).sort((a, b) => a.id.localeCompare(b.id));
}

describe('DeviceIndex: devices from records', () => {
  it('builds one device per instance with scoped link-local addresses first', () => {
    const [d, ...rest] = fromRecords(avahiBoard('mbed-linux-os-1', 'eth0', { v4: ['169.254.20.1'], v6: ['fe80::70:77ff:fe00:101', '2001:db8::5'] }));
    expect(rest).toEqual([]);
    expect(d).toEqual({
      id: 'mdns:mbed-linux-os-1@eth0',
      name: 'mbed-linux-os-1',
      hostname: 'mbed-linux-os-1',
      addresses: ['fe80::70:77ff:fe00:101%eth0', '169.254.20.1', '2001:db8::5'],
      port: 22,
      txt: { mblos: true },
      isMbl: true,
      lastSeen: new Date(T).toISOString(),
      source: 'mdns',
      present: true,
      interface: 'eth0',
      favourite: false,
    });
  });

  it('writes out the characters that hide or reorder text, so a look-alike of a real board reads differently', () => {
    // A zero-width space after the name; a right-to-left override, a soft hyphen and an escape in the host name.
    const [d] = fromRecords(avahiBoard('mbed-linux-os-1\u200b', 'eth0', { host: 'mbed-linux-\u202eos-1\u00ad\u001b', v4: ['169.254.20.1'] }));
    expect(d).toMatchObject({ id: 'mdns:mbed-linux-os-1\\u200b@eth0', name: 'mbed-linux-os-1\\u200b', hostname: 'mbed-linux-\\u202eos-1\\u00ad\\u001b' });
    expect(fromRecords(avahiBoard('mbed-linux-os-1', 'eth0', { v4: ['169.254.20.1'] }))[0]).toMatchObject({
      name: 'mbed-linux-os-1',
      hostname: 'mbed-linux-os-1',
    });
  });

  it('needs both PTR and SRV; TXT and addresses are optional', () => {
    const recs = avahiBoard('a', 'eth0', { v6: ['fe80::1'] });
    expect(fromRecords(recs.filter((r) => r.type !== 'SRV'))).toEqual([]);
    expect(fromRecords(recs.filter((r) => r.type !== 'PTR'))).toEqual([]);
    const [d] = fromRecords(recs.filter((r) => r.type !== 'TXT' && r.type !== 'AAAA'));
    expect(d).toMatchObject({ name: 'a', addresses: [], txt: {}, isMbl: false });
  });

  it('marks non-MBL services (TXT without mblos)', () => {
    const [d] = fromRecords(avahiBoard('linux-box-10', 'eth0', { txt: [] }));
    expect(d?.isMbl).toBe(false);
  });

  it('treats the same name and the same fe80 address behind two interfaces as two boards', () => {
    const devices = fromRecords([
      ...avahiBoard('mbed-linux-os-7', 'enxaa', { v6: ['fe80::1'] }),
      ...avahiBoard('mbed-linux-os-7', 'enxbb', { v6: ['fe80::1'] }),
    ]);
    expect(devices.map((d) => [d.id, d.addresses])).toEqual([
      ['mdns:mbed-linux-os-7@enxaa', ['fe80::1%enxaa']],
      ['mdns:mbed-linux-os-7@enxbb', ['fe80::1%enxbb']],
    ]);
  });

  it('merges one LAN host seen through two workstation interfaces when they share a routable address', () => {
    const devices = fromRecords([
      ...avahiBoard('nas', 'wlan0', { v4: ['192.168.1.5'], v6: ['fe80::5'] }),
      ...avahiBoard('nas', 'eth0', { v4: ['192.168.1.5'], v6: ['fe80::5'] }),
    ]);
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ id: 'mdns:nas@eth0', addresses: ['fe80::5%eth0', 'fe80::5%wlan0', '192.168.1.5'] });
  });

  it('keeps every address of a host with many interfaces, and ignores other hosts', () => {
    const recs = [
      ...avahiBoard('multi', 'eth0', { v4: ['169.254.1.1', '10.1.1.1'], v6: ['fe80::a', 'fe80::b'] }),
      { link: 'eth0', ttl: 120, receivedAt: T, type: 'A', name: 'other.local', data: '10.9.9.9' } as CachedRecord,
    ];
    const [d] = fromRecords(recs);
    expect(d?.addresses).toEqual(['fe80::a%eth0', 'fe80::b%eth0', '10.1.1.1', '169.254.1.1']);
  });

  it('follows an SRV target that changed (the board was renamed) to the new host records', () => {
    const recs = [
      ...avahiBoard('svc', 'eth0', { host: 'new-host', v4: ['169.254.3.3'] }),
      { link: 'eth0', ttl: 120, receivedAt: T, type: 'A', name: 'old-host.local', data: '169.254.9.9' } as CachedRecord,
    ];
    const [d] = fromRecords(recs);
    expect(d).toMatchObject({ hostname: 'new-host', addresses: ['169.254.3.3'] });
  });

  it('matches names case-insensitively', () => {
    const recs = avahiBoard('Board', 'eth0', { v4: ['169.254.1.2'] }).map((r) => (r.type === 'A' ? { ...r, name: 'BOARD.LOCAL' } : r));
    expect(fromRecords(recs)[0]?.addresses).toEqual(['169.254.1.2']);
  });
});
