import { describe, expect, it, vi } from 'vitest';
import { normalName } from '../../../../../electron/services/discovery/dns-name';
import { MAX_TTL_S, RecordCache, type IncomingRecord } from '../../../../../electron/services/discovery/record-cache';

// Counts the name normalisations the cache does: its keys' cost per record, independent of the machine's speed.
vi.mock('../../../../../electron/services/discovery/dns-name', async (actual) => {
  const real = await actual<typeof import('../../../../../electron/services/discovery/dns-name')>();
  return { normalName: vi.fn(real.normalName) };
});
const countNormalisations = (fn: () => void) => {
  vi.mocked(normalName).mockClear();
  fn();
  return vi.mocked(normalName).mock.calls.length;
};

const srv = (target: string, ttl = 120, flush = true): IncomingRecord => ({ type: 'SRV', name: 'b._ssh._tcp.local', data: { target, port: 22 }, ttl, flush });
const a = (addr: string, ttl = 120, flush = true): IncomingRecord => ({ type: 'A', name: 'b.local', data: addr, ttl, flush });
const ptr = (ttl = 4500, instance = 'b'): IncomingRecord => ({ type: 'PTR', name: '_ssh._tcp.local', data: `${instance}._ssh._tcp.local`, ttl });

function setup(opts: { maxRecords?: number } = {}) {
  let now = 1_000_000;
  // no jitter: refresh points land exactly on 80, 85, 90 and 95 %
  const cache = new RecordCache({ now: () => now, random: () => 0, ...opts });
  const held = (link = 'eth0') => [
    ...cache.get(link, 'PTR', '_ssh._tcp.local').map((r) => `PTR ${r.data as string}`),
    ...cache.get(link, 'SRV', 'b._ssh._tcp.local').map(() => 'SRV'),
    ...cache.get(link, 'A', 'b.local').map((r) => `A ${r.data as string}`),
  ];
  return { cache, held, advance: (ms: number) => (now += ms), at: () => now };
}

describe('RecordCache', () => {
  it('keeps a record for exactly its TTL (injected clock), and says what changed', () => {
    const { cache, held, advance } = setup();
    expect(cache.ingest([ptr(), srv('b.local', 120)], 'eth0').map((c) => [c.op, c.record.type])).toEqual([
      ['added', 'PTR'],
      ['added', 'SRV'],
    ]);
    advance(119_999);
    expect(cache.runDeadlines().removed).toEqual([]);
    advance(1);
    expect(cache.runDeadlines().removed.map((c) => [c.op, c.record.type])).toEqual([['removed', 'SRV']]);
    expect(held()).toEqual(['PTR b._ssh._tcp.local']);
  });

  it('a fresh copy of a record is a renewal that restarts its TTL', () => {
    const { cache, advance } = setup();
    cache.ingest([srv('b.local', 10)], 'eth0');
    advance(9_000);
    expect(cache.ingest([srv('b.local', 10)], 'eth0').map((c) => c.op)).toEqual(['renewed']);
    advance(9_000);
    expect(cache.runDeadlines().removed).toEqual([]);
    expect(cache.size).toBe(1);
  });

  it('drops a record one second after its goodbye (TTL 0, RFC 6762 §10.1), unless it is announced again', () => {
    const { cache, held, advance } = setup();
    cache.ingest([ptr(), srv('b.local')], 'eth0');
    expect(cache.ingest([ptr(0)], 'eth0')).toEqual([]);
    advance(999);
    expect(cache.runDeadlines().removed).toEqual([]);
    advance(1);
    expect(cache.runDeadlines().removed.map((c) => c.record.type)).toEqual(['PTR']);
    expect(held()).toEqual(['SRV']);
    // a goodbye followed at once by the same record (a restarted responder): it stays
    cache.ingest([srv('b.local', 0)], 'eth0');
    cache.ingest([srv('b.local')], 'eth0');
    advance(5_000);
    expect(cache.runDeadlines().removed).toEqual([]);
    expect(held()).toEqual(['SRV']);
  });

  it('keeps records per link: a goodbye on one interface leaves the other', () => {
    const { cache, held, advance } = setup();
    cache.ingest([ptr()], 'eth0');
    cache.ingest([ptr()], 'usb0');
    cache.ingest([ptr(0)], 'usb0');
    advance(1_000);
    cache.runDeadlines();
    expect([held('eth0'), held('usb0')]).toEqual([['PTR b._ssh._tcp.local'], []]);
  });

  it('cache-flush retires records of the same name and type learnt over a second ago (after one more second)', () => {
    const { cache, held, advance } = setup();
    cache.ingest([a('169.254.1.1')], 'eth0');
    cache.ingest([a('169.254.1.2')], 'eth0'); // same second: both kept (a multi-packet answer)
    expect(held().sort()).toEqual(['A 169.254.1.1', 'A 169.254.1.2']);
    advance(1_500);
    cache.ingest([a('169.254.1.3')], 'eth0');
    advance(1_000);
    cache.runDeadlines();
    expect(held()).toEqual(['A 169.254.1.3']);
    advance(1_500);
    cache.ingest([a('169.254.1.4', 120, false)], 'eth0'); // shared record: no flush
    expect(held().sort()).toEqual(['A 169.254.1.3', 'A 169.254.1.4']);
  });

  it('cache-flush on one interface never touches the same name learnt on another (two boards, one name)', () => {
    const { cache, held, advance } = setup();
    cache.ingest([ptr(), srv('b.local')], 'usb-a');
    advance(3_000);
    cache.ingest([ptr(), srv('b.local')], 'usb-b');
    advance(2_000);
    cache.runDeadlines();
    expect([held('usb-a'), held('usb-b')]).toEqual([
      ['PTR b._ssh._tcp.local', 'SRV'],
      ['PTR b._ssh._tcp.local', 'SRV'],
    ]);
  });

  it('returns each record for a refresh at 80, 85, 90 and 95 % of its TTL, once each, and then expires it', () => {
    const { cache, advance, at } = setup();
    const start = at();
    cache.ingest([srv('b.local', 100)], 'eth0');
    const due = () => cache.runDeadlines().refresh.length;
    advance(79_999);
    expect(due()).toBe(0);
    advance(1);
    expect([due(), due()]).toEqual([1, 0]);
    advance(5_000);
    expect(due()).toBe(1);
    advance(10_000); // 95 %: two points passed at once count as one
    expect([due(), due()]).toEqual([1, 0]);
    advance(4_000);
    expect(due()).toBe(0);
    advance(999);
    expect(cache.runDeadlines().removed).toEqual([]);
    advance(1);
    expect(at() - start).toBe(100_000);
    expect(cache.runDeadlines().removed.map((c) => c.record.type)).toEqual(['SRV']);
  });

  it('spreads refresh points by up to 2 % of the TTL at random, so boards announced together are not asked together', () => {
    let now = 0;
    const cache = new RecordCache({ now: () => now, random: () => 1 });
    cache.ingest([srv('b.local', 100)], 'eth0');
    now = 81_999;
    expect(cache.runDeadlines().refresh).toEqual([]);
    now = 82_000;
    expect(cache.runDeadlines().refresh).toHaveLength(1);
  });

  it('offers as known answers only records with more than half their TTL left (RFC 6762 §7.1), with the TTL left', () => {
    const { cache, advance } = setup();
    cache.ingest([ptr(100, 'b'), ptr(4500, 'c')], 'eth0');
    advance(49_000);
    expect(cache.knownAnswers('eth0', 'PTR', '_ssh._tcp.local').map((k) => [k.data, k.ttl])).toEqual([
      ['b._ssh._tcp.local', 51],
      ['c._ssh._tcp.local', 4451],
    ]);
    expect(cache.isKnownAnswer('eth0', ptr(100, 'b'))).toBe(true);
    advance(1_000);
    expect(cache.knownAnswers('eth0', 'PTR', '_ssh._tcp.local').map((k) => k.data)).toEqual(['c._ssh._tcp.local']);
    expect(cache.isKnownAnswer('eth0', ptr(100, 'b'))).toBe(false);
    expect(cache.isKnownAnswer('usb0', ptr(4500, 'c'))).toBe(false);
  });

  it('cuts a hostile TTL to 75 minutes, so a forged record cannot stay forever', () => {
    const { cache, advance } = setup();
    cache.ingest([ptr(0x7fffffff)], 'eth0');
    advance(MAX_TTL_S * 1000);
    expect(cache.runDeadlines().removed.map((c) => c.record.type)).toEqual(['PTR']);
  });

  it('holds at most maxRecords: new records beyond it are turned away and counted, known ones still renew', () => {
    const { cache } = setup({ maxRecords: 3 });
    cache.ingest([ptr(4500, 'b'), ptr(4500, 'c'), ptr(4500, 'd'), ptr(4500, 'e'), ptr(4500, 'f')], 'eth0');
    expect(cache.size).toBe(3);
    expect(cache.refused).toBe(2);
    expect(cache.ingest([ptr(4500, 'b')], 'eth0').map((c) => c.op)).toEqual(['renewed']);
  });

  it('keeps its deadline heap in proportion to the records, however often a record is renewed', () => {
    const { cache, advance } = setup();
    for (let i = 0; i < 10_000; i++) {
      cache.ingest([srv('b.local', 120)], 'eth0');
      advance(1);
    }
    // one record; its superseded deadlines are compacted away instead of piling up (a flood renews constantly)
    expect(cache.size).toBe(1);
    expect(cache.scheduled).toBeLessThan(100);
  });

  it("works out each record's keys once: a packet costs O(records) name normalisations, however much the cache holds", () => {
    // 25 boards in one packet, as a responder answers a browse: PTR, and SRV, TXT, A, AAAA with the cache-flush bit
    const packet = (from: number) =>
      Array.from({ length: 25 }, (_, i): IncomingRecord[] => {
        const b = `bench-${from + i}`;
        return [
          { ...ptr(4500, b) },
          { type: 'SRV', name: `${b}._ssh._tcp.local`, data: { target: `${b}.local`, port: 22 }, ttl: 120, flush: true },
          { type: 'TXT', name: `${b}._ssh._tcp.local`, data: ['mblos=1'], ttl: 4500, flush: true },
          { type: 'A', name: `${b}.local`, data: '169.254.40.1', ttl: 120, flush: true },
          { type: 'AAAA', name: `${b}.local`, data: 'fe80::1', ttl: 120, flush: true },
        ];
      }).flat();
    const empty = setup().cache;
    const intoEmpty = countNormalisations(() => empty.ingest(packet(0), 'eth0'));
    const full = setup().cache;
    for (let from = 0; from < 1_000; from += 25) full.ingest(packet(from), 'eth0');
    const intoFull = countNormalisations(() => full.ingest(packet(1_000), 'eth0'));
    // one per owner name, one more for a PTR's or SRV's target: 7 for a board's 5 records
    expect(intoEmpty).toBe(25 * 7);
    expect(intoFull).toBe(intoEmpty);
    // renewing what is held costs the same again, not more
    expect(countNormalisations(() => full.ingest(packet(0), 'eth0'))).toBe(25 * 7);
  });
});
