import { devicesEvents, type DeviceList, type DevicesErrorCode } from '../../../shared/contract/devices';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { settingsEvents, type Settings } from '../../../shared/contract/settings';
import { formatAddress, manualDeviceId, parseAddress } from '../../../shared/domain/address';
import {
  SSH_SERVICE,
  devicesFromRecords,
  diffDevices,
  filterDevices,
  sortDevices,
  type Device,
  type DeviceChange,
} from '../../../shared/domain/devices';
import type { EventHub } from '../events';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/settings-service';
import { createBonjourTransport, type MdnsTransport } from './mdns-transport';
import { RecordCache, type IncomingRecord } from './record-cache';

export interface DiscoveryDeps {
  events: EventHub;
  log: Logger;
  clock: () => Date;
  /** Absent for a one-off discovery without manual devices, nicknames or favourites. Lazy: composition builds it alongside. */
  settings?: () => SettingsService;
  /** Defaults to bonjour-service on every interface. */
  transport?: () => MdnsTransport;
  /** How often expiry and refresh are checked (ms). */
  tickMs?: number;
}

export interface DiscoverOnceOptions {
  /** How long to listen, counted from when browsing started (a long-running browser answers at once). */
  timeoutMs: number;
  /** Include non-MBL `_ssh._tcp` services (TXT without `mblos`). */
  all?: boolean;
  signal?: AbortSignal;
}

export interface DiscoveryService {
  /** Starts browsing (idempotent). Resolves once the sockets are open, in well under a second. */
  start(): Promise<Result<void, DevicesErrorCode>>;
  stop(): Promise<void>;
  /** The snapshot for `devices:list`; starts discovery on first call. */
  list(): Promise<Result<DeviceList, DevicesErrorCode>>;
  /** Sends a fresh query on every interface and answers with the snapshot. */
  refresh(): Promise<Result<DeviceList, DevicesErrorCode>>;
  /** Present mDNS devices after browsing for `timeoutMs`, sorted (the order `pws select INDEX` uses). */
  discoverOnce(opts: DiscoverOnceOptions): Promise<Result<Device[], DevicesErrorCode>>;
  addManual(req: { address: string; nickname?: string }): Promise<Result<Device, DevicesErrorCode>>;
  removeManual(req: { id: string }): Promise<Result<{ removed: string }, DevicesErrorCode>>;
  setNickname(req: { id: string; nickname: string }): Promise<Result<Device | null, DevicesErrorCode>>;
  setFavourite(req: { id: string; favourite: boolean }): Promise<Result<Device | null, DevicesErrorCode>>;
  /** In-process listener for every change (the CLI's `--watch`); the same changes go out as `devices:changed`. */
  onChange(listener: (change: DeviceChange) => void): () => void;
  /** Every device now, sorted (mDNS incl. not-present, and manual). */
  snapshot(): Device[];
  /** Expires records, sends due refresh queries and publishes changes; runs on a timer, callable by tests. */
  tick(): void;
}

const abortable = (ms: number, signal?: AbortSignal) =>
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

const SERVICE_SUFFIX = `.${SSH_SERVICE}`;

/** Only what can make up an _ssh._tcp device is cached: its PTR, SRV and TXT, and host addresses. */
function isRelevant(r: IncomingRecord): boolean {
  const name = r.name.toLowerCase().replace(/\.$/, '');
  if (r.type === 'PTR') return name === SSH_SERVICE;
  if (r.type === 'SRV' || r.type === 'TXT') return name.endsWith(SERVICE_SUFFIX);
  return true;
}

function manualDevice(entry: { address: string; nickname?: string | undefined }): Device | undefined {
  const parsed = parseAddress(entry.address);
  if (!parsed.ok) return undefined;
  const a = parsed.address;
  const d: Device = {
    id: manualDeviceId(a),
    name: entry.address,
    hostname: a.host,
    addresses: [a.host],
    port: a.port ?? 22,
    txt: {},
    isMbl: true,
    lastSeen: null,
    source: 'manual',
    present: true,
    interface: a.scope ?? null,
    favourite: false,
  };
  if (entry.nickname) d.nickname = entry.nickname;
  return d;
}

/**
 * Live LAN discovery: bonjour-service browsers on every interface feed a TTL-tracking record cache; devices
 * are rebuilt from it after every packet and tick, diffed, and the changes published. Manual devices,
 * nicknames and favourites come from settings and are merged into the same list.
 */
export function createDiscoveryService(deps: DiscoveryDeps): DiscoveryService {
  const now = () => deps.clock().getTime();
  const cache = new RecordCache(now);
  const listeners = new Set<(c: DeviceChange) => void>();
  let transport: MdnsTransport | undefined;
  let starting: Promise<Result<void, DevicesErrorCode>> | undefined;
  let startedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let settings: Settings | undefined;
  /** mDNS devices ever seen since start, present or not. */
  let mdnsKnown = new Map<string, Device>();
  let current = new Map<string, Device>();

  deps.events.on(settingsEvents.changed, (s) => {
    settings = s;
    if (transport) publish();
  });

  async function loadSettings(): Promise<Result<Settings> | undefined> {
    if (!deps.settings) return undefined;
    const r = await deps.settings().get();
    if (r.ok) settings = r.value;
    else deps.log.warn(`devices: ${r.message}`);
    return r;
  }

  function decorate(d: Device): Device {
    const nickname = settings?.nicknames[d.id] ?? d.nickname;
    const out: Device = { ...d, favourite: settings?.favourites.includes(d.id) ?? false };
    if (nickname) out.nickname = nickname;
    else delete out.nickname;
    return out;
  }

  function build(): Map<string, Device> {
    const live = devicesFromRecords(cache.all(), SSH_SERVICE);
    const nextKnown = new Map<string, Device>();
    for (const d of live) nextKnown.set(d.id, d);
    for (const [id, d] of mdnsKnown) if (!nextKnown.has(id)) nextKnown.set(id, { ...d, present: false });
    mdnsKnown = nextKnown;
    const all = new Map<string, Device>();
    for (const [id, d] of nextKnown) all.set(id, decorate(d));
    for (const entry of settings?.pinnedDevices ?? []) {
      const d = manualDevice(entry);
      if (d && !all.has(d.id)) all.set(d.id, decorate(d));
    }
    return all;
  }

  /**
   * An IPv4 answer whose sender fits several interfaces' subnets: it belongs to the one interface on which its
   * records (typically the board's fe80 AAAA, learnt over IPv6 with a sure scope) are already known. If that
   * isn't exactly one, it is dropped rather than guessed: the IPv6 answers carry the board anyway.
   */
  function settleLink(records: readonly IncomingRecord[], candidates: readonly string[]): string | undefined {
    const holders = new Set<string>();
    for (const r of records) if (r.ttl > 0) for (const l of cache.linksHolding(r, candidates)) holders.add(l);
    if (holders.size === 1) return [...holders][0];
    deps.log.info(`mDNS: an IPv4 answer could have come through ${candidates.join(' or ')}; ignored (the IPv6 answers identify the board)`);
    return undefined;
  }

  function publish(): void {
    const next = build();
    const changes = diffDevices(current, next);
    current = next;
    for (const c of changes) {
      deps.events.emit(devicesEvents.changed, c);
      for (const l of listeners) l(c);
    }
  }

  /** RFC 6762 §5.2 continuous querying: re-ask 1 s after the first query, then at doubling intervals up to an hour. */
  let queryInterval = 1000;
  let nextQueryAt = 0;

  function tick(): void {
    const expired = cache.expire();
    const t = now();
    // Records near the end of their TTL are refreshed by the same PTR query (answers carry SRV/TXT/A/AAAA).
    const refresh = cache.dueForRefresh((r) => r.type !== 'A' && r.type !== 'AAAA');
    const scheduled = t >= nextQueryAt;
    if (scheduled) {
      nextQueryAt = t + queryInterval;
      queryInterval = Math.min(queryInterval * 2, 3_600_000);
    }
    if (transport && (refresh || scheduled)) transport.query();
    if (expired || transport) publish();
  }

  function snapshotList(): DeviceList {
    return { devices: sortDevices([...current.values()]), discovering: Boolean(transport), interfaces: transport?.links() ?? [] };
  }

  async function start(): Promise<Result<void, DevicesErrorCode>> {
    starting ??= (async (): Promise<Result<void, DevicesErrorCode>> => {
      await loadSettings();
      const t = (deps.transport ?? (() => createBonjourTransport({ log: deps.log })))();
      try {
        startedAt = now();
        await t.start(
          (records, from) => {
            const relevant = records.filter(isRelevant);
            const link = typeof from === 'string' ? from : settleLink(relevant, from);
            if (!relevant.length || link === undefined) return;
            // Repeats (the same answer on several sockets, QU and QM answers) only renew TTLs: no rebuild.
            // lastSeen catches up on the next tick.
            if (cache.ingest(relevant, link)) publish();
          },
          (link) => {
            if (cache.dropLink(link)) publish();
          },
        );
      } catch (err) {
        starting = undefined;
        await t.stop().catch(() => undefined);
        return fail('discovery-failed', `mDNS discovery could not start: ${(err as Error).message}`);
      }
      transport = t;
      // The transport sent the first query as its sockets opened.
      queryInterval = 1000;
      nextQueryAt = startedAt + queryInterval;
      queryInterval *= 2;
      timer = setInterval(tick, deps.tickMs ?? 250);
      timer.unref();
      publish();
      return ok(undefined);
    })();
    return starting;
  }

  async function stop(): Promise<void> {
    const pending = starting;
    starting = undefined;
    if (pending) await pending;
    if (timer) clearInterval(timer);
    timer = undefined;
    const t = transport;
    transport = undefined;
    await t?.stop();
    cache.clear();
    mdnsKnown = new Map();
    current = new Map();
  }

  async function withSettings<T>(
    fn: (s: Settings) => Promise<Result<T, DevicesErrorCode>>,
  ): Promise<Result<T, DevicesErrorCode>> {
    if (!deps.settings) return fail('settings-unreadable', 'devices: no settings store in this process');
    const r = await deps.settings().get();
    if (!r.ok) return fail('settings-unreadable', r.message);
    settings = r.value;
    return fn(r.value);
  }

  async function save(patch: Partial<Settings>): Promise<Result<Settings, DevicesErrorCode>> {
    const r = await deps.settings!().update(patch);
    if (!r.ok) return fail(r.code === 'settings-unreadable' ? 'settings-unreadable' : 'settings-unwritable', r.message);
    settings = r.value;
    if (transport) publish();
    return ok(r.value);
  }

  const findDevice = (id: string): Device | undefined => {
    const known = current.get(id) ?? mdnsKnown.get(id);
    if (known) return decorate(known);
    const entry = settings?.pinnedDevices.find((e) => manualDevice(e)?.id === id);
    const d = entry && manualDevice(entry);
    return d ? decorate(d) : undefined;
  };

  return {
    start,
    stop,
    tick,
    async list() {
      const s = await start();
      if (!s.ok) return s;
      return ok(snapshotList());
    },
    async refresh() {
      const s = await start();
      if (!s.ok) return s;
      transport?.query({ unicast: true });
      queryInterval = 2000;
      nextQueryAt = now() + 1000;
      return ok(snapshotList());
    },
    async discoverOnce(opts) {
      const s = await start();
      if (!s.ok) return s;
      await abortable(startedAt + opts.timeoutMs - now(), opts.signal);
      const devices = filterDevices([...current.values()], { source: 'mdns', presentOnly: true, mblOnly: !opts.all });
      return ok(sortDevices(devices));
    },
    addManual({ address, nickname }) {
      return withSettings(async (s) => {
        const parsed = parseAddress(address, 'address');
        if (!parsed.ok) return fail('invalid-address', parsed.message);
        const id = manualDeviceId(parsed.address);
        if (s.pinnedDevices.some((e) => manualDevice(e)?.id === id)) {
          return fail('manual-device-exists', `address: ${formatAddress(parsed.address)} is already in the device list`);
        }
        const entry = nickname ? { address: address.trim(), nickname } : { address: address.trim() };
        const saved = await save({ pinnedDevices: [...s.pinnedDevices, entry] });
        if (!saved.ok) return saved;
        return ok(decorate(manualDevice(entry)!));
      });
    },
    removeManual({ id }) {
      return withSettings(async (s) => {
        const keep = s.pinnedDevices.filter((e) => manualDevice(e)?.id !== id);
        if (keep.length === s.pinnedDevices.length) {
          return fail('manual-device-not-found', `id: "${id}" is not a manually added device: list them with devices:list`);
        }
        const { [id]: _gone, ...nicknames } = s.nicknames;
        const saved = await save({ pinnedDevices: keep, nicknames, favourites: s.favourites.filter((f) => f !== id) });
        if (!saved.ok) return saved;
        return ok({ removed: id });
      });
    },
    setNickname({ id, nickname }) {
      return withSettings(async (s) => {
        const name = nickname.trim();
        const { [id]: _old, ...nicknames } = s.nicknames;
        if (name) nicknames[id] = name;
        // A manual device's own nickname lives in its pinned entry; keep one source of truth per device.
        const pinnedDevices = s.pinnedDevices.map((e) => {
          if (manualDevice(e)?.id !== id) return e;
          return { address: e.address };
        });
        const saved = await save({ nicknames, pinnedDevices });
        if (!saved.ok) return saved;
        return ok(findDevice(id) ?? null);
      });
    },
    setFavourite({ id, favourite }) {
      return withSettings(async (s) => {
        const favourites = s.favourites.filter((f) => f !== id);
        if (favourite) favourites.push(id);
        const saved = await save({ favourites });
        if (!saved.ok) return saved;
        return ok(findDevice(id) ?? null);
      });
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot() {
      return sortDevices([...current.values()]);
    },
  };
}

/**
 * One-off discovery without a core (no settings): browse for `timeoutMs`, return the present devices sorted,
 * MBL ones only unless `all`. This is what `--all` means for provisioning and status.
 */
export async function discoverOnce(
  opts: DiscoverOnceOptions & { log?: Logger; transport?: () => MdnsTransport },
): Promise<Result<Device[], DevicesErrorCode>> {
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
