/**
 * The ADDRESS grammar of docs/cli.md, shared by the CLI, the manual-add form and the core:
 * - IPv4 `169.254.20.3`, optionally `:port`;
 * - IPv6 `fe80::1%eth0` (a link-local one must carry `%iface`), with a port only in brackets: `[fe80::1%eth0]:2222`;
 * - a host name `board.local`, optionally `:port`.
 *
 * Pure: no Node built-ins (this module is also bundled into the renderer).
 */

export type AddressKind = 'ipv4' | 'ipv6' | 'hostname';

export interface ParsedAddress {
  kind: AddressKind;
  /** Canonical host: IPv4 dotted quad, IPv6 compressed lower-case (RFC 5952) with `%scope`, or a lower-case host name. */
  host: string;
  /** IPv6 zone (interface name or index), without the `%`. */
  scope?: string;
  port?: number;
}

export type AddressParseResult = { ok: true; address: ParsedAddress } | { ok: false; message: string };

export const DEFAULT_SSH_PORT = 22;

const SCOPE_RE = /^[A-Za-z0-9_.@-]{1,64}$/;
const HOST_LABEL_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

const bad = (message: string): AddressParseResult => ({ ok: false, message });

/** Parses an ADDRESS. `field` names the input in messages (e.g. `address`, `--device`). */
export function parseAddress(input: string, field = 'address'): AddressParseResult {
  const text = input.trim();
  const what = `${field} "${input}"`;
  if (!text) return bad(`${field} is empty: give an IPv4 or IPv6 address or a host name, e.g. 169.254.20.3, fe80::1%eth0 or board.local`);
  if (/\s/.test(text)) return bad(`${what} contains spaces: give one address`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    return bad(`${what} is a URL: give just the address or host name (and :port), e.g. 169.254.20.3 or board.local:2222`);

  // [v6%scope] or [v6%scope]:port
  if (text.startsWith('[')) {
    const m = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
    if (!m) return bad(`${what} has an unclosed "[": write an IPv6 address with a port as [fe80::1%eth0]:2222`);
    const v6 = parseIpv6WithScope(m[1]!.replace(/%25/, '%'), what);
    if (!v6.ok) return v6;
    if (m[2] !== undefined) {
      const port = parsePort(m[2], what);
      if (typeof port === 'string') return bad(port);
      v6.address.port = port;
    }
    return v6;
  }

  const colons = (text.match(/:/g) ?? []).length;
  if (colons >= 2) {
    // An unbracketed IPv6 address never carries a port.
    return parseIpv6WithScope(text, what);
  }

  let hostPart = text;
  let port: number | undefined;
  if (colons === 1) {
    const i = text.indexOf(':');
    hostPart = text.slice(0, i);
    const p = parsePort(text.slice(i + 1), what);
    if (typeof p === 'string') return bad(p);
    port = p;
    if (!hostPart) return bad(`${what} has a port but no host: write host:port, e.g. 169.254.20.3:22`);
  }
  if (hostPart.includes('%')) return bad(`${what}: only IPv6 addresses take a %iface scope`);

  if (/^[0-9.]+$/.test(hostPart)) {
    const v4 = canonicalIpv4(hostPart);
    if (v4 === undefined) return bad(`${what} is not a valid IPv4 address: four numbers 0-255 without leading zeros, e.g. 169.254.20.3`);
    return { ok: true, address: withPort({ kind: 'ipv4', host: v4 }, port) };
  }
  const hostName = canonicalHostname(hostPart);
  if (hostName === undefined) {
    return bad(`${what} is not an IPv4 or IPv6 address or a valid host name (letters, digits and "-" in dot-separated labels)`);
  }
  return { ok: true, address: withPort({ kind: 'hostname', host: hostName }, port) };
}

function withPort(a: ParsedAddress, port: number | undefined): ParsedAddress {
  return port === undefined ? a : { ...a, port };
}

function parsePort(text: string, what: string): number | string {
  if (!/^[0-9]{1,5}$/.test(text)) return `${what} has an invalid port "${text}": use a number 1-65535`;
  const n = Number(text);
  if (n < 1 || n > 65535) return `${what} has an invalid port "${text}": use a number 1-65535`;
  return n;
}

function parseIpv6WithScope(text: string, what: string): AddressParseResult {
  const pct = text.indexOf('%');
  const bare = pct >= 0 ? text.slice(0, pct) : text;
  const scope = pct >= 0 ? text.slice(pct + 1) : undefined;
  const canonical = canonicalIpv6(bare);
  if (canonical === undefined) return bad(`${what} is not a valid IPv6 address`);
  if (scope !== undefined && /^[^:]+:[0-9]*$/.test(scope)) {
    return bad(`${what}: an IPv6 address with a port goes in brackets, e.g. [${canonical}%${scope.split(':')[0]}]:${scope.split(':')[1] || 22}`);
  }
  if (scope !== undefined && !SCOPE_RE.test(scope)) {
    return bad(`${what} has an invalid interface scope "%${scope}": use the interface name, e.g. %eth0`);
  }
  if (isLinkLocalIpv6(canonical) && !scope) {
    return bad(`${what} is an IPv6 link-local address without an interface: add %iface, e.g. ${canonical}%eth0`);
  }
  const address: ParsedAddress = { kind: 'ipv6', host: scope ? `${canonical}%${scope}` : canonical };
  if (scope) address.scope = scope;
  return { ok: true, address };
}

/** `169.254.020.3` is refused rather than guessed at (octal or decimal?). */
export function canonicalIpv4(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
  }
  return parts.join('.');
}

/** Parses IPv6 (with `::` and an optional dotted IPv4 tail) into eight 16-bit groups. */
export function ipv6Groups(text: string): number[] | undefined {
  if (!text || !/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
  let body = text;
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    const v4 = canonicalIpv4(body.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    const o = v4.split('.').map(Number) as [number, number, number, number];
    tail.push((o[0] << 8) | o[1], (o[2] << 8) | o[3]);
    body = body.slice(0, lastColon + 1);
    if (!body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = toGroups(halves[0]!);
  if (!head) return undefined;
  if (halves.length === 1) {
    const all = [...head, ...tail];
    return all.length === 8 ? all : undefined;
  }
  const rest = toGroups(halves[1]!);
  if (!rest) return undefined;
  const missing = 8 - head.length - rest.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...rest, ...tail];
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
export function canonicalIpv6(text: string): string | undefined {
  const groups = ipv6Groups(text);
  if (!groups) return undefined;
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function canonicalHostname(text: string): string | undefined {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (!name || name.length > 253) return undefined;
  const labels = name.split('.');
  if (!labels.every((l) => HOST_LABEL_RE.test(l))) return undefined;
  // An all-numeric last label would be a mistyped IPv4 address, not a name.
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return undefined;
  return name.toLowerCase();
}

/** fe80::/10, with or without a `%scope`. */
export function isLinkLocalIpv6(address: string): boolean {
  const groups = ipv6Groups(address.split('%')[0]!);
  return groups !== undefined && (groups[0]! & 0xffc0) === 0xfe80;
}

export function isIpv4(address: string): boolean {
  return canonicalIpv4(address) !== undefined;
}

export function isIpv6(address: string): boolean {
  return ipv6Groups(address.split('%')[0]!) !== undefined;
}

/** 169.254.0.0/16: as link-bound as fe80, but needs no scope. */
export function isLinkLocalIpv4(address: string): boolean {
  return /^169\.254\./.test(address);
}

/** Adds `%scope` to a link-local IPv6 address that lacks one; other addresses are returned canonical and unchanged. */
export function withScope(address: string, scope: string | undefined): string {
  if (!isIpv6(address)) return address;
  const [bare, existing] = address.split('%') as [string, string | undefined];
  const canonical = canonicalIpv6(bare) ?? bare;
  if (!isLinkLocalIpv6(canonical)) return canonical;
  const s = existing ?? scope;
  return s ? `${canonical}%${s}` : canonical;
}

/** Formats back to ADDRESS text: brackets for IPv6 only when a port is given; port 22 is shown only if `keepDefaultPort`. */
export function formatAddress(a: ParsedAddress, opts: { keepDefaultPort?: boolean } = {}): string {
  const showPort = a.port !== undefined && (opts.keepDefaultPort || a.port !== DEFAULT_SSH_PORT);
  if (!showPort) return a.host;
  return a.kind === 'ipv6' ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/**
 * Stable device ids, used as keys for favourites and nicknames in settings:
 * - a manually added device: `manual:` + its canonical ADDRESS (so `169.254.20.3:22` and `169.254.20.3` are one);
 * - an mDNS device: `mdns:<instance name>@<interface>`: the interface is part of it because the same board name
 *   (and even the same fe80 address) behind two USB gadget interfaces is two boards.
 */
export function manualDeviceId(a: ParsedAddress): string {
  return `manual:${formatAddress(a)}`;
}

export function mdnsDeviceId(instanceName: string, link: string): string {
  return `mdns:${instanceName}@${link}`;
}
