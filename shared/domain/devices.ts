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
  /**
   * The TXT record carries `mblos`. A manual device counts as MBL for filters and sorting; the Devices table shows
   * it as unknown until Check status has asked it (`runsMbl` in the renderer).
   */
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

/**
 * `removed`: gone (records expired or said goodbye), still listed greyed; a manual device removed by the user.
 * `forgotten`: dropped from the list altogether (the oldest gone boards, once too many have gone).
 */
export type DeviceChangeKind = 'added' | 'updated' | 'removed' | 'forgotten';
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

/** A device as a person reads it in a message: `hostname (address)`, or the address alone. */
export function deviceWhere(ref: { hostname?: string; address: string }): string {
  return ref.hostname && ref.hostname !== ref.address ? `${ref.hostname} (${ref.address})` : ref.address;
}

/**
 * The letters of a name outside printable ASCII, once each, as `е U+0435`. Board names are ASCII; a Cyrillic е
 * or a mathematical 𝖺 reads as a Latin letter, so a name with one may imitate another board's.
 */
export function lettersBeyondAscii(name: string): string[] {
  const letters = new Set(name.match(/[^\x20-\x7e]/gu));
  return [...letters].map((c) => `${c} U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}

/** The ADDRESS to reach a device by: its first address (with the port when it isn't 22), else its host name. */
export function deviceAddress(d: Pick<Device, 'addresses' | 'hostname' | 'port'>): string {
  const a = d.addresses[0] ?? d.hostname;
  if (d.port === 22 || !d.port) return a;
  return a.includes(':') ? `[${a}]:${d.port}` : `${a}:${d.port}`;
}

/** The name a device goes by in runs, results and reports: its discovery id, else its hostname, else its address. */
export function deviceKey(ref: { id?: string; hostname?: string; address: string }): string {
  return ref.id ?? ref.hostname ?? ref.address;
}

export const isMblTxt = (txt: Record<string, string | true>) => 'mblos' in txt;

/** Link-local IPv6 (scoped) first, then IPv4, then the rest; duplicates removed. */
export function orderAddresses(addresses: Iterable<string>): string[] {
  const unique = [...new Set(addresses)];
  if (unique.length < 2) return unique;
  const rank = (a: string) => (LINK_LOCAL_V6.test(a) ? 0 : a.includes(':') ? 2 : 1);
  return unique.sort((a, b) => rank(a) - rank(b) || compareNatural(a, b));
}

/** fe80::/10 as its first group is written (four hex digits fe80–febf), without parsing the whole address. */
const LINK_LOCAL_V6 = /^fe[89ab][0-9a-f]:/i;

/**
 * AAAA data with the link as `%scope` when link-local, canonical. Remembered: a thousand boards repeat their
 * addresses in every answer, and parsing IPv6 text is the costly part of building a device.
 */
const scopedCache = new Map<string, string>();
function scoped(address: string, link: string): string {
  const key = `${address}%${link}`;
  let out = scopedCache.get(key);
  if (out === undefined) {
    if (scopedCache.size >= 4096) scopedCache.clear();
    out = withScope(address, link);
    scopedCache.set(key, out);
  }
  return out;
}

/** What one service instance on one link is made of, gathered from its records. */
export interface InstanceParts {
  /** Instance name (`mbed-linux-os-12`). */
  name: string;
  link: string;
  host: string;
  port: number;
  /** TXT strings, or undefined while its TXT record is unknown. */
  txt: readonly string[] | undefined;
  /** A and AAAA data as received (AAAA without scope). */
  addresses: Iterable<string>;
  /** ms since epoch of the newest PTR/SRV/TXT. */
  lastSeen: number;
}

/** One instance on one link as a device; link-local IPv6 addresses get the link as `%scope`. */
export function deviceFromParts(p: InstanceParts): Device {
  const txt = decodeTxt(p.txt ?? []);
  const addresses: string[] = [];
  for (const a of p.addresses) addresses.push(a.includes(':') ? scoped(a, p.link) : a);
  return {
    id: mdnsDeviceId(p.name, p.link),
    name: p.name,
    hostname: stripLocal(p.host),
    addresses: orderAddresses(addresses),
    port: p.port,
    txt,
    isMbl: isMblTxt(txt),
    lastSeen: new Date(p.lastSeen).toISOString(),
    source: 'mdns',
    present: true,
    interface: p.link,
    favourite: false,
  };
}

const routable = (a: string) => (isIpv4(a) && !isLinkLocalIpv4(a)) || (isIpv6(a) && !isLinkLocalIpv6(a));

/** One board seen on two links: the same instance name and a shared routable address. */
export function sameBoardOnTwoLinks(a: Device, b: Device): boolean {
  return a.name.toLowerCase() === b.name.toLowerCase() && a.addresses.some((x) => routable(x) && b.addresses.includes(x));
}

/**
 * Same instance name on two links and a shared routable address: one host, keep the first link's id.
 * Devices are grouped by name first, so the cost grows with the number of devices, not its square.
 */
export function mergeAcrossLinks(devices: readonly Device[]): Device[] {
  const byName = new Map<string, Device[]>();
  for (const d of devices) {
    const k = d.name.toLowerCase();
    const group = byName.get(k);
    if (group) group.push(d);
    else byName.set(k, [d]);
  }
  const out: Device[] = [];
  for (const group of byName.values()) {
    if (group.length === 1) {
      out.push(group[0]!);
      continue;
    }
    const merged: Device[] = [];
    for (const d of [...group].sort((a, b) => (a.interface ?? '').localeCompare(b.interface ?? ''))) {
      const twin = merged.find((o) => sameBoardOnTwoLinks(o, d));
      if (!twin) {
        merged.push({ ...d });
        continue;
      }
      twin.addresses = orderAddresses([...twin.addresses, ...d.addresses]);
      if (d.lastSeen && (!twin.lastSeen || d.lastSeen > twin.lastSeen)) twin.lastSeen = d.lastSeen;
    }
    out.push(...merged);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// sorting, filtering, diffing

/**
 * Natural order: `mbed-linux-os-2` before `mbed-linux-os-10`. One shared collator: `localeCompare` with options
 * builds one per call, which made sorting 1,000 names take about 30 times longer.
 */
const naturalCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
export const compareNatural: (a: string, b: string) => number = naturalCollator.compare;

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

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function sameTxt(a: Record<string, string | true>, b: Record<string, string | true>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** Whether two versions of a device differ in anything worth an `updated` (lastSeen alone is not). */
export function sameDevice(a: Device, b: Device): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.hostname === b.hostname &&
    a.port === b.port &&
    a.isMbl === b.isMbl &&
    a.source === b.source &&
    a.present === b.present &&
    a.interface === b.interface &&
    a.nickname === b.nickname &&
    a.favourite === b.favourite &&
    sameList(a.addresses, b.addresses) &&
    sameTxt(a.txt, b.txt)
  );
}

/** The device as `pws discover --json` prints it (docs/cli.md: name, hostname, addresses, port, txt). */
export function toDiscoverJson(d: Device): { name: string; hostname: string; addresses: string[]; port: number; txt: Record<string, string | true> } {
  return { name: d.name, hostname: d.hostname, addresses: d.addresses, port: d.port, txt: d.txt };
}
