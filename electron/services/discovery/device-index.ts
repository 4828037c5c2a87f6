import {
  deviceFromParts,
  instanceNameOf,
  mergeAcrossLinks,
  sameDevice,
  SSH_SERVICE,
  type CachedRecord,
  type Device,
  type DeviceChange,
} from '../../../shared/domain/devices';
import { revealHidden } from '../../../shared/domain/visible-text';
import { normalName } from './dns-name';
import type { CacheChange, IncomingRecord, RecordCache } from './record-cache';

/** A board seen but gone stays listed (greyed) until this many newer ones went too. */
export const DEFAULT_MAX_GONE = 1000;
/** lastSeen alone is published at most this often per device (a burst of repeats is not news). */
const LAST_SEEN_STEP_MS = 5000;

const linkKey = (link: string, name: string) => `${link}\u0000${normalName(name)}`;

/** What a device still lacks before it can be used: its SRV (and TXT), or an address for its host. */
export interface Unresolved {
  link: string;
  /** The instance's full name (`b._ssh._tcp.local`). */
  instance: string;
  /** Set once the SRV is known and only addresses are missing. */
  host?: string;
  missing: Array<'SRV' | 'TXT' | 'A' | 'AAAA'>;
}

interface Instance {
  link: string;
  fqdn: string;
  /** The lower-case instance name its devices are grouped (and merged across links) by. */
  group: string;
  /** lower-case host of its current SRV, on its link (key into `#hostUsers`) */
  hostKey?: string;
}

/**
 * Devices kept up to date from the record cache, incrementally: records are indexed by owner name
 * (instance → SRV/TXT, host → A/AAAA) so that a packet rebuilds only the instances it touches, and only their
 * changes are published. Every mDNS device ever seen is remembered (greyed when gone, capped), and a device
 * is gone only when its PTR or SRV expired or was said goodbye to.
 */
export class DeviceIndex {
  readonly #cache: RecordCache;
  readonly #service: string;
  readonly #maxGone: number;
  readonly #instances = new Map<string, Instance>();
  readonly #byGroup = new Map<string, Set<string>>();
  readonly #hostUsers = new Map<string, Set<string>>();
  /** The present devices each group produced last time. */
  readonly #groupDevices = new Map<string, Device[]>();
  /** Every mDNS device, present or gone, as last published. */
  readonly #known = new Map<string, Device>();
  /** When each present device's published lastSeen was (ms), to tell cheaply whether a newer one is due. */
  readonly #seen = new Map<string, number>();
  /** Gone device ids, oldest first (for the cap). */
  readonly #gone = new Set<string>();
  readonly #unresolved = new Map<string, Unresolved>();
  /** Keys of `#unresolved` entries added or changed since `takeNewlyUnresolved`. */
  readonly #fresh = new Set<string>();
  /** Host names the resolver waits for (`NAME.local`), so their A/AAAA are cached though no SRV names them. */
  readonly wantedHosts = new Set<string>();

  constructor(cache: RecordCache, opts: { service?: string; maxGone?: number } = {}) {
    this.#cache = cache;
    this.#service = normalName(opts.service ?? SSH_SERVICE);
    this.#maxGone = opts.maxGone ?? DEFAULT_MAX_GONE;
  }

  /**
   * Which records of a packet are worth caching: the service's PTRs, its instances' SRV and TXT, and the
   * addresses of hosts that an SRV (cached, or in this packet) or the resolver names. Anything else, however
   * much a responder sends, takes no memory.
   */
  wanted(records: readonly IncomingRecord[], link: string): IncomingRecord[] {
    const suffix = `.${this.#service}`;
    const targets = new Set<string>();
    for (const r of records) if (r.type === 'SRV' && normalName(r.name).endsWith(suffix)) targets.add(normalName(r.data.target));
    return records.filter((r) => {
      const name = normalName(r.name);
      if (r.type === 'PTR') return name === this.#service;
      if (r.type === 'SRV' || r.type === 'TXT') return name.endsWith(suffix);
      return targets.has(name) || this.#hostUsers.has(linkKey(link, name)) || this.wantedHosts.has(name);
    });
  }

  /**
   * Applies cache changes; returns the device changes (added / updated / removed / forgotten) they caused.
   * A device whose records were only renewed is rebuilt only when its lastSeen is due to be published.
   */
  apply(changes: readonly CacheChange[]): DeviceChange[] {
    const touched = new Set<string>();
    const renewed = new Set<string>();
    for (const { op, record: r } of changes) {
      const into = op === 'renewed' ? renewed : touched;
      if (r.type === 'PTR') {
        if (normalName(r.name) === this.#service) this.#touchInstance(r.link, r.data, into);
      } else if (r.type === 'SRV' || r.type === 'TXT') {
        this.#touchInstance(r.link, r.name, into);
      } else {
        for (const key of this.#hostUsers.get(linkKey(r.link, r.name)) ?? []) into.add(this.#instances.get(key)!.group);
      }
    }
    const now = changes.reduce((t, c) => Math.max(t, c.record.receivedAt), 0);
    for (const group of renewed) if (!touched.has(group) && this.#lastSeenDue(group, now)) touched.add(group);
    const out: DeviceChange[] = [];
    for (const group of touched) this.#rebuild(group, out);
    return out;
  }

  /** Every mDNS device, present or gone. */
  devices(): IterableIterator<Device> {
    return this.#known.values();
  }

  get(id: string): Device | undefined {
    return this.#known.get(id);
  }

  get unresolvedCount(): number {
    return this.#unresolved.size;
  }

  /** Instances that became unresolved (or lack something else) since the last call: what to ask for now. */
  takeNewlyUnresolved(): Unresolved[] {
    const out = [...this.#fresh].map((k) => this.#unresolved.get(k)).filter((u): u is Unresolved => u !== undefined);
    this.#fresh.clear();
    return out;
  }

  /** Whether an instance still lacks this record (a resolve question is still worth asking). */
  isMissing(link: string, instance: string, type: Unresolved['missing'][number]): boolean {
    return this.#unresolved.get(linkKey(link, instance))?.missing.includes(type) ?? false;
  }

  /** Whether a device's instance on its link lacks nothing any more (its SRV, TXT and an address are known). */
  isResolved(device: Device): boolean {
    return device.interface !== null && !this.#unresolved.has(linkKey(device.interface, `${device.name}.${this.#service}`));
  }

  /** Whether a host's addresses are still of use: an instance on the link targets it, or the resolver waits for it. */
  isHostWanted(link: string, host: string): boolean {
    return this.#hostUsers.has(linkKey(link, host)) || this.wantedHosts.has(normalName(host));
  }

  clear(): void {
    this.#instances.clear();
    this.#byGroup.clear();
    this.#hostUsers.clear();
    this.#groupDevices.clear();
    this.#known.clear();
    this.#seen.clear();
    this.#gone.clear();
    this.#unresolved.clear();
    this.#fresh.clear();
  }

  /** Whether a device of this group would publish a newer lastSeen (or the group lists no device yet). */
  #lastSeenDue(group: string, now: number): boolean {
    const devices = this.#groupDevices.get(group);
    if (!devices) return true;
    for (const { id } of devices) if (now - (this.#seen.get(id) ?? 0) >= LAST_SEEN_STEP_MS) return true;
    return false;
  }

  #touchInstance(link: string, fqdn: string, touched: Set<string>): void {
    const key = linkKey(link, fqdn);
    let inst = this.#instances.get(key);
    if (!inst) {
      inst = { link, fqdn, group: instanceNameOf(fqdn, this.#service).toLowerCase() };
      this.#instances.set(key, inst);
      let members = this.#byGroup.get(inst.group);
      if (!members) this.#byGroup.set(inst.group, (members = new Set()));
      members.add(key);
    }
    touched.add(inst.group);
  }

  #rebuild(group: string, out: DeviceChange[]): void {
    const partials: Device[] = [];
    for (const key of [...(this.#byGroup.get(group) ?? [])]) {
      const d = this.#build(key, this.#instances.get(key)!);
      if (d) partials.push(d);
    }
    // An instance seen on one link only (nearly always) has nothing to merge. (Arrays: a group has a device or two.)
    const next = partials.length > 1 ? mergeAcrossLinks(partials) : partials;
    const prev = this.#groupDevices.get(group) ?? [];
    for (let i = 0; i < next.length; i++) {
      const d = next[i]!;
      const id = d.id;
      const before = this.#known.get(id);
      const seen = Date.parse(d.lastSeen!);
      let event: DeviceChange['event'] | undefined;
      if (!before || !before.present) event = 'added';
      else if (!sameDevice(before, d) || seen - (this.#seen.get(id) ?? 0) >= LAST_SEEN_STEP_MS) event = 'updated';
      if (!event) {
        next[i] = before!;
        continue;
      }
      this.#gone.delete(id);
      this.#known.set(id, d);
      this.#seen.set(id, seen);
      out.push({ event, device: d });
    }
    for (const d of prev) {
      const id = d.id;
      if (next.some((n) => n.id === id)) continue;
      const gone = { ...d, present: false };
      this.#known.set(id, gone);
      this.#seen.delete(id);
      this.#gone.add(id);
      out.push({ event: 'removed', device: gone });
    }
    if (next.length) this.#groupDevices.set(group, next);
    else this.#groupDevices.delete(group);
    this.#capGone(out);
  }

  /** One instance on one link from the cache, or undefined while it lacks a PTR or SRV. Tracks what it lacks. */
  #build(key: string, inst: Instance): Device | undefined {
    const { link, fqdn } = inst;
    const ptr = this.#cache.find(link, { type: 'PTR', name: this.#service, data: fqdn });
    const srv = latest(this.#cache.get(link, 'SRV', fqdn));
    const txt = latest(this.#cache.get(link, 'TXT', fqdn));
    this.#setHost(key, inst, srv?.type === 'SRV' ? srv.data.target : undefined);
    if (!ptr && !srv && !txt) {
      this.#forget(key, inst);
      return undefined;
    }
    if (!ptr) {
      this.#unresolved.delete(key);
      return undefined;
    }
    if (srv?.type !== 'SRV') {
      this.#markUnresolved(key, { link, instance: fqdn, missing: txt ? ['SRV'] : ['SRV', 'TXT'] });
      return undefined;
    }
    const host = srv.data.target;
    const addresses: string[] = [];
    for (const type of ['A', 'AAAA'] as const) for (const r of this.#cache.get(link, type, host)) addresses.push(r.data as string);
    const missing: Unresolved['missing'] = [];
    if (!txt) missing.push('TXT');
    if (!addresses.length) missing.push('A', 'AAAA');
    if (missing.length) this.#markUnresolved(key, { link, instance: fqdn, host, missing });
    else this.#unresolved.delete(key);
    // Written out at the door: every screen, CLI line, report and pin then shows what was really announced.
    return deviceFromParts({
      name: revealHidden(instanceNameOf(fqdn, this.#service)),
      link,
      host: revealHidden(host),
      port: srv.data.port,
      txt: txt?.type === 'TXT' ? txt.data : undefined,
      addresses,
      lastSeen: Math.max(ptr.receivedAt, srv.receivedAt, txt?.receivedAt ?? 0),
    });
  }

  #markUnresolved(key: string, u: Unresolved): void {
    const before = this.#unresolved.get(key);
    if (before && before.host === u.host && before.missing.join() === u.missing.join()) return;
    this.#unresolved.set(key, u);
    this.#fresh.add(key);
  }

  #setHost(key: string, inst: Instance, host: string | undefined): void {
    const hostKey = host === undefined ? undefined : linkKey(inst.link, host);
    if (hostKey === inst.hostKey) return;
    if (inst.hostKey) {
      const users = this.#hostUsers.get(inst.hostKey);
      users?.delete(key);
      if (users?.size === 0) this.#hostUsers.delete(inst.hostKey);
    }
    inst.hostKey = hostKey;
    if (hostKey) {
      let users = this.#hostUsers.get(hostKey);
      if (!users) this.#hostUsers.set(hostKey, (users = new Set()));
      users.add(key);
    }
  }

  #forget(key: string, inst: Instance): void {
    this.#instances.delete(key);
    this.#unresolved.delete(key);
    const members = this.#byGroup.get(inst.group);
    members?.delete(key);
    if (members?.size === 0) this.#byGroup.delete(inst.group);
  }

  #capGone(out: DeviceChange[]): void {
    while (this.#gone.size > this.#maxGone) {
      const oldest = this.#gone.values().next().value as string;
      out.push({ event: 'forgotten', device: this.#known.get(oldest)! });
      this.#gone.delete(oldest);
      this.#known.delete(oldest);
    }
  }
}

function latest(records: readonly CachedRecord[]): CachedRecord | undefined {
  let best: CachedRecord | undefined;
  for (const r of records) if (!best || r.receivedAt > best.receivedAt) best = r;
  return best;
}
