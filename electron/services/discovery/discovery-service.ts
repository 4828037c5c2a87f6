import { devicesEvents, type DeviceList, type DevicesErrorCode, type DiscoveryHealth } from '../../../shared/contract/devices';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { settingsEvents } from '../../../shared/contract/settings';
import { withScope } from '../../../shared/domain/address';
import { filterDevices, orderAddresses, sameBoardOnTwoLinks, sortDevices, SSH_SERVICE, type Device, type DeviceChange } from '../../../shared/domain/devices';
import type { EventHub } from '../events';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/settings-service';
import { DeviceIndex, type Unresolved } from './device-index';
import { createDeviceSettings } from './device-settings';
import { normalName } from './dns-name';
import { resolveHostName, type OsLookup } from './host-names';
import { ManualDevices } from './manual-devices';
import { createBonjourTransport, type MdnsTransport } from './mdns-transport';
import { PublishedDevices } from './published-devices';
import { FIRST_INTERVAL_MS, Querier } from './querier';
import { RecordCache, type CacheChange, type IncomingRecord } from './record-cache';
import { SendHealth } from './send-health';

export interface DiscoveryDeps {
  events: EventHub;
  log: Logger;
  clock: () => Date;
  /** Absent for a one-off discovery without manual devices, nicknames or favourites. Lazy: composition builds it alongside. */
  settings?: () => SettingsService;
  /** Defaults to bonjour-service on every interface. */
  transport?: () => MdnsTransport;
  /** The OS resolver for host names (tests replace it). */
  osLookup?: OsLookup;
  /** How long the app's own mDNS query for a `NAME.local` waits for an answer (ms); 2 s by default. */
  resolveTimeoutMs?: number;
  /** How often deadlines (expiry, refresh, queries) are checked (ms). */
  tickMs?: number;
  /** Changes to the doors go out at most this often (ms); 0 sends each at once. */
  eventBatchMs?: number;
  limits?: { maxRecords?: number; maxGone?: number };
  random?: () => number;
}

export interface DiscoverOnceOptions {
  /** The most to wait, counted from when browsing started; it ends earlier once the list has settled. */
  timeoutMs: number;
  /** Include non-MBL `_ssh._tcp` services (TXT without `mblos`). */
  all?: boolean;
  signal?: AbortSignal;
  /**
   * Each device the result will hold, as soon as it is ready (resolved, with an address, and unchanged for
   * HOLD_MS) rather than once the whole list has settled, so that work on it can start; every board once (by
   * its id, and not again when seen on another link). The rest are handed over when the list has settled.
   */
  onResolved?: (device: Device) => void;
}

/** Counters for the benchmark and diagnostics. */
export interface DiscoveryStats {
  records: number;
  devices: number;
  /** Records turned away because the cache was full. */
  refusedRecords: number;
  /** Packets dropped because their sender was not on-link, or not from port 5353. */
  dropped: { offLink: number; notPort5353: number };
  packetsReceived: number;
  queryPacketsSent: number;
  questionsSent: number;
  /** Browse queries: one per interface and back-off step. */
  browseQueries: number;
}

export interface DiscoveryService {
  /** Starts browsing (idempotent). Resolves once the sockets are open, in well under a second. */
  start(): Promise<Result<void, DevicesErrorCode>>;
  stop(): Promise<void>;
  /** The snapshot for `devices:list`; starts discovery on first call. */
  list(): Promise<Result<DeviceList, DevicesErrorCode>>;
  /** Asks every board to answer now (no known answers; the back-off starts over) and answers with the snapshot. */
  refresh(): Promise<Result<DeviceList, DevicesErrorCode>>;
  /**
   * Present mDNS devices, sorted (the order `pws select INDEX` uses), as soon as the list has settled: every
   * announced device resolved and nothing new for a short quiet period after the last query round. `timeoutMs` caps it.
   */
  discoverOnce(opts: DiscoverOnceOptions): Promise<Result<Device[], DevicesErrorCode>>;
  /** A host name's addresses: the OS resolver, and for `NAME.local` the app's own mDNS query. */
  resolveHost(host: string): Promise<Result<string[], 'unresolvable-address'>>;
  addManual(req: { address: string; nickname?: string }): Promise<Result<Device, DevicesErrorCode>>;
  removeManual(req: { id: string }): Promise<Result<{ removed: string }, DevicesErrorCode>>;
  setNickname(req: { id: string; nickname: string }): Promise<Result<Device | null, DevicesErrorCode>>;
  setFavourite(req: { id: string; favourite: boolean }): Promise<Result<Device | null, DevicesErrorCode>>;
  /** In-process listener for every change (the CLI's `--watch`); the same changes go out batched as `devices:changed`. */
  onChange(listener: (change: DeviceChange) => void): () => void;
  /** In-process listener for health changes (the CLI says when the OS refuses mDNS). */
  onHealth(listener: (health: DiscoveryHealth) => void): () => void;
  /** Every device now, sorted (mDNS incl. not-present, and manual). */
  snapshot(): Device[];
  health(): DiscoveryHealth;
  stats(): DiscoveryStats;
  /** Expires records, sends due queries and publishes changes; runs on a timer, callable by tests. */
  tick(): void;
}

/** After the last query round and the last new answer, this much silence means the list has settled. */
export const QUIET_MS = 300;
/**
 * How long a resolved device holds still before `onResolved` hands it over: a board answers over IPv4 and over
 * IPv6 separately, each after its own 20–120 ms (RFC 6762 §6), and the second answer may add an address of the
 * family it lacks. One that has both families already is handed over at once.
 */
export const HOLD_MS = 150;
const RESOLVE_TIMEOUT_MS = 2000;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });

const bothFamilies = (addresses: readonly string[]) => addresses.some((a) => a.includes(':')) && addresses.some((a) => !a.includes(':'));

/**
 * Live LAN discovery. The transport's packets go into a TTL-tracking record cache; the device index rebuilds only
 * the devices a packet touches and publishes their changes (batched for the doors); the querier keeps asking with
 * back-off, known answers and refreshes. Manual devices, nicknames and favourites come from settings.
 */
export function createDiscoveryService(deps: DiscoveryDeps): DiscoveryService {
  const now = () => deps.clock().getTime();
  const cache = new RecordCache({ now, maxRecords: deps.limits?.maxRecords, random: deps.random });
  const index = new DeviceIndex(cache, { service: SSH_SERVICE, maxGone: deps.limits?.maxGone });
  let transport: MdnsTransport | undefined;
  const querier = new Querier({ cache, service: SSH_SERVICE, now, send: (link, packets) => transport?.send(link, packets) });
  const healthListeners = new Set<(h: DiscoveryHealth) => void>();
  let opening: Promise<Result<void, DevicesErrorCode>> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const manual = new ManualDevices();
  const published = new PublishedDevices({ events: deps.events, manual, batchMs: deps.eventBatchMs ?? 50 });
  let browseStartedAt = 0;
  /** When a record we didn't hold last arrived (settling waits for quiet). */
  let lastNewAt = 0;
  const dropped = { offLink: 0, notPort5353: 0 };
  let health: DiscoveryHealth = { sending: 'idle', sendError: null, packetsReceived: 0, listeningSince: null };
  const sends = new SendHealth();

  deps.events.on(settingsEvents.changed, (s) => {
    published.settings = s;
    if (transport) published.redecorate();
  });

  function setHealth(patch: Partial<DiscoveryHealth>): void {
    const next = { ...health, ...patch };
    const news = next.sending !== health.sending || next.sendError !== health.sendError || (health.packetsReceived === 0 && next.packetsReceived > 0);
    health = next;
    if (!news) return;
    deps.events.emit(devicesEvents.health, health);
    for (const l of healthListeners) l(health);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // records in, questions out

  /** Asks for what announced instances still lack (their SRV/TXT, or their host's addresses). */
  function askForMissing(list: Iterable<Unresolved>): void {
    for (const u of list) {
      for (const type of u.missing) {
        const name = type === 'A' || type === 'AAAA' ? u.host! : u.instance;
        querier.ask(u.link, name, type, { resolve: true, stillNeeded: () => index.isMissing(u.link, u.instance, type) });
      }
    }
  }

  function ingest(changes: CacheChange[]): void {
    if (changes.some((c) => c.op === 'added')) lastNewAt = now();
    published.publish(index.apply(changes));
    askForMissing(index.takeNewlyUnresolved());
  }

  /**
   * An IPv4 answer whose sender fits several interfaces' subnets: it belongs to the one interface on which its
   * records (typically the board's fe80 AAAA, learnt over IPv6 with a sure scope) are already known. If that
   * isn't exactly one, it is dropped rather than guessed: the IPv6 answers carry the board anyway.
   */
  function settleLink(records: readonly IncomingRecord[], candidates: readonly string[]): string | undefined {
    const holders = new Set<string>();
    for (const r of records) if (r.ttl > 0) for (const l of candidates) if (cache.find(l, r)) holders.add(l);
    if (holders.size === 1) return [...holders][0];
    deps.log.info(`mDNS: an IPv4 answer could have come through ${candidates.join(' or ')}; ignored (the IPv6 answers identify the board)`);
    return undefined;
  }

  /** Counted in place (one per packet); news only once, when the first packet arrives. */
  function countPacket(): void {
    if (health.packetsReceived === 0) setHealth({ packetsReceived: 1 });
    else health.packetsReceived++;
  }

  function onResponse(records: IncomingRecord[], from: string | string[]): void {
    countPacket();
    const link = typeof from === 'string' ? from : settleLink(records, from);
    if (link === undefined) return;
    const wanted = index.wanted(records, link);
    if (wanted.length) ingest(cache.ingest(wanted, link));
  }

  function onSendResult(link: string, family: 4 | 6, error: NodeJS.ErrnoException | null): void {
    const { worked, works } = sends.record(link, family, error);
    if (works && !worked) querier.sendSucceeded(link);
    if (!works) querier.sendFailed(link);
    const summary = sends.summary();
    if (summary.sending !== 'ok' && summary.sending !== health.sending) deps.log.warn(`mDNS: sending queries fails (${summary.sendError})`);
    setHealth(summary);
  }

  function tick(): void {
    const { removed, refresh } = cache.runDeadlines();
    if (removed.length) ingest(removed);
    for (const r of refresh) {
      const wanted = r.type !== 'A' && r.type !== 'AAAA' ? true : index.isHostWanted(r.link, r.name);
      if (!wanted) continue;
      const { receivedAt } = r;
      querier.ask(r.link, r.name, r.type, { stillNeeded: () => cache.find(r.link, r)?.receivedAt === receivedAt });
    }
    if (transport) querier.run();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // lifecycle

  async function loadSettings(): Promise<void> {
    if (!deps.settings) return;
    const r = await deps.settings().get();
    if (r.ok) published.settings = r.value;
    else deps.log.warn(`devices: ${r.message}`);
  }

  /** Opens the sockets (without browsing yet): shared by discovery and by host-name resolution. */
  function open(): Promise<Result<void, DevicesErrorCode>> {
    opening ??= (async (): Promise<Result<void, DevicesErrorCode>> => {
      await loadSettings();
      const t = (deps.transport ?? (() => createBonjourTransport({ log: deps.log })))();
      try {
        await t.start({
          onResponse,
          onQuery: (q, link) => {
            countPacket();
            querier.observeQuery(link, q.questions, q.knownAnswers, q.truncated);
          },
          onLinkUp: (link) => querier.addLink(link),
          onLinkGone: (link) => {
            querier.removeLink(link);
            sends.forgetLink(link);
            ingest(cache.dropLink(link));
          },
          onSendResult,
          onDropped: (reason) => (reason === 'off-link' ? dropped.offLink++ : dropped.notPort5353++),
        });
      } catch (err) {
        opening = undefined;
        await t.stop().catch(() => undefined);
        return fail('discovery-failed', `mDNS discovery could not start: ${(err as Error).message}`);
      }
      transport = t;
      for (const link of t.links()) querier.addLink(link);
      setHealth({ listeningSince: new Date(now()).toISOString() });
      timer = setInterval(tick, deps.tickMs ?? 100);
      timer.unref();
      published.redecorate();
      void resolveManualHostNames();
      return ok(undefined);
    })();
    return opening;
  }

  async function start(): Promise<Result<void, DevicesErrorCode>> {
    const r = await open();
    if (!r.ok || querier.browsing) return r;
    browseStartedAt = now();
    querier.browse();
    querier.run();
    return r;
  }

  async function stop(): Promise<void> {
    const pending = opening;
    opening = undefined;
    if (pending) await pending;
    if (timer) clearInterval(timer);
    timer = undefined;
    published.flush();
    const t = transport;
    transport = undefined;
    await t?.stop();
    cache.clear();
    index.clear();
    querier.clear();
    sends.clear();
    published.clear();
    health = { sending: 'idle', sendError: null, packetsReceived: 0, listeningSince: null };
  }

  function snapshotList(): DeviceList {
    return { devices: sortDevices(published.all()), discovering: Boolean(transport), interfaces: transport?.links() ?? [], health };
  }

  /** RFC 6762 §5 one-shot resolution with our own sockets: A and AAAA on every link until one answers. */
  async function mdnsLookup(host: string, timeoutMs: number): Promise<string[]> {
    const r = await open();
    if (!r.ok || !transport) return [];
    const name = normalName(host);
    index.wantedHosts.add(name);
    const found = () => {
      const out: string[] = [];
      for (const link of transport?.links() ?? []) {
        for (const type of ['A', 'AAAA'] as const) for (const rec of cache.get(link, type, name)) out.push(withScope(rec.data as string, link));
      }
      return orderAddresses(out);
    };
    try {
      // A board that announces itself has its addresses cached already (a run asks again for each name it was given).
      const cached = found();
      if (cached.length) return cached;
      // real time: waiting must end even where the service's clock is a test's fixed one
      const deadline = Date.now() + timeoutMs;
      let waiting = true;
      for (const link of transport.links()) {
        for (const type of ['A', 'AAAA'] as const) querier.ask(link, name, type, { resolve: true, at: now(), stillNeeded: () => waiting });
      }
      querier.run();
      while (!found().length && Date.now() < deadline) await sleep(25);
      // The other family's answer is usually in the same burst: a moment more for it, unless it is there.
      for (const end = Date.now() + 100; found().length && !bothFamilies(found()) && Date.now() < end;) await sleep(10);
      waiting = false;
      return found();
    } finally {
      index.wantedHosts.delete(name);
    }
  }

  const resolveHost = (host: string) => resolveHostName(host, { osLookup: deps.osLookup, mdnsLookup }, deps.resolveTimeoutMs ?? RESOLVE_TIMEOUT_MS);

  /** Host names of manual devices, resolved once per start so the list shows where they are. */
  async function resolveManualHostNames(): Promise<void> {
    await manual.resolveHostNames(published.settings?.pinnedDevices ?? [], resolveHost, () => transport !== undefined);
    if (transport) published.redecorate();
  }

  /** Settled: nothing unresolved, and quiet since the last query round and the last new answer. */
  function settled(): boolean {
    if (index.unresolvedCount > 0) return false;
    const t = now();
    const lastRound = querier.lastBrowseAt();
    if (!lastRound) return false;
    // Nothing at all yet: the first (unicast) answers may have gone to another program on port 5353; wait for
    // the second, multicast round.
    if (!cache.size && t < browseStartedAt + FIRST_INTERVAL_MS + QUIET_MS) return false;
    return t - Math.max(lastRound, lastNewAt) >= QUIET_MS;
  }

  /**
   * `discoverOnce`'s early hand-over: a present mDNS device of the filter, resolved and with an address, goes to
   * `give` once it has not changed for HOLD_MS, or at once with addresses of both families; `finish` gives the
   * settled list's others. Each board once.
   */
  function handOverEarly(give: (d: Device) => void, all: boolean) {
    const changedAt = new Map<string, number>([...published.ids()].map((id) => [id, -Infinity]));
    const stopWatching = published.onChange((c) => changedAt.set(c.device.id, now()));
    const given: Device[] = [];
    const handOver = (d: Device) => {
      if (given.some((g) => g.id === d.id || sameBoardOnTwoLinks(g, d))) return;
      given.push(d);
      give(d);
    };
    return {
      poll() {
        const t = now();
        for (const [id, at] of changedAt) {
          const d = published.get(id);
          if (t - at < HOLD_MS && !(d && bothFamilies(d.addresses))) continue;
          changedAt.delete(id);
          if (d?.source === 'mdns' && d.present && (all || d.isMbl) && d.addresses.length && index.isResolved(d)) handOver(d);
        }
      },
      finish(settledList: readonly Device[]) {
        for (const d of settledList) if (d.addresses.length) handOver(d);
      },
      stop: stopWatching,
    };
  }

  const deviceSettings = createDeviceSettings({
    settings: deps.settings,
    published,
    manual,
    index,
    resolveHost,
    running: () => transport !== undefined,
  });

  return {
    start,
    stop,
    tick,
    resolveHost,
    async list() {
      const s = await start();
      if (!s.ok) return s;
      return ok(snapshotList());
    },
    async refresh() {
      const s = await start();
      if (!s.ok) return s;
      for (const link of transport?.links() ?? []) querier.restart(link, { everyone: true });
      querier.run();
      return ok(snapshotList());
    },
    async discoverOnce(opts) {
      const early = opts.onResolved && handOverEarly(opts.onResolved, Boolean(opts.all));
      try {
        const s = await start();
        if (!s.ok) return s;
        const deadline = browseStartedAt + opts.timeoutMs;
        while (!opts.signal?.aborted && now() < deadline && !settled()) {
          early?.poll();
          await sleep(Math.min(25, deadline - now()), opts.signal);
        }
        const devices = sortDevices(filterDevices(published.all(), { source: 'mdns', presentOnly: true, mblOnly: !opts.all }));
        early?.finish(devices);
        return ok(devices);
      } finally {
        early?.stop();
      }
    },
    addManual: deviceSettings.addManual,
    removeManual: deviceSettings.removeManual,
    setNickname: deviceSettings.setNickname,
    setFavourite: deviceSettings.setFavourite,
    onChange: (listener) => published.onChange(listener),
    onHealth(listener) {
      healthListeners.add(listener);
      return () => healthListeners.delete(listener);
    },
    snapshot() {
      return sortDevices(published.all());
    },
    health: () => health,
    stats() {
      return {
        records: cache.size,
        devices: [...index.devices()].length,
        refusedRecords: cache.refused,
        dropped: { ...dropped },
        packetsReceived: health.packetsReceived,
        queryPacketsSent: querier.packetsSent,
        questionsSent: querier.questionsSent,
        browseQueries: querier.browseQueries,
      };
    },
  };
}

/**
 * One-off discovery without a core (no settings): browse until settled (at most `timeoutMs`), return the present
 * devices sorted, MBL ones only unless `all`.
 */
export async function discoverOnce(opts: DiscoverOnceOptions & { log?: Logger; transport?: () => MdnsTransport }): Promise<Result<Device[], DevicesErrorCode>> {
  const { EventHub } = await import('../events');
  const service = createDiscoveryService({
    events: new EventHub(),
    log: opts.log ?? { info() {}, warn() {}, error() {} },
    clock: () => new Date(),
    ...(opts.transport ? { transport: opts.transport } : {}),
  });
  try {
    return await service.discoverOnce(opts);
  } finally {
    await service.stop();
  }
}
