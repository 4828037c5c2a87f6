import { z } from 'zod';
import { channel, event } from './channel';
import { CertNameSchema, type ExpiryState } from './certificates';
import { isCountryCode } from '../domain/countries';

/**
 * The user's own certificate authorities (compat-formats §5): made or imported into the Team Store, trusted in
 * the Device Management account, and used to sign each device's own bootstrap certificate. The CA's private key
 * never crosses a door outwards: no channel answers with it.
 */

export const DEFAULT_CA_DAYS = 30 * 365;
export const DEFAULT_DEVICE_YEARS = 20;

export interface CaTrust {
  /** `unknown` when the cloud was not asked (no API key) or could not be reached: see `note`. */
  state: 'trusted' | 'not-trusted' | 'unknown';
  /** The trusted-certificate id in the account. */
  id?: string;
  /** Trusted with `enrollment_mode` (First-to-Claim). */
  firstToClaim?: boolean;
  note?: string;
}

export interface CertificateAuthority {
  name: string;
  /** `C=…, O=…, OU=…, CN=…`. */
  subject: string;
  /** SHA-256 of the DER certificate, lower-case hex. */
  fingerprint: string;
  notBefore: string;
  notAfter: string;
  expiry: ExpiryState;
  /** `EC P-256`, `RSA 3072`, … */
  keyType: string;
  /** Absolute folder `<team>/<name>`. */
  path: string;
  trust: CaTrust;
}

export interface CaList {
  teamStore: string;
  authorities: CertificateAuthority[];
  /** Why trust states are `unknown`, in one line that says what to do. */
  cloudNote: string | null;
}

/**
 * What a trust request changed: the account newly trusts the CA, trusted it already (from another station, or an
 * earlier request), or trusted it already and now also for First-to-Claim enrollment.
 */
export type CaTrustOutcome = 'added' | 'already-trusted' | 'first-to-claim-turned-on';

export interface CaTrusted {
  outcome: CaTrustOutcome;
  authority: CertificateAuthority;
  /** The cloud's answer to POST /v3/trusted-certificates. */
  cloud: { id: string; name: string; service: string; status: string | null; firstToClaim: boolean; subject: string; validity: string };
}

const countrySchema = z
  .string()
  .trim()
  .max(64)
  .refine((c) => c === '' || isCountryCode(c), 'use a two-letter ISO 3166 country code such as GB or DE');

export const CaCreateRequestSchema = z
  .object({
    name: CertNameSchema,
    organization: z.string().trim().max(64).optional(),
    organizationalUnit: z.string().trim().max(64).optional(),
    country: countrySchema.optional(),
    /** Validity in days from now (default 30 years: longer than the devices it signs for). */
    days: z
      .number()
      .int()
      .min(1)
      .max(100 * 366)
      .optional(),
  })
  .strict();
export type CaCreateRequest = z.infer<typeof CaCreateRequestSchema>;

/** A file the UI read, sent as base64 (a DER certificate is binary). */
const UploadedFileSchema = z
  .object({
    fileName: z.string().max(512),
    base64: z.string().max(256 * 1024, 'the file is larger than 192 KiB: it is not a certificate or key'),
  })
  .strict();

export const CaImportRequestSchema = z.object({ name: CertNameSchema, certificate: UploadedFileSchema, key: UploadedFileSchema }).strict();
export type CaImportRequest = z.infer<typeof CaImportRequestSchema>;

export const caChannels = {
  /** The Team Store's CAs, with their trust state in the account when an API key is saved. */
  list: channel<CaList>()('ca:list', z.object({ cloud: z.boolean().optional() }).strict()),
  /** Make a P-256 CA (self-signed, CA:true, keyCertSign + cRLSign) and keep it in the Team Store. */
  create: channel<CertificateAuthority>()('ca:create', CaCreateRequestSchema),
  /** Import a CA certificate and its key (PEM or DER); refused, with nothing written, unless both are usable. */
  import: channel<CertificateAuthority>()('ca:import', CaImportRequestSchema),
  /** Delete a CA from the Team Store (identities it issued stay valid while the account trusts it). */
  delete: channel<{ name: string }>()('ca:delete', z.object({ name: CertNameSchema }).strict()),
  /** POST /v3/trusted-certificates with service `bootstrap` (and `enrollment_mode` for First-to-Claim). */
  trust: channel<CaTrusted>()('ca:trust', z.object({ name: CertNameSchema, firstToClaim: z.boolean().optional() }).strict()),
} as const;

export const caEvents = {
  changed: event<{ reason: 'created' | 'imported' | 'deleted' | 'trusted'; name: string }>()('ca:changed'),
} as const;

export type CaErrorCode =
  | 'ca-exists'
  | 'ca-missing'
  | 'not-a-ca'
  | 'certificate-unreadable'
  | 'certificate-expired'
  | 'key-unreadable'
  | 'key-mismatch'
  | 'weak-key'
  | 'unsupported-key'
  | 'store-unwritable';
