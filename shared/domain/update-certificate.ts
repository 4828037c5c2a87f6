/**
 * The update-certificate wizard's pure rules (compat-formats §1), shared by the pki service, the CLI and
 * the UI (which shows IDs, expiry and errors live while the user types): input validation, the IDs,
 * warnings, and the two text files manifest-tool 1.x writes, byte for byte.
 */
import { cBytesSplitAt16, cByteLines, cBytes } from './c-array';
import { isCountryCode } from './countries';
import { invalidDomainMessage, isValidVendorDomain } from './domain-name';
import { pythonJsonDumps } from './python-json';
import { fail, ok, type Failure, type Ok, type Result } from './result';
import { classIdFromModel, isUuid, normalizeUuid, uuidToBytes, vendorIdFromDomain } from './uuid5';

export const DEFAULT_VALIDITY_DAYS = 90;
/** Ten years: below this the wizard warns that devices may outlive their update certificate. */
export const PRODUCTION_MIN_DAYS = 3650;
/** A hundred years: keeps notAfter far inside X.509's year 9999 and catches typos. */
export const MAX_VALIDITY_DAYS = 36500;
const DAY_MS = 86_400_000;

/** The files, relative to the target folder, as manifest-tool names them (always `/`, also on Windows). */
export const UPDATE_CERT_FILES = {
  certificate: '.update-certificates/default.der',
  privateKey: '.update-certificates/default.key.pem',
  config: '.manifest_tool.json',
  cFile: 'update_default_resources.c',
} as const;

/** The wizard's inputs as the UI form and the CLI flags give them; anything may be missing or wrong. */
export interface UpdateCertInput {
  /** Vendor domain (`-d`), e.g. `arm.com`. Omit (rather than send "") when the vendor ID is given instead. */
  domain?: string;
  /** Model name (`-m`), e.g. `dev-device`. Omit when the class ID is given instead. */
  model?: string;
  /** Vendor ID as a UUID (`-V`), instead of a domain. */
  vendorId?: string;
  /** Class ID as a UUID (`-C`), instead of a model name. */
  classId?: string;
  country?: string;
  state?: string;
  locality?: string;
  organization?: string;
  /** Defaults to the domain. */
  commonName?: string;
  /** Validity in days; a number or the text the user typed. Defaults to 90. */
  days?: number | string;
}

export type UpdateCertField = keyof UpdateCertInput;
/** The wizard's fields: the inputs above, plus the files of an existing certificate (`-c`/`-k`) and the target folder. */
export type WizardField = UpdateCertField | 'certificatePath' | 'keyPath' | 'dir';
export type FieldErrors = Partial<Record<WizardField, string>>;

export interface SubjectFields {
  country: string;
  state: string;
  locality: string;
  organization: string;
  commonName: string;
}

export interface ValidUpdateCertInput {
  vendorId: string;
  classId: string;
  /** null when the vendor ID was given as a UUID (written so into `.manifest_tool.json`). */
  vendorDomain: string | null;
  modelName: string | null;
  subject: SubjectFields;
  days: number;
}

/** A failure carries every field's problem (`message` is the first, for one-line reporting) and what could be derived anyway. */
export type UpdateCertValidation = Ok<ValidUpdateCertInput> | (Failure<'invalid-input'> & { errors: FieldErrors; partial: Partial<ValidUpdateCertInput> });

/** Upper bounds from RFC 5280's ub-* values, so a certificate can't be refused by a strict parser. */
const FIELD_LIMITS = { state: 128, locality: 128, organization: 64, commonName: 64 } as const;

/** C0 and C1 control characters and DEL: never part of a name, and able to drive the terminal that shows it. */
const CONTROL_CHARACTER = /\p{Cc}/u;

function controlCharacterProblem(label: string, value: string | undefined): string | undefined {
  const at = value === undefined ? -1 : value.search(CONTROL_CHARACTER);
  if (at < 0) return undefined;
  const code = value!.charCodeAt(at).toString(16).padStart(4, '0');
  return `${label} must not contain control characters (found \\u${code} at character ${at + 1}): type it again without them`;
}
const FIELD_LABELS = { state: 'state or province', locality: 'city or region', organization: 'organization name', commonName: 'common name' } as const;

/** Parses days from a number or typed text. */
export function parseDays(days: number | string | undefined): Result<number, 'invalid-input'> {
  if (days === undefined) return ok(DEFAULT_VALIDITY_DAYS);
  const text = typeof days === 'number' ? String(days) : days.trim();
  if (!/^\d+$/.test(text) || Number(text) <= 0) return fail('invalid-input', `days must be a positive whole number of days (got "${days}")`);
  const value = Number(text);
  if (value > MAX_VALIDITY_DAYS) return fail('invalid-input', `days must be at most ${MAX_VALIDITY_DAYS}, 100 years (got "${text}")`);
  return ok(value);
}

/**
 * Checks every field and reports each problem under its field name, so the UI can show them next to the
 * inputs and the CLI can print the first. IDs are derived even when other fields are wrong (`partial`).
 */
export function validateUpdateCertInput(input: UpdateCertInput): UpdateCertValidation {
  const errors: FieldErrors = {};
  const partial: Partial<ValidUpdateCertInput> = {};

  const domainControl = controlCharacterProblem('vendor domain', input.domain);
  const modelControl = controlCharacterProblem('model name', input.model);
  if (input.domain !== undefined && input.vendorId !== undefined) {
    errors.vendorId = 'give either a vendor domain (-d) or a vendor ID (-V), not both';
  } else if (domainControl) {
    errors.domain = domainControl;
  } else if (input.domain !== undefined) {
    if (isValidVendorDomain(input.domain)) {
      partial.vendorId = vendorIdFromDomain(input.domain);
      partial.vendorDomain = input.domain;
    } else errors.domain = invalidDomainMessage(input.domain);
  } else if (input.vendorId !== undefined) {
    if (isUuid(input.vendorId)) {
      partial.vendorId = normalizeUuid(input.vendorId);
      partial.vendorDomain = null;
    } else errors.vendorId = `vendor ID "${input.vendorId}" is not a valid UUID (expected the form fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe)`;
  } else {
    errors.domain = 'vendor domain is required (for example arm.com), or give the vendor ID as a UUID (-V)';
  }

  if (input.model !== undefined && input.classId !== undefined) {
    errors.classId = 'give either a model name (-m) or a class ID (-C), not both';
  } else if (modelControl) {
    errors.model = modelControl;
  } else if (input.model !== undefined) {
    if (input.model.length === 0) errors.model = 'model name must not be empty (for example dev-device)';
    else {
      partial.modelName = input.model;
      if (partial.vendorId) partial.classId = classIdFromModel(partial.vendorId, input.model);
    }
  } else if (input.classId !== undefined) {
    if (isUuid(input.classId)) {
      partial.classId = normalizeUuid(input.classId);
      partial.modelName = null;
    } else errors.classId = `class ID "${input.classId}" is not a valid UUID (expected the form 4d131344-feab-5a2e-84a2-0dccdd905f35)`;
  } else {
    errors.model = 'model name is required (for example dev-device), or give the class ID as a UUID (-C)';
  }

  const country = (input.country ?? '').trim();
  if (country && !isCountryCode(country)) errors.country = `country must be a two-letter ISO 3166 code such as GB or US (got "${country}")`;
  const subject: SubjectFields = {
    country: country.toUpperCase(),
    state: (input.state ?? '').trim(),
    locality: (input.locality ?? '').trim(),
    organization: (input.organization ?? '').trim(),
    commonName: (input.commonName ?? '').trim() || (partial.vendorDomain ?? ''),
  };
  const commonNameFromDomain = !(input.commonName ?? '').trim();
  for (const field of ['state', 'locality', 'organization', 'commonName'] as const) {
    const control = field === 'commonName' && commonNameFromDomain ? undefined : controlCharacterProblem(FIELD_LABELS[field], subject[field]);
    if (control) errors[field] = control;
    else if (subject[field].length > FIELD_LIMITS[field])
      errors[field] =
        field === 'commonName' && commonNameFromDomain
          ? `the vendor domain is the certificate's common name unless one is given, and a common name holds at most ${FIELD_LIMITS.commonName} characters (the domain has ${subject.commonName.length}): give a shorter common name`
          : `${FIELD_LABELS[field]} must be at most ${FIELD_LIMITS[field]} characters (got ${subject[field].length})`;
  }
  partial.subject = subject;

  const days = parseDays(input.days);
  if (days.ok) partial.days = days.value;
  else errors.days = days.message;

  if (Object.keys(errors).length > 0) return { ...fail('invalid-input', firstFieldError(errors) ?? 'invalid input'), errors, partial };
  return ok(partial as ValidUpdateCertInput);
}

/** The first error, for one-line reporting (CLI): in the order the fields are asked. */
export function firstFieldError(errors: FieldErrors): string | undefined {
  const order: UpdateCertField[] = ['domain', 'vendorId', 'model', 'classId', 'country', 'state', 'locality', 'organization', 'commonName', 'days'];
  for (const f of order) if (errors[f]) return errors[f];
  return undefined;
}

/** `C=GB, ST=…, L=…, O=…, CN=…` with only the non-empty fields, in the certificate's order. */
export function subjectText(subject: SubjectFields): string {
  const parts: Array<[string, string]> = [
    ['C', subject.country],
    ['ST', subject.state],
    ['L', subject.locality],
    ['O', subject.organization],
    ['CN', subject.commonName],
  ];
  return parts
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

export const isSubjectEmpty = (subject: SubjectFields): boolean => subjectText(subject) === '';

/** notAfter for a certificate made at `now` and valid for `days`. */
export const expiryDate = (now: Date, days: number): Date => new Date(now.getTime() + days * DAY_MS);

/** Whole days between two dates, rounded down. */
export const daysBetween = (from: Date, to: Date): number => Math.floor((to.getTime() - from.getTime()) / DAY_MS);

export const SELF_SIGNED_WARNING = 'This certificate is self-signed and is for testing only: it is not suitable for production use.';

export function shortValidityWarning(days: number): string | undefined {
  if (days >= PRODUCTION_MIN_DAYS) return undefined;
  return `This certificate is valid for only ${days} day${days === 1 ? '' : 's'}. Production should use at least 10 years (${PRODUCTION_MIN_DAYS} days): a device whose update certificate has expired can no longer be updated.`;
}

export const expiredWarning = (notAfter: Date): string =>
  `This certificate expired on ${notAfter.toISOString()}: devices will refuse updates signed with it. Make a new one with --force.`;

/** Warnings for a certificate valid from `notBefore` to `notAfter`, seen at `now`. */
export function certificateWarnings(opts: { selfSigned: boolean; notBefore: Date; notAfter: Date; now: Date }): string[] {
  const warnings: string[] = [];
  if (opts.selfSigned) warnings.push(SELF_SIGNED_WARNING);
  if (opts.notAfter.getTime() <= opts.now.getTime()) warnings.push(expiredWarning(opts.notAfter));
  else {
    const short = shortValidityWarning(daysBetween(opts.notBefore, opts.notAfter));
    if (short) warnings.push(short);
  }
  return warnings;
}

export const C_FILE_KEPT_WARNING = `${UPDATE_CERT_FILES.cFile} already exists, not overwriting. Use --force to write anyway.`;

/** `.manifest_tool.json`, exactly as manifest-tool 1.x writes it (sorted keys, 4-space indent, no newline at the end). */
export function renderManifestToolJson(opts: {
  vendorId: string;
  classId: string;
  vendorDomain: string | null;
  modelName: string | null;
  deviceURNs?: string[];
}): string {
  return pythonJsonDumps(
    {
      classId: opts.classId,
      vendorId: opts.vendorId,
      vendorDomain: opts.vendorDomain,
      modelName: opts.modelName,
      deviceURNs: opts.deviceURNs ?? [],
      'private-key': UPDATE_CERT_FILES.privateKey,
      'default-certificates': [{ file: UPDATE_CERT_FILES.certificate }],
    },
    { indent: 4, sortKeys: true },
  );
}

/** Our own opening comment; manifest-tool's licence header is deliberately not reproduced. */
export const C_FILE_HEADER = [
  '// update_default_resources.c: written by Provisioning Workstation (pws init), in the layout of manifest-tool 1.x init.',
  '// It gives a device the vendor and class IDs and the certificate that firmware update manifests must be signed with.',
  '',
  '',
].join('\n');

/**
 * `update_default_resources.c`: our header, then from the first `#ifdef` on exactly manifest-tool 1.x's
 * text, including its irregular spacing and blank lines.
 */
export function renderUpdateDefaultResourcesC(opts: {
  vendorId: string;
  classId: string;
  /** SHA-256 of the DER certificate (32 bytes). */
  fingerprint: Uint8Array;
  /** The certificate's SubjectKeyIdentifier extension value. */
  ski: Uint8Array;
  certificate: Uint8Array;
}): string {
  return `${C_FILE_HEADER}#ifdef MBED_CLOUD_CLIENT_USER_CONFIG_FILE
#include MBED_CLOUD_CLIENT_USER_CONFIG_FILE
#endif

#include <stdint.h>

#ifdef MBED_CLOUD_DEV_UPDATE_ID
const uint8_t arm_uc_vendor_id[] = {
    ${cBytes(uuidToBytes(opts.vendorId))}
};
const uint16_t arm_uc_vendor_id_size = sizeof(arm_uc_vendor_id);

const uint8_t arm_uc_class_id[]  = {
    ${cBytes(uuidToBytes(opts.classId))}
};
const uint16_t arm_uc_class_id_size = sizeof(arm_uc_class_id);
#endif

#ifdef MBED_CLOUD_DEV_UPDATE_CERT
const uint8_t arm_uc_default_fingerprint[] =  {
    ${cBytesSplitAt16(opts.fingerprint)}
};
const uint16_t arm_uc_default_fingerprint_size =
    sizeof(arm_uc_default_fingerprint);

const uint8_t arm_uc_default_subject_key_identifier[] =  {
    ${cBytesSplitAt16(opts.ski)}
};
const uint16_t arm_uc_default_subject_key_identifier_size =
    sizeof(arm_uc_default_subject_key_identifier);

const uint8_t arm_uc_default_certificate[] = {
    ${cByteLines(opts.certificate, 16)}
};
const uint16_t arm_uc_default_certificate_size = sizeof(arm_uc_default_certificate);
#endif


#ifdef MBED_CLOUD_DEV_UPDATE_PSK
const uint8_t arm_uc_default_psk[] = {
    
};
const uint8_t arm_uc_default_psk_size = sizeof(arm_uc_default_psk);
const uint16_t arm_uc_default_psk_bits = sizeof(arm_uc_default_psk)*8;

const uint8_t arm_uc_default_psk_id[] = {
    
};
const uint8_t arm_uc_default_psk_id_size = sizeof(arm_uc_default_psk_id);
#endif
`;
}
