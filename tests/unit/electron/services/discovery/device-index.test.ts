import { describe, expect, it } from 'vitest';
import { DeviceIndex } from '../../../../../electron/services/discovery/device-index';
import { RecordCache, type IncomingRecord } from '../../../../../electron/services/discovery/record-cache';
import { devicesFromRecords, type CachedRecord, type Device, type MdnsRecord } from '../../../../../shared/domain/devices';

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
  /** Everything the cache holds, for the all-at-once reference builder. */
  const held: Map<string, CachedRecord> = new Map();
  const deliver = (records: IncomingRecord[], link = 'eth0') => {
    const changes = cache.ingest(index.wanted(records, link), link);
    for (const c of changes) held.set(`${c.record.link} ${c.record.type} ${c.record.name} ${JSON.stringify(c.record.data)}`, c.record);
    return index.apply(changes);
  };
  const expire = (ms: number) => {
    now += ms;
    const { removed } = cache.runDeadlines();
    for (const c of removed) held.delete(`${c.record.link} ${c.record.type} ${c.record.name} ${JSON.stringify(c.record.data)}`);
    return index.apply(removed);
  };
  const present = () => [...index.devices()].filter((d) => d.present).sort((a, b) => a.id.localeCompare(b.id));
  const reference = () => devicesFromRecords([...held.values()]).sort((a, b) => a.id.localeCompare(b.id));
  return { cache, index, deliver, expire, present, reference };
}

const strip = (ds: Device[]) => ds.map(({ lastSeen: _l, ...d }) => d);

describe('DeviceIndex (incremental discovery)', () => {
  it('builds the same devices as the all-at-once reference, whatever order the records come in', () => {
    const { deliver, present, reference } = setup();
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
    expect(strip(present())).toEqual(strip(reference()));
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
