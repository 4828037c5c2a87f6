import type { NetworkInterfaceInfo } from 'node:os';

export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** One workstation interface that mDNS is asked and answered on. */
export interface Link {
  name: string;
  /** Its first IPv4 address and netmask, if it has one. */
  ipv4?: { address: string; netmask: string };
  hasIpv6: boolean;
}

const isV4 = (i: NetworkInterfaceInfo) => i.family === 'IPv4' || (i.family as unknown) === 4;
const isV6 = (i: NetworkInterfaceInfo) => i.family === 'IPv6' || (i.family as unknown) === 6;

/** Non-loopback interfaces with an address. USB-gadget boards appear here as interfaces of their own. */
export function linksOf(table: InterfaceTable): Link[] {
  const links: Link[] = [];
  for (const [name, infos] of Object.entries(table)) {
    const ext = (infos ?? []).filter((i) => !i.internal);
    if (!ext.length) continue;
    const v4 = ext.find(isV4);
    const link: Link = { name, hasIpv6: ext.some(isV6) };
    if (v4) link.ipv4 = { address: v4.address, netmask: v4.netmask };
    links.push(link);
  }
  return links.sort((a, b) => a.name.localeCompare(b.name));
}

function ipv4ToInt(a: string): number | undefined {
  const p = a.split('.').map(Number);
  if (p.length !== 4 || p.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return undefined;
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}

/**
 * Which interface an IPv4 mDNS answer came through. Node's dgram doesn't say (no IP_PKTINFO), so match the
 * sender against each interface's subnet. One match: that interface. Several (two USB-gadget boards both on
 * 169.254/16): every candidate, for the caller to settle from what it already knows. None: the only IPv4
 * interface if there is one, else the socket's own. (IPv6 answers need none of this: their sender
 * `fe80::…%iface` names the interface.)
 */
export function linkForIpv4Sender(sender: string, links: readonly Link[], socketLink: string): string | string[] {
  const s = ipv4ToInt(sender);
  const matches: string[] = [];
  if (s !== undefined) {
    for (const l of links) {
      if (!l.ipv4) continue;
      const a = ipv4ToInt(l.ipv4.address);
      const m = ipv4ToInt(l.ipv4.netmask);
      if (a !== undefined && m !== undefined && m !== 0 && ((a & m) >>> 0) === ((s & m) >>> 0)) matches.push(l.name);
    }
  }
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) return matches;
  const v4 = links.filter((l) => l.ipv4);
  return v4.length === 1 ? v4[0]!.name : socketLink;
}

/** The interface of an IPv6 sender: its `%scope` (Node adds it for link-local senders), else the socket's. */
export function linkForIpv6Sender(sender: string, socketLink: string): string {
  const i = sender.indexOf('%');
  return i >= 0 && i < sender.length - 1 ? sender.slice(i + 1) : socketLink;
}
