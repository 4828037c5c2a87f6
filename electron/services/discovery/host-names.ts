import { lookup } from 'node:dns/promises';
import { formatAddress, parseAddress } from '../../../shared/domain/address';
import { orderAddresses } from '../../../shared/domain/devices';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { DeviceEndpoint, SshConnector } from '../ssh/connection';

/** The operating system's resolver: every address of a name. */
export type OsLookup = (host: string) => Promise<string[]>;
/** The app's own mDNS A/AAAA query: addresses (link-local IPv6 with `%iface`), or [] when nothing answered. */
export type MdnsLookup = (host: string, timeoutMs: number) => Promise<string[]>;

export const defaultOsLookup: OsLookup = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

const isLocalName = (host: string) => /\.local\.?$/i.test(host);

/**
 * A host name's addresses, the operating system's resolver first. A `NAME.local` that the OS can't resolve
 * (no nss-mdns on many Linux installs, a locked-down workstation) is asked over mDNS by the app itself, at the
 * same time so that neither waits for the other. Fails with the reason from both.
 */
export async function resolveHostName(
  host: string,
  deps: { osLookup?: OsLookup; mdnsLookup?: MdnsLookup },
  timeoutMs = 2000,
): Promise<Result<string[], 'unresolvable-address'>> {
  const os = (deps.osLookup ?? defaultOsLookup)(host).then(
    (addresses) => ({ addresses, error: addresses.length ? undefined : 'no address' }),
    (err: NodeJS.ErrnoException) => ({ addresses: [] as string[], error: err.code ?? err.message }),
  );
  const mdns = isLocalName(host) && deps.mdnsLookup ? deps.mdnsLookup(host, timeoutMs).catch(() => []) : undefined;
  const fromOs = await os;
  if (fromOs.addresses.length) return ok(orderAddresses(fromOs.addresses));
  const fromMdns = mdns ? await mdns : [];
  if (fromMdns.length) return ok(orderAddresses(fromMdns));
  const why = mdns
    ? `the operating system's resolver says ${fromOs.error} and no device answered an mDNS query for it within ${timeoutMs / 1000} s`
    : `the operating system's resolver says ${fromOs.error}`;
  return fail(
    'unresolvable-address',
    `"${host}" does not resolve: ${why}. Check the name and that the device is on and on this network, or give its IP address`,
  );
}

/**
 * An SSH connector that reaches `NAME.local` (and any host name) through `resolveHostName`: it connects to the
 * first address found, and keeps the name as the device's host name and every address it resolved to as its
 * addresses, so its host key is pinned (and checked) under all of them.
 */
export function withHostNameResolution(inner: SshConnector, resolve: (host: string) => Promise<Result<string[], 'unresolvable-address'>>): SshConnector {
  return {
    get stats() {
      return inner.stats;
    },
    forget: (device) => inner.forget(device),
    trust: (device, key) => inner.trust(device, key),
    async connect(device: DeviceEndpoint, opts) {
      const parsed = parseAddress(device.address);
      if (!parsed.ok || parsed.address.kind !== 'hostname') return inner.connect(device, opts);
      const r = await resolve(parsed.address.host);
      if (!r.ok) return fail('unreachable', `${device.address}: ${r.message}`);
      const first = parseAddress(r.value[0]!);
      if (!first.ok) return fail('unreachable', `${device.address} resolved to "${r.value[0]}", which is not an address: ${first.message}`);
      const port = parsed.address.port;
      const address = formatAddress(port === undefined ? first.address : { ...first.address, port });
      return inner.connect(
        { ...device, address, hostname: device.hostname ?? parsed.address.host, addresses: [...(device.addresses ?? []), ...r.value] },
        opts,
      );
    },
  };
}
