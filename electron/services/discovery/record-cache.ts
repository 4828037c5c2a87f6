import type { CachedRecord, MdnsRecord } from '../../../shared/domain/devices';

/** A record as it arrived: TTL in seconds (0 = goodbye), and mDNS's cache-flush bit. */
export type IncomingRecord = MdnsRecord & { ttl: number; flush?: boolean };

type Entry = CachedRecord & { refreshStage: number };

/** RFC 6762 §5.2: a querier re-asks at 80, 85, 90 and 95 % of a record's lifetime before it expires. */
const REFRESH_POINTS = [0.8, 0.85, 0.9, 0.95];

function dataKey(r: MdnsRecord): string {
  switch (r.type) {
    case 'PTR':
      return r.data.toLowerCase();
    case 'SRV':
      return `${r.data.target.toLowerCase()}:${r.data.port}`;
    case 'TXT':
      return r.data.join('\u0000');
    default:
      return r.data;
  }
}

const groupKey = (link: string, r: MdnsRecord) => `${link}\u0000${r.type}\u0000${r.name.toLowerCase()}`;
const recordKey = (link: string, r: MdnsRecord) => `${groupKey(link, r)}\u0000${dataKey(r)}`;

/**
 * The mDNS cache of one browser, per workstation interface ("link"): keeps each record until its TTL runs
 * out, drops it at once on a goodbye (TTL 0), honours the cache-flush bit, and says when records are due
 * for a refresh query. bonjour-service does none of this itself (its Browser never calls `expire()`), so a
 * board that loses power would otherwise stay listed forever. Time comes from the injected clock (ms).
 */
export class RecordCache {
  readonly #records = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Takes the records of one packet that arrived on `link`. Returns true if the set of records changed. */
  ingest(records: readonly IncomingRecord[], link: string): boolean {
    const now = this.#now();
    let changed = false;
    const flushed = new Set<string>();
    for (const r of records) {
      if (r.flush && r.ttl > 0) flushed.add(groupKey(link, r));
    }
    // Cache flush: records of the same name and type learnt more than a second ago are replaced by this packet's.
    if (flushed.size) {
      const fresh = new Set(records.filter((r) => r.ttl > 0).map((r) => recordKey(link, r)));
      for (const [k, e] of this.#records) {
        if (flushed.has(groupKey(e.link, e)) && !fresh.has(k) && e.receivedAt < now - 1000) {
          this.#records.delete(k);
          changed = true;
        }
      }
    }
    for (const r of records) {
      const k = recordKey(link, r);
      if (r.ttl <= 0) {
        if (this.#records.delete(k)) changed = true;
        continue;
      }
      if (!this.#records.has(k)) changed = true;
      const { flush: _flush, ...rest } = r;
      this.#records.set(k, { ...(rest as MdnsRecord), link, ttl: r.ttl, receivedAt: now, refreshStage: 0 } as Entry);
    }
    return changed;
  }

  /** Drops records whose TTL has run out. Returns true if any went. */
  expire(): boolean {
    const now = this.#now();
    let changed = false;
    for (const [k, e] of this.#records) {
      if (e.receivedAt + e.ttl * 1000 <= now) {
        this.#records.delete(k);
        changed = true;
      }
    }
    return changed;
  }

  /** True when some record has reached its next refresh point; each point triggers once per record. */
  dueForRefresh(isWanted: (r: CachedRecord) => boolean = () => true): boolean {
    const now = this.#now();
    let due = false;
    for (const e of this.#records.values()) {
      if (!isWanted(e)) continue;
      // Points already passed together (a late tick) count as one query.
      while (REFRESH_POINTS[e.refreshStage] !== undefined && now >= e.receivedAt + e.ttl * 1000 * REFRESH_POINTS[e.refreshStage]!) {
        e.refreshStage++;
        due = true;
      }
    }
    return due;
  }

  /** When the next record expires or needs refreshing (ms since epoch), for scheduling; undefined if empty. */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const e of this.#records.values()) {
      const point = REFRESH_POINTS[e.refreshStage] ?? 1;
      const t = e.receivedAt + e.ttl * 1000 * point;
      if (next === undefined || t < next) next = t;
    }
    return next;
  }

  /** The links among `candidates` on which this exact record (type, name, data) is already held. */
  linksHolding(r: MdnsRecord, candidates: readonly string[]): string[] {
    return candidates.filter((link) => this.#records.has(recordKey(link, r)));
  }

  /** Forgets everything learnt on an interface that went away (a USB-gadget board unplugged). */
  dropLink(link: string): boolean {
    let changed = false;
    for (const [k, e] of this.#records) {
      if (e.link === link) {
        this.#records.delete(k);
        changed = true;
      }
    }
    return changed;
  }

  all(): CachedRecord[] {
    return [...this.#records.values()].map(({ refreshStage: _s, ...r }) => r as CachedRecord);
  }

  get size(): number {
    return this.#records.size;
  }

  clear(): void {
    this.#records.clear();
  }
}
