import { z } from 'zod';
import { channel } from './channel';

/**
 * The identity registry (compat-formats §5): one record per identity issued to a device from the user's own
 * CA. Holds names, fingerprints and where/when/by whom; never a private key or a certificate body.
 */

/**
 * - `reserved`: the endpoint name and `{seq}` are taken, nothing is signed yet (a run that died here issued nothing).
 * - `issued`: the certificate was made; the device step has not reported (still running, or the process died).
 * - `confirmed`: the device stored it and `--get-pelion-status` passed.
 * - `unconfirmed`: the device step failed after the certificate was made: offered for re-issue on that device.
 */
export type IdentityState = 'reserved' | 'issued' | 'confirmed' | 'unconfirmed';

/** The device an identity belongs to, as the run knew it. */
export interface IdentityDevice {
  /** The run's device key: its discovery id, else its host name, else the address it was reached at. */
  id: string;
  hostname?: string;
  addresses: string[];
  /** `SHA256:…` of the SSH host key it presented (known once connected). */
  hostKeyFingerprint?: string;
}

export interface IdentityCertificate {
  /** SHA-256 of the DER certificate, lower-case hex. */
  fingerprint: string;
  /** `A-` + the colon-separated SHA-256 of the certificate (compat-formats §4). */
  enrollmentIdentity: string;
  /** The certificate's serial number, lower-case hex. */
  serial: string;
  /** ISO 8601. */
  notAfter: string;
}

export interface IdentityRecord {
  /** Unique per record: a re-issue is a record of its own. */
  id: string;
  /** The identity's number from the registry's counter, never handed out twice; a re-issue keeps it. */
  seq: number;
  endpointName: string;
  state: IdentityState;
  /** Absent while `reserved`. */
  certificate?: IdentityCertificate;
  ca: { name: string; fingerprint: string };
  device: IdentityDevice;
  runId: string;
  /** Who ran it (the OS user name). */
  operator: string;
  /** Which workstation issued it (its host name by default). */
  station: string;
  /** ISO 8601: reserved, certificate made, device step reported. */
  reservedAt: string;
  issuedAt?: string;
  settledAt?: string;
  /** Why the device did not confirm it (`unconfirmed`). */
  reason?: string;
  /** The record this one re-issued (same endpoint name, same `seq`). */
  reissueOf?: string;
  /** A later record re-issued this one: it no longer is the device's identity. */
  supersededBy?: string;
}

// Zod's ISO rules check the calendar: Date.parse would take 2025-02-30 as March 2nd, and "2025" as a date.
const calendarDay = z.iso.date();
const dateTime = z.iso.datetime({ offset: true, local: true });
const isoDate = z
  .string()
  .max(40)
  .refine((s) => calendarDay.safeParse(s).success || dateTime.safeParse(s).success, 'must be a date such as 2025-01-31 or an ISO 8601 time');

export const IdentityFilterSchema = z
  .object({
    /** Matches the device id, host name or any address (substring, case-insensitive). */
    device: z.string().max(512).optional(),
    runId: z.string().max(128).optional(),
    endpointName: z.string().max(256).optional(),
    station: z.string().max(256).optional(),
    /** Records reserved at or after this time. */
    since: isoDate.optional(),
    /** Records reserved before this time. */
    until: isoDate.optional(),
    /** Leave out records that a re-issue replaced. */
    liveOnly: z.boolean().optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();
export type IdentityFilter = z.infer<typeof IdentityFilterSchema>;

/** A First-to-Claim enrollment list: the bulk-upload CSV and what went into it, or did not and why. */
export interface EnrollmentExport {
  /** Header line, then one enrollment identity a line (compat-formats §4). */
  csv: string;
  identities: Array<{ device: string; endpointName: string; enrollmentIdentity: string }>;
  refused: Array<{ device: string; endpointName?: string; reason: string }>;
  /** A file name to save it under (dated). */
  fileName: string;
}

export const identitiesChannels = {
  /** Registry records, newest first, filtered. */
  list: channel<IdentityRecord[]>()('identities:list', IdentityFilterSchema),
  /** Every record of one endpoint name (the first issue and its re-issues), newest first. */
  show: channel<IdentityRecord[]>()('identities:show', z.object({ endpointName: z.string().min(1).max(256) }).strict()),
  /** The enrollment CSV of the confirmed, live identities the filter selects (by run, date or device). */
  exportEnrollment: channel<EnrollmentExport>()(
    'identities:export-enrollment',
    IdentityFilterSchema.pick({ runId: true, since: true, until: true, device: true, station: true }).strict(),
  ),
} as const;

export type IdentityErrorCode =
  'identity-exists' | 'endpoint-name-taken' | 'endpoint-name-invalid' | 'identity-not-found' | 'registry-unreadable' | 'registry-unwritable';
