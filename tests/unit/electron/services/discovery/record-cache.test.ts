import { describe, expect, it } from 'vitest';
import { RecordCache, type IncomingRecord } from '../../../../../electron/services/discovery/record-cache';

const srv = (target: string, ttl = 120, flush = true): IncomingRecord => ({ type: 'SRV', name: 'b._ssh._tcp.local', data: { target, port: 22 }, ttl, flush });
const a = (addr: string, ttl = 120, flush = true): IncomingRecord => ({ type: 'A', name: 'b.local', data: addr, ttl, flush });
const ptr = (ttl = 4500): IncomingRecord => ({ type: 'PTR', name: '_ssh._tcp.local', data: 'b._ssh._tcp.local', ttl });

function setup() {
  let now = 1_000_000;
  const cache = new RecordCache(() => now);
  return { cache, advance: (ms: number) => (now += ms) };
}

describe('RecordCache', () => {
  it('keeps a record for exactly its TTL (injected clock)', () => {
    const { cache, advance } = setup();
    expect(cache.ingest([ptr(), srv('b.local', 120)], 'eth0')).toBe(true);
    advance(119_999);
    expect(cache.expire()).toBe(false);
    expect(cache.all().map((r) => r.type).sort()).toEqual(['PTR', 'SRV']);
    advance(1);
    expect(cache.expire()).toBe(true);
    expect(cache.all().map((r) => r.type)).toEqual(['PTR']);
  });

  it('a fresh copy of a record restarts its TTL', () => {
    const { cache, advance } = setup();
    cache.ingest([srv('b.local', 10)], 'eth0');
    advance(9_000);
    expect(cache.ingest([srv('b.local', 10)], 'eth0')).toBe(false);
    advance(9_000);
    cache.expire();
    expect(cache.size).toBe(1);
  });

  it('drops a record at once on a goodbye (TTL 0)', () => {
    const { cache } = setup();
    cache.ingest([ptr(), srv('b.local')], 'eth0');
    expect(cache.ingest([ptr(0)], 'eth0')).toBe(true);
    expect(cache.all().map((r) => r.type)).toEqual(['SRV']);
  });

  it('keeps records per link: a goodbye on one interface leaves the other', () => {
    const { cache } = setup();
    cache.ingest([ptr()], 'eth0');
    cache.ingest([ptr()], 'usb0');
    cache.ingest([ptr(0)], 'usb0');
    expect(cache.all().map((r) => r.link)).toEqual(['eth0']);
  });

  it('cache-flush replaces records of the same name and type learnt over a second ago', () => {
    const { cache, advance } = setup();
    cache.ingest([a('169.254.1.1')], 'eth0');
    cache.ingest([a('169.254.1.2')], 'eth0'); // same second: both kept (a multi-packet answer)
    expect(cache.all().map((r) => r.data).sort()).toEqual(['169.254.1.1', '169.254.1.2']);
    advance(1_500);
    cache.ingest([a('169.254.1.3')], 'eth0');
    expect(cache.all().map((r) => r.data)).toEqual(['169.254.1.3']);
    advance(1_500);
    cache.ingest([a('169.254.1.4', 120, false)], 'eth0'); // shared record: no flush
    expect(cache.all().map((r) => r.data).sort()).toEqual(['169.254.1.3', '169.254.1.4']);
  });

  it('cache-flush on one interface never touches the same name learnt on another (two boards, one name)', () => {
    const { cache, advance } = setup();
    cache.ingest([ptr(), srv('b.local')], 'usb-a');
    advance(3_000);
    cache.ingest([ptr(), srv('b.local')], 'usb-b');
    expect(cache.all().map((r) => `${r.type}@${r.link}`).sort()).toEqual(['PTR@usb-a', 'PTR@usb-b', 'SRV@usb-a', 'SRV@usb-b']);
  });

  it('asks for a refresh at 80, 85, 90 and 95 % of the TTL, once each', () => {
    const { cache, advance } = setup();
    cache.ingest([srv('b.local', 100)], 'eth0');
    expect(cache.dueForRefresh()).toBe(false);
    advance(79_999);
    expect(cache.dueForRefresh()).toBe(false);
    advance(1);
    expect(cache.dueForRefresh()).toBe(true);
    expect(cache.dueForRefresh()).toBe(false);
    advance(5_000);
    expect(cache.dueForRefresh()).toBe(true);
    advance(10_000);
    expect(cache.dueForRefresh()).toBe(true);
    expect(cache.dueForRefresh()).toBe(false);
    advance(4_000);
    expect(cache.dueForRefresh()).toBe(false);
    expect(cache.nextDeadline()).toBe(1_000_000 + 100_000);
  });
});
