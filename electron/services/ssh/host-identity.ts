/**
 * The identities a device's host key is pinned under. A board is reached by its mDNS instance, its hostname,
 * an IPv4 address or a link-local IPv6 one; pinning under one form only let the same board (or an impostor
 * taking over its name) present another key under another form. So a pin holds every identity the device has
 * been seen with, and a key that differs from the pin under ANY of them is refused.
 *
 * Identities are prefixed strings, so that a hostname can never collide with an instance name or an address:
 * - `mdns:<instance>@<interface>`: the discovery id (the instance name is what a spoofed SRV answer keeps);
 * - `host:<hostname>` without `.local`;
 * - `addr:<ip>:<port>` / `addr:[<ipv6%scope>]:<port>`.
 */
import { DEFAULT_SSH_PORT, parseAddress as parseAddressText } from '../../../shared/domain/address';
import { stripLocal } from '../../../shared/domain/devices';

export interface DeviceIdentitySource {
  /** The ADDRESS being connected to. */
  address: string;
  /** The discovery id (`mdns:…` or `manual:…`). */
  id?: string;
  hostname?: string;
  /** Every address the device is known by. */
  addresses?: readonly string[];
}

const hostIdentity = (hostname: string) => `host:${stripLocal(hostname).toLowerCase()}`;

/** `addr:…` for an IP ADDRESS (with the port, default 22), `host:…` for a host name; undefined when unparsable. */
export function addressIdentity(address: string, defaultPort = DEFAULT_SSH_PORT): string | undefined {
  const r = parseAddressText(address);
  if (!r.ok) return undefined;
  const a = r.address;
  if (a.kind === 'hostname') return hostIdentity(a.host);
  const port = a.port ?? defaultPort;
  return `addr:${a.kind === 'ipv6' ? `[${a.host}]` : a.host}:${port}`;
}

/** Every identity of a device being connected to, most specific (discovery id) first. */
export function deviceIdentities(device: DeviceIdentitySource): string[] {
  const out: string[] = [];
  const port = parseAddressText(device.address);
  const defaultPort = port.ok ? (port.address.port ?? DEFAULT_SSH_PORT) : DEFAULT_SSH_PORT;
  if (device.id?.startsWith('mdns:')) out.push(device.id.toLowerCase());
  if (device.hostname) out.push(hostIdentity(device.hostname));
  for (const a of [device.address, ...(device.addresses ?? [])]) {
    const id = addressIdentity(a, defaultPort);
    if (id) out.push(id);
  }
  return [...new Set(out)];
}

/**
 * What a user may type to name a device (`pws known-hosts forget X`): an ADDRESS, a hostname (also matched
 * as the mDNS instance of the same name, on any interface), or a discovery id.
 */
export function identitiesForQuery(text: string): { exact: string[]; instance?: string } {
  const t = text.trim().toLowerCase();
  if (t.startsWith('mdns:')) return { exact: [t] };
  if (t.startsWith('host:') || t.startsWith('addr:')) return { exact: [t] };
  const id = addressIdentity(t);
  if (!id) return { exact: [] };
  return id.startsWith('host:') ? { exact: [id], instance: id.slice('host:'.length) } : { exact: [id] };
}

/** A version-1 known-hosts key (a hostname or a canonical ADDRESS) as an identity. */
export function legacyIdentity(key: string): string {
  return addressIdentity(key) ?? hostIdentity(key);
}

/** An identity as a person reads it: `mbed-linux-os-3 (mDNS on eth0)`, `169.254.20.3:22`, `board (hostname)`. */
export function describeIdentity(identity: string): string {
  if (identity.startsWith('mdns:')) {
    const at = identity.lastIndexOf('@');
    return at > 5 ? `${identity.slice(5, at)} (mDNS on ${identity.slice(at + 1)})` : identity.slice(5);
  }
  if (identity.startsWith('host:')) return `${identity.slice(5)} (hostname)`;
  if (identity.startsWith('addr:')) return identity.slice(5);
  return identity;
}
