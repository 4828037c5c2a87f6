import { z } from 'zod';
import { channel, event } from './channel';
import type { ExpiryState } from '../domain/expiry';
import type { FieldErrors } from '../domain/update-certificate';

/**
 * Certificates: the update-certificate wizard (manifest-tool init equivalent, compat-formats §1), served by the pki
 * service, and the Team Store's certificates (with the cloud's developer certificates), served by the Team Store service.
 */

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
  /** An existing certificate and its key, as create takes them: the preview checks them as create would. */
  certificatePath: text(4096).optional(),
  keyPath: text(4096).optional(),
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
  /** One message per invalid field, naming the field and the rule (the certificate's and key's files included). */
  fieldErrors: FieldErrors;
  /** Self-signed and short-validity warnings, as create would give them. */
  warnings: string[];
  folder?: WizardFolderState;
  /** The existing certificate given with `certificatePath`/`keyPath`, once both passed create's checks. */
  certificate?: CertificateSummary;
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

/** A Team Store certificate name: a folder name, as mbl-cli used (letters, digits, `.`, `_`, `-`, space). */
export const CertNameSchema = z
  .string()
  .trim()
  .min(1, 'the certificate name is empty')
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._ -]*$/, 'use letters, digits, ".", "_", "-" or spaces, starting with a letter or digit')
  .refine((n) => !n.includes('..'), 'must not contain ".."');

/** The largest C file an import takes: the UI refuses a bigger one before reading it. */
export const MAX_C_FILE_BYTES = 4 * 1024 * 1024;
/** How long the name a C file is reported by may be (a path as typed, or the name of a dropped file). */
export const MAX_C_FILE_NAME = 512;
export const C_FILE_TOO_LARGE = 'the file is larger than 4 MiB: it is not a credentials C file';

export const ImportCFileRequestSchema = z
  .object({
    name: CertNameSchema,
    /** The file's name as the user chose it, for messages (`update_default_resources.c`). */
    fileName: text(MAX_C_FILE_NAME).default('the C file'),
    /** The file's text (the UI reads it in the browser, so drag-and-drop and the web host work alike). */
    text: z.string().max(MAX_C_FILE_BYTES, C_FILE_TOO_LARGE),
  })
  .strict();

/** 'expiring' from 30 days before notAfter; 'unknown' when there is no readable certificate (shared/domain/expiry.ts). */
export type { ExpiryState } from '../domain/expiry';

export interface TeamCertificate {
  name: string;
  kind: 'developer' | 'update';
  /** SHA-256 of the DER certificate inside, lower-case hex. */
  fingerprint: string | null;
  /** ISO 8601: when the folder was written. */
  createdAt: string | null;
  /** ISO 8601. */
  notAfter: string | null;
  expiry: ExpiryState;
  /** Absolute folder `<team>/<name>`. */
  path: string;
  /** The `<SYMBOL>.bin` file names in it. */
  files: string[];
  /** Written by mbl-cli 2.0 (uint32 as ASCII): usable, but strings may have lost spaces or a leading/trailing 'r'. */
  legacy: boolean;
  warnings: string[];
}

export interface CloudCertificate {
  /** The trusted-certificate id (also the developer-certificate id). */
  id: string;
  name: string;
  fingerprint: string | null;
  createdAt: string | null;
  notAfter: string | null;
  expiry: ExpiryState;
  inTeamStore: boolean;
}

export interface CertificatesList {
  /** The Team Store folder. */
  teamStore: string;
  team: TeamCertificate[];
  /** Null when the cloud was not asked (no API key, or `cloud: false`) or could not be reached: see cloudNote. */
  cloud: CloudCertificate[] | null;
  /** Why `cloud` is null, in one line that says what to do. */
  cloudNote: string | null;
}

export interface CertificateDeleted {
  name: string;
  /** The Team Store folder was removed (false when it was only in the cloud). */
  local: boolean;
  /** The cloud certificate was deleted. */
  cloud: boolean;
}

export interface StorePaths {
  /** `~/.mbl-stores.json`. */
  storesFile: string;
  user: string;
  team: string;
}

export const certificatesEvents = {
  /** The Team Store changed (a certificate was created, imported, fetched or deleted, or the stores moved). */
  teamStoreChanged: event<{ reason: 'created' | 'imported' | 'fetched' | 'deleted' | 'stores-moved'; name?: string }>()('certificates:team-store-changed'),
} as const;

export const certificatesChannels = {
  // the wizard: the pki service (electron/services/pki/pki-routes.ts)
  /** Live check of the wizard form: IDs, expiry, warnings and per-field errors; writes nothing. */
  wizardPreview: channel<WizardPreview>()('certificates:wizard-preview', WizardPreviewRequestSchema),
  /** Makes (or reuses, or imports) the certificate and writes the four manifest-tool files into `dir`, all or nothing. */
  wizardCreate: channel<WizardCreateSummary>()('certificates:wizard-create', WizardCreateRequestSchema),
  /** Suggests a target folder for a model (`~/update-certificates/<model>`) and says what is already in it. */
  wizardDefaultDir: channel<WizardDefaultDir>()('certificates:wizard-default-dir', WizardDefaultDirRequestSchema),
  // the Team Store: the Team Store service (electron/services/certificates/team-store-routes.ts)
  /** The Team Store's certificates (developer and update) and, with an API key, the developer certificates in the cloud. */
  list: channel<CertificatesList>()('certificates:list', z.object({ cloud: z.boolean().optional() }).strict()),
  /** Create a developer certificate in the cloud (POST /v3/developer-certificates) and save it into the Team Store as NAME. */
  createDev: channel<TeamCertificate>()('certificates:create-dev', z.object({ name: CertNameSchema, description: text(500).optional() }).strict()),
  /** Copy a developer certificate that exists in the cloud (found by name) into the Team Store. */
  fetchDev: channel<TeamCertificate>()('certificates:fetch-dev', z.object({ name: CertNameSchema }).strict()),
  /** Import manifest-tool's `update_default_resources.c` (its text, read by the UI) into the Team Store as NAME. */
  importUpdate: channel<TeamCertificate>()('certificates:import-update', ImportCFileRequestSchema),
  /** Import a developer credentials C file (`mbed_cloud_dev_credentials.c` from the portal) into the Team Store as NAME. */
  importDev: channel<TeamCertificate>()('certificates:import-dev', ImportCFileRequestSchema),
  /** Delete NAME from the Team Store and, with `cloud`, the developer certificate of that name in the cloud. */
  delete: channel<CertificateDeleted>()('certificates:delete', z.object({ name: CertNameSchema, cloud: z.boolean().default(false) }).strict()),
  /** Where the User Store and Team Store are (`~/.mbl-stores.json`). */
  stores: channel<StorePaths>()('certificates:stores', z.object({}).strict()),
  /** Move the stores: absolute folder paths, written to `~/.mbl-stores.json` (folders created with mbl-cli's modes). */
  setStores: channel<StorePaths>()('certificates:set-stores', z.object({ user: text(4096).min(1).optional(), team: text(4096).min(1).optional() }).strict()),
} as const;

export type UpdateCertErrorCode =
  'invalid-input' | 'certificate-unreadable' | 'key-unreadable' | 'unsupported-key' | 'key-mismatch' | 'existing-incomplete' | 'target-not-writable';
