import type { NetworkInterfaceInfo } from 'node:os';
import { ipv6Groups, isLinkLocalIpv4, isLinkLocalIpv6 } from '../../../shared/domain/address';

export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

interface Subnet {
  address: string;
  netmask: string;
}

/** One workstation interface that mDNS is asked and answered on. */
export interface Link {
  name: string;
  /** Its first IPv4 address and netmask, if it has one (the IPv4 socket sends from it). */
  ipv4?: Subnet;
  /** Every IPv4 and IPv6 address with its netmask: what counts as on-link for answers. */
  subnets: Subnet[];
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
    const link: Link = { name, hasIpv6: ext.some(isV6), subnets: ext.map((i) => ({ address: i.address.split('%')[0]!, netmask: i.netmask })) };
    if (v4) link.ipv4 = { address: v4.address, netmask: v4.netmask };
    links.push(link);
  }
  return links.sort((a, b) => a.name.localeCompare(b.name));
}

/** Every address of the machine (loopback too), without scope: a query from one of them is our own. */
export function localAddresses(table: InterfaceTable): Set<string> {
  const out = new Set<string>();
  for (const infos of Object.values(table)) for (const i of infos ?? []) out.add(i.address.split('%')[0]!.toLowerCase());
  return out;
}

/** An address as bytes (4 for IPv4, 16 for IPv6), or undefined. */
function bytesOf(a: string): number[] | undefined {
  if (a.includes(':')) {
    const groups = ipv6Groups(a.split('%')[0]!);
    return groups?.flatMap((g) => [g >> 8, g & 0xff]);
  }
  const p = a.split('.').map(Number);
  return p.length === 4 && p.every((n) => Number.isInteger(n) && n >= 0 && n <= 255) ? p : undefined;
}

function inSubnet(sender: number[], s: Subnet): boolean {
  const a = bytesOf(s.address);
  const m = bytesOf(s.netmask);
  if (!a || !m || a.length !== sender.length || m.length !== sender.length || m.every((b) => b === 0)) return false;
  return sender.every((b, i) => (b & m[i]!) === (a[i]! & m[i]!));
}

/**
 * Which interface an mDNS answer came through, or undefined when its sender is not on-link (RFC 6762 §11:
 * such answers are dropped: a responder elsewhere, or a forged source, must not add devices).
 *
 * - IPv6 link-local sender `fe80::…%iface`: that interface (Node adds the scope).
 * - Any other sender: the interfaces whose subnet holds it. One: that one. Several (two USB-gadget boards both
 *   on 169.254/16): every candidate, for the caller to settle from what it already knows.
 * - An IPv4 link-local sender (169.254/16) outside every subnet is still on a link, just not one we can name:
 *   the only IPv4 interface, or every IPv4 interface as candidates.
 *
 * Node's dgram doesn't tell which interface a datagram arrived on (no IP_PKTINFO), hence the sender.
 */
export function linkForSender(sender: string, links: readonly Link[], socketLink: string): string | string[] | undefined {
  if (isLinkLocalIpv6(sender)) {
    const i = sender.indexOf('%');
    const scope = i >= 0 ? sender.slice(i + 1) : '';
    return links.some((l) => l.name === scope) ? scope : socketLink;
  }
  const s = bytesOf(sender);
  if (!s) return undefined;
  const matches = links.filter((l) => l.subnets.some((n) => inSubnet(s, n))).map((l) => l.name);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) return matches;
  if (!isLinkLocalIpv4(sender)) return undefined;
  const v4 = links.filter((l) => l.ipv4).map((l) => l.name);
  if (v4.length === 1) return v4[0]!;
  return v4.length ? v4 : socketLink;
}
