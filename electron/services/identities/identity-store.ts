import type { IdentityCertificate, IdentityDevice, IdentityErrorCode, IdentityFilter, IdentityRecord } from '../../../shared/contract/identities';
import type { Result } from '../../../shared/contract/result';

/**
 * The identity registry's storage seam. The local-file store (`local-identity-store.ts`) is the default; a
 * database store implements the same operations, each one a transaction, with the rules below carried by
 * unique constraints and a sequence. Services and screens never know which one is in use.
 *
 * The life of one identity, in the order a provisioning run calls these:
 *
 *   reserve()      before anything is signed: takes the next `{seq}` and the endpoint name, durably
 *   recordIssued() the certificate was made in memory (its fingerprint, enrollment identity, serial)
 *   settle()       the device step's outcome: confirmed (`--get-pelion-status` passed) or unconfirmed, with why
 *
 * A process that dies between two calls leaves the record `reserved` or `issued`: accounted for, never lost,
 * and its `{seq}` is never handed out again.
 */
export interface IdentityStore {
  /** Where the records live, for messages: a file path, or a database name. */
  readonly location: string;

  /**
   * Reserves an identity for one device, atomically. Rules the store enforces:
   * - `{seq}` comes from a counter that never repeats, even across crashes and re-issues (a re-issue keeps the
   *   identity's `seq`);
   * - an endpoint name belongs to one device: another device asking for it gets `endpoint-name-taken`;
   * - a device whose live identity has a certificate gets `identity-exists` (details: `{ record }`) unless
   *   `reissue` allows it; then it gets a new record for the same endpoint name and the old one is superseded;
   * - a device whose live identity is only `reserved` (a run died before signing) resumes it: same endpoint name.
   * The template is expanded by `expandEndpointTemplate` (shared/domain/endpoint-name.ts) with the store's `seq`.
   */
  reserve(request: ReserveRequest): Promise<Result<IdentityRecord, IdentityErrorCode>>;

  /** The certificate made for a reserved record. */
  recordIssued(id: string, certificate: IdentityCertificate, time: Date): Promise<Result<IdentityRecord, IdentityErrorCode>>;

  /** The device step's outcome for an issued record; the host key the device presented is recorded with it. */
  settle(id: string, outcome: SettleOutcome): Promise<Result<IdentityRecord, IdentityErrorCode>>;

  /** Records, newest first. */
  list(filter?: IdentityFilter): Promise<Result<IdentityRecord[], IdentityErrorCode>>;

  /** The device's current identity (the newest record not superseded), or null. Matched as `sameDevice` says. */
  liveIdentityOf(device: IdentityDevice): Promise<Result<IdentityRecord | null, IdentityErrorCode>>;

  close(): Promise<void>;
}

/**
 * When a device that already holds an identity may get a new certificate for its endpoint name:
 * - `none`: never (the default; the run refuses that device);
 * - `unconfirmed`: only when the old one was never confirmed on the device (retrying a failed device);
 * - `any`: always (`--reissue`, "Re-issue" in the app).
 */
export type ReissuePolicy = 'none' | 'unconfirmed' | 'any';

export interface ReserveRequest {
  /** An endpoint-name template that passed `parseEndpointTemplate`. */
  template: string;
  /** The template's values other than `{seq}`, which the store fills in. */
  values: { hostname?: string; uuid: string };
  device: IdentityDevice;
  ca: { name: string; fingerprint: string };
  runId: string;
  operator: string;
  station: string;
  reissue: ReissuePolicy;
  time: Date;
}

export interface SettleOutcome {
  confirmed: boolean;
  /** Why not, when not confirmed. */
  reason?: string;
  hostKeyFingerprint?: string;
  time: Date;
}

const lower = (s: string | undefined) => s?.toLowerCase();

/**
 * Whether two device descriptions are the same board: the same SSH host key, host name or run device key, or
 * an address in common. Deliberately generous: a false match refuses a board with a clear message, while a
 * missed one could give a board that holds an identity a second, different one.
 */
export function sameDevice(a: IdentityDevice, b: IdentityDevice): boolean {
  if (a.hostKeyFingerprint && a.hostKeyFingerprint === b.hostKeyFingerprint) return true;
  if (a.hostname && lower(a.hostname) === lower(b.hostname)) return true;
  if (lower(a.id) === lower(b.id)) return true;
  const addresses = new Set(a.addresses.map((x) => x.toLowerCase()));
  return b.addresses.some((x) => addresses.has(x.toLowerCase()));
}
