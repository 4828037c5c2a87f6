import type { CachedRecord, MdnsRecord } from '../../../shared/domain/devices';
import { DeadlineHeap } from './deadline-heap';
import { normalName } from './dns-name';
import type { KnownAnswer } from './mdns-wire';

/** A record as it arrived: TTL in seconds (0 = goodbye), and mDNS's cache-flush bit. */
export type IncomingRecord = MdnsRecord & { ttl: number; flush?: boolean };

/**
 * What happened to a record: the device index rebuilds the devices these touch. The record is the cache's own
 * entry, renewed in place: compare its `receivedAt` to tell whether it was renewed since.
 */
export interface CacheChange {
  op: 'added' | 'removed' | 'renewed';
  record: CachedRecord;
}

/** RFC 6762 §5.2: a querier re-asks at 80, 85, 90 and 95 % of a record's lifetime, plus up to 2 % at random. */
const REFRESH_POINTS = [0.8, 0.85, 0.9, 0.95];
const REFRESH_JITTER = 0.02;
/** RFC 6762 §10.1/§10.2: a goodbye or a flushed record lives one more second, so a quick re-announcement doesn't flicker. */
const GRACE_MS = 1000;

/** Enough for 4,000 boards (five records each); a flood of made-up names stops here instead of eating memory. */
export const DEFAULT_MAX_RECORDS = 20_000;
/** RFC 6762 recommends 75 minutes for most records; longer TTLs (a hostile 2^31 s) are cut to it. */
export const MAX_TTL_S = 4500;

type Entry = CachedRecord & { key: string; group: string; gen: number; stage: number; jitter: number; expiresAt: number };

function dataKey(r: MdnsRecord): string {
  switch (r.type) {
    case 'PTR':
      return normalName(r.data);
    case 'SRV':
      return `${normalName(r.data.target)}:${r.data.port}`;
    case 'TXT':
      return r.data.join('\u0000');
    default:
      return r.data;
  }
}

export const groupKey = (link: string, type: MdnsRecord['type'], name: string) => `${link}\u0000${type}\u0000${normalName(name)}`;
const recordKey = (link: string, r: MdnsRecord) => `${groupKey(link, r.type, r.name)}\u0000${dataKey(r)}`;

export interface RecordCacheOptions {
  /** The clock, in ms. */
  now: () => number;
  maxRecords?: number;
  random?: () => number;
}

/**
 * The mDNS cache, per workstation interface ("link"): keeps each record until its TTL runs out, honours
 * goodbyes and the cache-flush bit, says which records are due for a refresh query, and which records it
 * holds as known answers. Indexed by owner name and type, with one heap of deadlines, so a packet or a timer
 * costs in proportion to the records it touches, never to the size of the cache.
 */
export class RecordCache {
  readonly #records = new Map<string, Entry>();
  readonly #groups = new Map<string, Set<string>>();
  readonly #deadlines = new DeadlineHeap<string>();
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #max: number;
  /** New records turned away because the cache was full. */
  refused = 0;

  constructor(opts: RecordCacheOptions) {
    this.#now = opts.now;
    this.#random = opts.random ?? Math.random;
    this.#max = opts.maxRecords ?? DEFAULT_MAX_RECORDS;
  }

  get size(): number {
    return this.#records.size;
  }

  /** Deadlines queued, superseded ones included (kept in proportion to `size`). */
  get scheduled(): number {
    return this.#deadlines.size;
  }

  /** Takes the records of one packet that arrived on `link`; returns what changed and what was only renewed. */
  ingest(records: readonly IncomingRecord[], link: string): CacheChange[] {
    const now = this.#now();
    const changes: CacheChange[] = [];
    // Each record's keys once: a thousand boards' answers are thousands of records a second.
    const groups = records.map((r) => groupKey(link, r.type, r.name));
    const keys = records.map((r, i) => `${groups[i]}\u0000${dataKey(r)}`);
    if (records.some((r) => r.flush && r.ttl > 0)) this.#flushOthers(records, groups, keys, now);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const existing = this.#records.get(keys[i]!);
      if (r.ttl <= 0) {
        if (existing) this.#expireSoon(existing, now);
        continue;
      }
      const ttl = Math.min(r.ttl, MAX_TTL_S);
      if (existing) {
        this.#renew(existing, ttl, now);
        changes.push({ op: 'renewed', record: existing });
        continue;
      }
      if (this.#records.size >= this.#max) {
        this.refused++;
        continue;
      }
      changes.push({ op: 'added', record: this.#add(keys[i]!, groups[i]!, link, r, ttl, now) });
    }
    return changes;
  }

  /** Cache flush: the others of a flushed name and type, learnt over a second ago, go in one second. */
  #flushOthers(records: readonly IncomingRecord[], groups: readonly string[], keys: readonly string[], now: number): void {
    const fresh = new Set<string>();
    for (let i = 0; i < records.length; i++) if (records[i]!.ttl > 0) fresh.add(keys[i]!);
    const flushed = new Set<string>();
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const group = groups[i]!;
      if (!r.flush || r.ttl <= 0 || flushed.has(group)) continue;
      flushed.add(group);
      for (const k of this.#groups.get(group) ?? []) {
        const e = this.#records.get(k)!;
        if (!fresh.has(k) && e.receivedAt < now - GRACE_MS) this.#expireSoon(e, now);
      }
    }
  }

  /** Drops expired records and returns them, with the records that reached a refresh point since the last call. */
  runDeadlines(): { removed: CacheChange[]; refresh: CachedRecord[] } {
    const now = this.#now();
    const removed: CacheChange[] = [];
    const refresh: CachedRecord[] = [];
    for (let top = this.#deadlines.peek(); top && top.at <= now; top = this.#deadlines.peek()) {
      this.#deadlines.pop();
      const e = this.#records.get(top.key);
      if (!e || e.gen !== top.gen) continue;
      if (now >= e.expiresAt) {
        this.#delete(e);
        removed.push({ op: 'removed', record: e });
        continue;
      }
      // Points passed together (a late timer) count as one query.
      while (e.stage < REFRESH_POINTS.length && this.#pointAt(e, e.stage) <= now) e.stage++;
      refresh.push(e);
      this.#schedule(e);
    }
    return { removed, refresh };
  }

  /** The records of one name and type on a link. */
  get(link: string, type: MdnsRecord['type'], name: string): CachedRecord[] {
    const out: CachedRecord[] = [];
    for (const k of this.#groups.get(groupKey(link, type, name)) ?? []) out.push(this.#records.get(k)!);
    return out;
  }

  /** RFC 6762 §7.1: the records answering this question that still have more than half their TTL. */
  knownAnswers(link: string, type: MdnsRecord['type'], name: string): KnownAnswer[] {
    const now = this.#now();
    const out: KnownAnswer[] = [];
    for (const e of this.get(link, type, name) as Entry[]) {
      const left = this.#halfLeft(e, now);
      if (left !== undefined) out.push({ ...stripMeta(e), ttl: left });
    }
    return out;
  }

  /** Whether we hold this record with more than half its TTL left (it would be one of our known answers). */
  isKnownAnswer(link: string, r: MdnsRecord): boolean {
    const e = this.#records.get(recordKey(link, r));
    return e !== undefined && this.#halfLeft(e, this.#now()) !== undefined;
  }

  /** This exact record (type, name, data) on a link, if held. */
  find(link: string, r: MdnsRecord): CachedRecord | undefined {
    return this.#records.get(recordKey(link, r));
  }

  /** Forgets everything learnt on an interface that went away (a USB-gadget board unplugged). */
  dropLink(link: string): CacheChange[] {
    const removed: CacheChange[] = [];
    for (const e of [...this.#records.values()]) {
      if (e.link !== link) continue;
      this.#delete(e);
      removed.push({ op: 'removed', record: e });
    }
    return removed;
  }

  clear(): void {
    this.#records.clear();
    this.#groups.clear();
    this.#deadlines.clear();
  }

  #add(key: string, group: string, link: string, r: IncomingRecord, ttl: number, now: number): Entry {
    const entry = { type: r.type, name: r.name, data: r.data, link, ttl, receivedAt: now, key, group, gen: 0, stage: 0, jitter: 0, expiresAt: 0 } as Entry;
    this.#records.set(key, entry);
    let members = this.#groups.get(group);
    if (!members) this.#groups.set(group, (members = new Set()));
    members.add(key);
    this.#renew(entry, ttl, now);
    return entry;
  }

  /** A fresh copy: the TTL starts again, and so do the refresh points. */
  #renew(e: Entry, ttl: number, now: number): void {
    e.ttl = ttl;
    e.receivedAt = now;
    e.gen++;
    e.stage = 0;
    e.jitter = this.#random() * REFRESH_JITTER;
    e.expiresAt = now + ttl * 1000;
    this.#schedule(e);
  }

  /** Seconds left, when more than half the TTL is left and no goodbye or flush has cut it short. */
  #halfLeft(e: Entry, now: number): number | undefined {
    const left = e.ttl - (now - e.receivedAt) / 1000;
    return e.expiresAt - now > GRACE_MS && left > e.ttl / 2 ? Math.floor(left) : undefined;
  }

  #pointAt(e: Entry, stage: number): number {
    return e.receivedAt + e.ttl * 1000 * (REFRESH_POINTS[stage]! + e.jitter);
  }

  #schedule(e: Entry): void {
    const at = e.stage < REFRESH_POINTS.length ? Math.min(this.#pointAt(e, e.stage), e.expiresAt) : e.expiresAt;
    this.#deadlines.push(at, e.key, e.gen);
    // Renewals leave superseded deadlines behind; clear them out before they outnumber the records.
    if (this.#deadlines.size > 4 * this.#records.size + 64) this.#deadlines.compact((k, gen) => this.#records.get(k)?.gen === gen);
  }

  #expireSoon(e: Entry, now: number): void {
    if (e.expiresAt <= now + GRACE_MS) return;
    e.expiresAt = now + GRACE_MS;
    e.stage = REFRESH_POINTS.length;
    e.gen++;
    this.#schedule(e);
  }

  #delete(e: Entry): void {
    this.#records.delete(e.key);
    const members = this.#groups.get(e.group);
    members?.delete(e.key);
    if (members?.size === 0) this.#groups.delete(e.group);
  }
}

function stripMeta(e: Entry): MdnsRecord {
  return { type: e.type, name: e.name, data: e.data } as MdnsRecord;
}
