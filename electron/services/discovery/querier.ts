import { DeadlineHeap } from './deadline-heap';
import { encodeQuery, type KnownAnswer, type Question, type QuestionType } from './mdns-wire';
import { normalName } from './dns-name';
import type { RecordCache } from './record-cache';

/** RFC 6762 §5.2: the second query one second after the first, then doubling, up to an hour. */
export const FIRST_INTERVAL_MS = 1000;
export const MAX_INTERVAL_MS = 3_600_000;
/** A missing SRV/TXT/address is asked for this soon after it is noticed (the rest of a packet burst comes first). */
const RESOLVE_DELAY_MS = 100;
const MAX_RESOLVE_INTERVAL_MS = 60_000;
/** Questions due this close together go out in one packet. */
const AGGREGATE_MS = 50;

interface LinkState {
  interval: number;
  nextBrowseAt: number;
  /** The next browse query asks for unicast answers (a querier that just started, RFC 6762 §5.4). */
  unicast: boolean;
  /** Sends on this link are failing: retry every second without backing off. */
  failing: boolean;
  /** The next browse query carries no known answers, so every board answers (the Refresh button). */
  askEveryone: boolean;
  lastBrowseAt: number;
}

interface Pending {
  link: string;
  name: string;
  type: QuestionType;
  dueAt: number;
  /** Resolve questions back off (1 s, 2 s, …); refresh questions are asked once. */
  interval?: number;
  gen: number;
  stillNeeded: () => boolean;
}

export interface QuerierDeps {
  cache: RecordCache;
  /** The browsed service type, e.g. `_ssh._tcp.local`. */
  service: string;
  now: () => number;
  send: (link: string, packets: Buffer[]) => void;
}

const qkey = (link: string, name: string, type: QuestionType) => `${link}\u0000${type}\u0000${normalName(name)}`;

/**
 * The querying half of an RFC 6762 browser, per link: continuous browse queries that back off from one second
 * to an hour and carry known answers (§5.2, §7.1), one-off questions to refresh records near the end of their
 * TTL and to resolve announced but incomplete instances, and duplicate-question suppression (§7.3).
 * It decides what to send and when; the transport sends it, and reports failures back.
 */
export class Querier {
  readonly #deps: QuerierDeps;
  readonly #links = new Map<string, LinkState>();
  readonly #pending = new Map<string, Pending>();
  readonly #heap = new DeadlineHeap<string>();
  #browsing = false;
  /** Query packets, questions and browse queries (one per link and back-off step) sent, for the benchmark. */
  packetsSent = 0;
  questionsSent = 0;
  browseQueries = 0;

  constructor(deps: QuerierDeps) {
    this.#deps = deps;
  }

  /** Starts (or restarts) browsing on every link: a query now, then 1 s, 2 s, 4 s… */
  browse(): void {
    this.#browsing = true;
    for (const link of this.#links.keys()) this.restart(link);
  }

  get browsing(): boolean {
    return this.#browsing;
  }

  addLink(link: string): void {
    if (this.#links.has(link)) return;
    this.#links.set(link, { interval: FIRST_INTERVAL_MS, nextBrowseAt: this.#deps.now(), unicast: true, failing: false, askEveryone: false, lastBrowseAt: 0 });
  }

  removeLink(link: string): void {
    this.#links.delete(link);
    for (const [k, p] of this.#pending) if (p.link === link) this.#pending.delete(k);
  }

  /**
   * Asks again now and resets the back-off (sends that work again). `everyone`: without known answers, so every
   * board answers and shows it is still there (the Refresh button).
   */
  restart(link: string, opts: { everyone?: boolean } = {}): void {
    const s = this.#links.get(link);
    if (!s) return;
    s.interval = FIRST_INTERVAL_MS;
    s.nextBrowseAt = this.#deps.now();
    if (opts.everyone) s.askEveryone = true;
  }

  /**
   * Queues a question. `resolve`: asked soon and then with back-off while `stillNeeded`; otherwise asked once
   * at `at` (a refresh). A question already queued keeps the earlier time.
   */
  ask(link: string, name: string, type: QuestionType, opts: { resolve?: boolean; at?: number; stillNeeded: () => boolean }): void {
    if (!this.#links.has(link)) return;
    const key = qkey(link, name, type);
    const dueAt = opts.at ?? this.#deps.now() + (opts.resolve ? RESOLVE_DELAY_MS : 0);
    const existing = this.#pending.get(key);
    if (existing && existing.dueAt <= dueAt) return;
    const p: Pending = { link, name, type, dueAt, gen: (existing?.gen ?? 0) + 1, stillNeeded: opts.stillNeeded };
    if (opts.resolve) p.interval = FIRST_INTERVAL_MS;
    this.#pending.set(key, p);
    this.#heap.push(dueAt, key, p.gen);
  }

  /**
   * Another host asked on this link (RFC 6762 §7.3): a question we were about to ask counts as asked, provided its
   * known answers hid nothing we lack (then the responses it gets are the ones we want).
   */
  observeQuery(
    link: string,
    questions: ReadonlyArray<{ name: string; type: string; unicast: boolean }>,
    knownAnswers: readonly KnownAnswer[],
    truncated: boolean,
  ): void {
    const s = this.#links.get(link);
    if (!s || truncated) return;
    const now = this.#deps.now();
    for (const q of questions) {
      if (q.unicast) continue;
      const type = q.type as QuestionType;
      const theirs = knownAnswers.filter((a) => a.type === type && sameName(a.name, q.name));
      const hidden = theirs.some((a) => !this.#deps.cache.isKnownAnswer(link, a));
      if (hidden) continue;
      if (this.#browsing && type === 'PTR' && sameName(q.name, this.#deps.service) && !s.failing && s.nextBrowseAt > now) {
        this.#advance(s, now);
        continue;
      }
      const p = this.#pending.get(qkey(link, q.name, type));
      if (p && p.dueAt <= now + FIRST_INTERVAL_MS) this.#reschedule(qkey(link, q.name, type), p, now);
    }
  }

  /** A send on this link failed (`refused` or otherwise): keep retrying every second instead of backing off. */
  sendFailed(link: string): void {
    const s = this.#links.get(link);
    if (!s) return;
    s.failing = true;
    s.interval = FIRST_INTERVAL_MS;
    s.nextBrowseAt = Math.min(s.nextBrowseAt, this.#deps.now() + FIRST_INTERVAL_MS);
  }

  /** A send on this link worked; after failures, browsing starts over so that boards appear at once. */
  sendSucceeded(link: string): void {
    const s = this.#links.get(link);
    if (!s?.failing) return;
    s.failing = false;
    s.unicast = true;
    this.restart(link);
  }

  /** When browsing last sent a query on any link (ms), or 0. */
  lastBrowseAt(): number {
    let last = 0;
    for (const s of this.#links.values()) last = Math.max(last, s.lastBrowseAt);
    return last;
  }

  /** Sends everything due now; returns nothing, the transport reports how the sends went. */
  run(): void {
    const now = this.#deps.now();
    const due = new Map<string, Question[]>();
    const everyone = new Set<string>();
    const add = (link: string, q: Question) => {
      const list = due.get(link);
      if (list) list.push(q);
      else due.set(link, [q]);
    };
    for (let top = this.#heap.peek(); top && top.at <= now + AGGREGATE_MS; top = this.#heap.peek()) {
      this.#heap.pop();
      const p = this.#pending.get(top.key);
      if (!p || p.gen !== top.gen) continue;
      if (!this.#links.has(p.link) || !p.stillNeeded()) {
        this.#pending.delete(top.key);
        continue;
      }
      add(p.link, { name: p.name, type: p.type });
      this.#reschedule(top.key, p, now);
    }
    if (this.#browsing) {
      for (const [link, s] of this.#links) {
        if (s.nextBrowseAt > now + AGGREGATE_MS) continue;
        // The browse question goes last, so its known answers follow it (and continue in TC packets).
        add(link, { name: this.#deps.service, type: 'PTR', unicast: s.unicast });
        if (s.askEveryone) everyone.add(link);
        this.browseQueries++;
        s.unicast = false;
        s.askEveryone = false;
        s.lastBrowseAt = now;
        this.#advance(s, now);
      }
    }
    for (const [link, questions] of due) {
      const known: KnownAnswer[] = [];
      if (!everyone.has(link)) for (const q of questions) known.push(...this.#deps.cache.knownAnswers(link, q.type, q.name));
      const packets = encodeQuery(questions, known);
      this.packetsSent += packets.length;
      this.questionsSent += questions.length;
      this.#deps.send(link, packets);
    }
  }

  clear(): void {
    this.#links.clear();
    this.#pending.clear();
    this.#heap.clear();
    this.#browsing = false;
  }

  #advance(s: LinkState, now: number): void {
    s.nextBrowseAt = now + s.interval;
    if (!s.failing) s.interval = Math.min(s.interval * 2, MAX_INTERVAL_MS);
  }

  #reschedule(key: string, p: Pending, now: number): void {
    if (p.interval === undefined) {
      this.#pending.delete(key);
      return;
    }
    p.dueAt = now + p.interval;
    p.interval = Math.min(p.interval * 2, MAX_RESOLVE_INTERVAL_MS);
    p.gen++;
    this.#heap.push(p.dueAt, key, p.gen);
  }
}

const sameName = (a: string, b: string) => normalName(a) === normalName(b);
