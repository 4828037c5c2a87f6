import { z } from 'zod';
import { channel } from './channel';
import type { FieldErrors } from '../domain/update-certificate';

/**
 * Certificates: the update-certificate wizard (manifest-tool init equivalent, compat-formats §1)
 * and, in its own section below, the Team Store's certificates.
 */

// ---------------------------------------------------------------------------------------------------
// update-certificate wizard
// ---------------------------------------------------------------------------------------------------

/** What a certificate looks like at a glance (Team Store lists, the wizard's result). */
export interface CertificateSummary {
  /** `C=GB, ST=…, L=…, O=…, CN=…` in the certificate's order. */
  subject: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the DER certificate, lower-case hex. */
  fingerprint: string;
  /** The SubjectKeyIdentifier extension, lower-case hex; null when the certificate has none. */
  ski: string | null;
  /** `EC P-256`, `EC P-384`, `RSA 2048`, `Ed25519`, or `unknown (<oid>)`. */
  keyType: string;
  selfSigned: boolean;
}

const text = (max: number) => z.string().max(max);

/**
 * The wizard's form, as typed. Leave a field out when it is not used (send no `domain` when giving
 * `vendorId`); an empty `domain` is checked, and refused, like `-d ""`.
 */
export const UpdateCertInputSchema = z
  .object({
    domain: text(253).optional(),
    model: text(256).optional(),
    vendorId: text(64).optional(),
    classId: text(64).optional(),
    country: text(64).optional(),
    state: text(256).optional(),
    locality: text(256).optional(),
    organization: text(256).optional(),
    commonName: text(256).optional(),
    /** Days as a number or the text typed (checked with a field message, not by the schema). */
    days: z.union([z.number(), text(32)]).optional(),
  })
  .strict();

export const WizardPreviewRequestSchema = UpdateCertInputSchema.extend({
  /** Optional absolute target folder: the preview then says what would be reused or kept there. */
  dir: text(4096).optional(),
}).strict();

export const WizardCreateRequestSchema = UpdateCertInputSchema.extend({
  /** Absolute path of the target folder (created if missing). */
  dir: text(4096).min(1),
  /** Make a new certificate even if the folder has one, and overwrite `update_default_resources.c`. */
  force: z.boolean().default(false),
  /** Absolute paths of an existing certificate (DER or PEM) and its private key (PEM or DER): both or neither. */
  certificatePath: text(4096).optional(),
  keyPath: text(4096).optional(),
}).strict();

export const WizardDefaultDirRequestSchema = z.object({ model: text(256).optional(), domain: text(253).optional() }).strict();

export type WizardPreviewRequest = z.infer<typeof WizardPreviewRequestSchema>;
export type WizardCreateRequest = z.input<typeof WizardCreateRequestSchema>;

/** What is already in a target folder. */
export interface WizardFolderState {
  dir: string;
  exists: boolean;
  /** default.der and default.key.pem both present: they will be reused unless `force`. */
  hasCertificate: boolean;
  /** update_default_resources.c present: it will be kept unless `force`. */
  hasCFile: boolean;
}

export interface WizardPreview {
  /** True when create would accept these inputs (file checks aside). */
  valid: boolean;
  /** Derived live; absent while the field they come from is invalid. */
  vendorId?: string;
  classId?: string;
  /** `C=…, CN=…` of a new certificate. */
  subject: string;
  days?: number;
  /** ISO 8601 expiry if the certificate were made now. */
  notAfter?: string;
  /** One message per invalid field, naming the field and the rule. */
  fieldErrors: FieldErrors;
  /** Self-signed and short-validity warnings, as create would give them. */
  warnings: string[];
  folder?: WizardFolderState;
}

export type CertificateSource = 'generated' | 'reused' | 'imported';

export interface WizardCreateSummary {
  vendorId: string;
  classId: string;
  /** SHA-256 of the DER certificate, lower-case hex. */
  fingerprint: string;
  /** ISO 8601. */
  notAfter: string;
  /** Absolute paths of the files written by this run (a kept C file is not among them). */
  files: string[];
  /** Absolute paths of files left as they were (a reused certificate and key, a kept C file). */
  kept: string[];
  /** The text of `update_default_resources.c` as it now stands in the folder. */
  cFileText: string;
  certificateSource: CertificateSource;
  certificate: CertificateSummary;
  warnings: string[];
}

export interface WizardDefaultDir {
  /** e.g. `~/update-certificates/dev-device`, absolute. */
  dir: string;
  folder: WizardFolderState;
}

export const certificatesChannels = {
  // update-certificate wizard
  /** Live check of the wizard form: IDs, expiry, warnings and per-field errors; writes nothing. */
  wizardPreview: channel<WizardPreview>()('certificates:wizard-preview', WizardPreviewRequestSchema),
  /** Makes (or reuses, or imports) the certificate and writes the four manifest-tool files into `dir`, all or nothing. */
  wizardCreate: channel<WizardCreateSummary>()('certificates:wizard-create', WizardCreateRequestSchema),
  /** Suggests a target folder for a model (`~/update-certificates/<model>`) and says what is already in it. */
  wizardDefaultDir: channel<WizardDefaultDir>()('certificates:wizard-default-dir', WizardDefaultDirRequestSchema),
  // team store (added by the Team Store feature)
} as const;

export type UpdateCertErrorCode =
  | 'invalid-input'
  | 'certificate-unreadable'
  | 'key-unreadable'
  | 'unsupported-key'
  | 'key-mismatch'
  | 'existing-incomplete'
  | 'target-not-writable';
