/**
 * Devices: the shape every door shows, how mDNS records become devices, and the sorting, filtering and
 * diffing the UI and the CLI both use. Pure: no Node built-ins.
 */
import { isIpv4, isIpv6, isLinkLocalIpv4, isLinkLocalIpv6, mdnsDeviceId, withScope } from './address';

export type DeviceSource = 'mdns' | 'manual';

export interface Device {
  /** Stable key (see `mdnsDeviceId` / `manualDeviceId`): favourites and nicknames are stored under it. */
  id: string;
  /** mDNS instance name (`mbed-linux-os-12`), or for a manual device the address as the user typed it. */
  name: string;
  /** Host name without `.local` (`mbed-linux-os-12`); for a manual device, its host part. */
  hostname: string;
  /** Link-local IPv6 first (always with `%iface`), then IPv4, then other IPv6. */
  addresses: string[];
  port: number;
  /** TXT key/values; a bare key such as `mblos` is `true`. */
  txt: Record<string, string | true>;
  /** The TXT record carries `mblos` (manual devices are assumed to be MBL boards). */
  isMbl: boolean;
  /** ISO time of the last mDNS answer about it; null for a manual device. */
  lastSeen: string | null;
  source: DeviceSource;
  /** False once its records are said goodbye to or have expired: the UI greys it out. Manual devices are always present. */
  present: boolean;
  /** The workstation interface it was seen on (mDNS only). */
  interface: string | null;
  nickname?: string;
  favourite: boolean;
}

export type DeviceChangeKind = 'added' | 'updated' | 'removed';
export interface DeviceChange {
  event: DeviceChangeKind;
  device: Device;
}

// ---------------------------------------------------------------------------------------------------------------
// mDNS records → devices

export type MdnsRecord =
  | { type: 'PTR'; name: string; data: string }
  | { type: 'SRV'; name: string; data: { target: string; port: number } }
  | { type: 'TXT'; name: string; data: string[] }
  | { type: 'A' | 'AAAA'; name: string; data: string };

/** A record as held in the cache: which link it came from, when, and for how long it is valid. */
export type CachedRecord = MdnsRecord & { link: string; ttl: number; receivedAt: number };

export const SSH_SERVICE = '_ssh._tcp.local';

const lower = (s: string) => s.toLowerCase().replace(/\.$/, '');

/** `mbed-linux-os-1._ssh._tcp.local` → `mbed-linux-os-1` (instance names may contain dots, escaped or not). */
export function instanceNameOf(fqdn: string, service = SSH_SERVICE): string {
  const f = fqdn.replace(/\.$/, '');
  const suffix = `.${service}`;
  return f.toLowerCase().endsWith(suffix) ? f.slice(0, -suffix.length) : f;
}

export const stripLocal = (host: string) => host.replace(/\.$/, '').replace(/\.local$/i, '');

/** DNS-SD TXT strings → object: `key=value`, a bare `key` → true; the first occurrence of a key wins (RFC 6763 §6.4). */
export function decodeTxt(strings: readonly string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (const s of strings) {
    if (!s) continue;
    const eq = s.indexOf('=');
    const key = (eq < 0 ? s : s.slice(0, eq)).toLowerCase();
    if (!key || key in out) continue;
    out[key] = eq < 0 ? true : s.slice(eq + 1);
  }
  return out;
}

/** The name a device goes by in runs, results and reports: its discovery id, else its hostname, else its address. */
export function deviceKey(ref: { id?: string; hostname?: string; address: string }): string {
  return ref.id ?? ref.hostname ?? ref.address;
}

export const isMblTxt = (txt: Record<string, string | true>) => 'mblos' in txt;

/** Link-local IPv6 (scoped) first, then IPv4, then the rest; duplicates removed. */
export function orderAddresses(addresses: Iterable<string>): string[] {
  const rank = (a: string) => (isLinkLocalIpv6(a) ? 0 : isIpv4(a) ? 1 : 2);
  return [...new Set(addresses)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * Builds the present mDNS devices from live records: one device per service instance per link
 * (PTR + SRV needed; TXT and addresses optional). Link-local IPv6 addresses get the link as `%scope`.
 * The same instance seen on two links is merged into one device only when both share a routable address
 * (a host on one LAN reached through two workstation interfaces); otherwise they are two boards.
 */
export function devicesFromRecords(records: readonly CachedRecord[], service = SSH_SERVICE): Device[] {
  type Partial = { name: string; link: string; host?: string; port?: number; txt?: string[]; lastSeen: number; addrs: Set<string> };
  const byKey = new Map<string, Partial>();
  const svc = lower(service);
  const key = (link: string, fqdn: string) => `${link}\u0000${lower(fqdn)}`;

  for (const r of records) {
    if (r.type === 'PTR' && lower(r.name) === svc) {
      const k = key(r.link, r.data);
      const p = byKey.get(k) ?? { name: instanceNameOf(r.data, service), link: r.link, lastSeen: 0, addrs: new Set<string>() };
      p.lastSeen = Math.max(p.lastSeen, r.receivedAt);
      byKey.set(k, p);
    }
  }
  for (const r of records) {
    if (r.type !== 'SRV' && r.type !== 'TXT') continue;
    const p = byKey.get(key(r.link, r.name));
    if (!p) continue;
    p.lastSeen = Math.max(p.lastSeen, r.receivedAt);
    if (r.type === 'SRV') {
      p.host = r.data.target;
      p.port = r.data.port;
    } else p.txt = r.data;
  }
  const addrsByHost = new Map<string, Set<string>>();
  for (const r of records) {
    if (r.type !== 'A' && r.type !== 'AAAA') continue;
    const k = key(r.link, r.name);
    const set = addrsByHost.get(k) ?? new Set<string>();
    set.add(r.type === 'AAAA' ? withScope(r.data, r.link) : r.data);
    addrsByHost.set(k, set);
  }

  const devices: Device[] = [];
  for (const p of byKey.values()) {
    if (!p.host || p.port === undefined) continue;
    const txt = decodeTxt(p.txt ?? []);
    devices.push({
      id: mdnsDeviceId(p.name, p.link),
      name: p.name,
      hostname: stripLocal(p.host),
      addresses: orderAddresses(addrsByHost.get(key(p.link, p.host)) ?? []),
      port: p.port,
      txt,
      isMbl: isMblTxt(txt),
      lastSeen: new Date(p.lastSeen).toISOString(),
      source: 'mdns',
      present: true,
      interface: p.link,
      favourite: false,
    });
  }
  return mergeAcrossLinks(devices);
}

const routable = (a: string) => (isIpv4(a) && !isLinkLocalIpv4(a)) || (isIpv6(a) && !isLinkLocalIpv6(a));

/** Same instance name on two links and a shared routable address: one host, keep the first link's id. */
export function mergeAcrossLinks(devices: readonly Device[]): Device[] {
  const sorted = [...devices].sort((a, b) => (a.interface ?? '').localeCompare(b.interface ?? ''));
  const out: Device[] = [];
  for (const d of sorted) {
    const twin = out.find(
      (o) => o.name.toLowerCase() === d.name.toLowerCase() && o.addresses.some((a) => routable(a) && d.addresses.includes(a)),
    );
    if (!twin) {
      out.push({ ...d });
      continue;
    }
    twin.addresses = orderAddresses([...twin.addresses, ...d.addresses]);
    if (d.lastSeen && (!twin.lastSeen || d.lastSeen > twin.lastSeen)) twin.lastSeen = d.lastSeen;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// sorting, filtering, diffing

/** Natural order: `mbed-linux-os-2` before `mbed-linux-os-10`. */
export function compareNatural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

/** Favourites first if asked, then by display name (nickname or name), then by interface. */
export function sortDevices(devices: readonly Device[], opts: { favouritesFirst?: boolean } = {}): Device[] {
  return [...devices].sort(
    (a, b) =>
      (opts.favouritesFirst ? Number(b.favourite) - Number(a.favourite) : 0) ||
      compareNatural(displayName(a), displayName(b)) ||
      compareNatural(a.interface ?? '', b.interface ?? '') ||
      compareNatural(a.id, b.id),
  );
}

export const displayName = (d: Device) => d.nickname || d.name;

export interface DeviceFilter {
  /** Case-insensitive match on name, nickname, hostname and addresses. */
  text?: string;
  /** Only devices whose TXT carries `mblos` (the CLI's default). */
  mblOnly?: boolean;
  /** Hide devices that have gone away. */
  presentOnly?: boolean;
  favouritesOnly?: boolean;
  source?: DeviceSource;
}

export function filterDevices(devices: readonly Device[], f: DeviceFilter): Device[] {
  const text = f.text?.trim().toLowerCase();
  return devices.filter(
    (d) =>
      (!f.mblOnly || d.isMbl) &&
      (!f.presentOnly || d.present) &&
      (!f.favouritesOnly || d.favourite) &&
      (!f.source || d.source === f.source) &&
      (!text || [d.name, d.nickname ?? '', d.hostname, ...d.addresses].some((s) => s.toLowerCase().includes(text))),
  );
}

/** What a device's fields are compared on for `updated` (lastSeen alone is not a change worth an event). */
function signature(d: Device): string {
  const { lastSeen: _ignored, ...rest } = d;
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function sameDevice(a: Device, b: Device): boolean {
  return signature(a) === signature(b);
}

/**
 * Changes from `prev` to `next` (both keyed by id): a device new or back → `added`; changed → `updated`;
 * present before and gone now (or not present any more) → `removed` (with `present: false`).
 */
export function diffDevices(prev: ReadonlyMap<string, Device>, next: ReadonlyMap<string, Device>): DeviceChange[] {
  const changes: DeviceChange[] = [];
  for (const [id, d] of next) {
    const before = prev.get(id);
    if (!before || (!before.present && d.present)) changes.push({ event: 'added', device: d });
    else if (before.present && !d.present) changes.push({ event: 'removed', device: d });
    else if (!sameDevice(before, d)) changes.push({ event: 'updated', device: d });
  }
  for (const [id, d] of prev) {
    if (!next.has(id) && d.present) changes.push({ event: 'removed', device: { ...d, present: false } });
  }
  return changes;
}

/** The device as `pws discover --json` prints it (../shared/spec/cli.md: name, hostname, addresses, port, txt). */
export function toDiscoverJson(d: Device): { name: string; hostname: string; addresses: string[]; port: number; txt: Record<string, string | true> } {
  return { name: d.name, hostname: d.hostname, addresses: d.addresses, port: d.port, txt: d.txt };
}

/** The address to reach a device by: the first one (link-local IPv6 with scope first, as mbl-cli chose). */
export function preferredAddress(d: Device): string | undefined {
  return d.addresses[0];
}
