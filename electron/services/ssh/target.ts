import { DEFAULT_SSH_PORT, formatAddress, parseAddress as parseAddressText } from '../../../shared/domain/address';
import { fail, ok, type Result } from '../../../shared/contract/result';

/** Where to connect: host as node-ssh wants it (IPv6 keeps its `%iface`), and the port. */
export interface SshTarget {
  /** Canonical ADDRESS text, e.g. `[fe80::1%eth0]:2222` or `169.254.20.3`. */
  address: string;
  host: string;
  port: number;
  kind: 'ipv4' | 'ipv6' | 'hostname';
}

/** An ADDRESS (cli.md) as an SSH target, with the shared grammar's messages on failure. */
export function parseAddress(input: string): Result<SshTarget, 'invalid-address'> {
  const r = parseAddressText(input);
  if (!r.ok) return fail('invalid-address', r.message);
  const a = r.address;
  return ok({ address: formatAddress(a), host: a.host, port: a.port ?? DEFAULT_SSH_PORT, kind: a.kind });
}
