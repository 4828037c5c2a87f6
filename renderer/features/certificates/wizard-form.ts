import type { WizardPreviewRequest } from '../../../shared/contract/certificates';
import { invalidDomainMessage, isValidVendorDomain } from '../../../shared/domain/domain-name';
import {
  DEFAULT_VALIDITY_DAYS,
  validateUpdateCertInput,
  type FieldErrors,
  type UpdateCertInput,
  type WizardField,
} from '../../../shared/domain/update-certificate';
import { classIdFromModel, isUuid, normalizeUuid, vendorIdFromDomain } from '../../../shared/domain/uuid5';

/** The wizard's form as typed. Everything is text so Back/Next keep exactly what was entered. */
export interface WizardForm {
  domain: string;
  model: string;
  /** The vendor and class IDs as UUIDs (`-V`/`-C`); while not edited (or emptied) they follow the domain and model. */
  vendorId: string;
  vendorIdEdited: boolean;
  classId: string;
  classIdEdited: boolean;
  /** Make a new self-signed certificate, or use an existing certificate and key (`-c`/`-k`). */
  certificate: 'new' | 'existing';
  certificatePath: string;
  keyPath: string;
  country: string;
  state: string;
  locality: string;
  organization: string;
  /** Empty while not edited: then the common name follows the domain. */
  commonName: string;
  commonNameEdited: boolean;
  days: string;
}

export type WizardFormField = Exclude<keyof WizardForm, `${string}Edited` | 'certificate'>;

export const emptyWizardForm = (preset: { domain?: string; model?: string } = {}): WizardForm => ({
  domain: preset.domain ?? '',
  model: preset.model ?? '',
  vendorId: '',
  vendorIdEdited: false,
  classId: '',
  classIdEdited: false,
  certificate: 'new',
  certificatePath: '',
  keyPath: '',
  country: '',
  state: '',
  locality: '',
  organization: '',
  commonName: '',
  commonNameEdited: false,
  days: String(DEFAULT_VALIDITY_DAYS),
});

/** The common name shown and sent: what the user typed, or the domain until they type one. */
export const effectiveCommonName = (form: WizardForm): string => (form.commonNameEdited ? form.commonName : form.domain.trim());

/** The IDs manifest-tool derives (compat-formats §1.2): the vendor's from the domain, the class's from the vendor ID in use and the model. */
export function derivedIds(form: WizardForm): { vendorId?: string; classId?: string } {
  const domain = form.domain.trim();
  const model = form.model.trim();
  const vendorId = isValidVendorDomain(domain) ? vendorIdFromDomain(domain) : undefined;
  const vendorInUse = customVendorId(form) ?? vendorId;
  const classId = vendorInUse && isUuid(vendorInUse) && model ? classIdFromModel(normalizeUuid(vendorInUse), model) : undefined;
  return { ...(vendorId && { vendorId }), ...(classId && { classId }) };
}

/** An ID typed in the Advanced step, unless it is empty or the derived one: then the domain or model is sent instead. */
function customId(typed: string, edited: boolean, derived: () => string | undefined): string | undefined {
  const text = typed.trim();
  if (!edited || !text) return undefined;
  return isUuid(text) && normalizeUuid(text) === derived() ? undefined : text;
}
const customVendorId = (form: WizardForm) =>
  customId(form.vendorId, form.vendorIdEdited, () => (isValidVendorDomain(form.domain.trim()) ? vendorIdFromDomain(form.domain.trim()) : undefined));
const customClassId = (form: WizardForm) => customId(form.classId, form.classIdEdited, () => derivedIds({ ...form, classIdEdited: false }).classId);

/** The ID fields as shown: what the user typed, or the derived ID until they type one. */
export function shownIds(form: WizardForm): { vendorId: string; classId: string } {
  const derived = derivedIds(form);
  return { vendorId: form.vendorIdEdited ? form.vendorId : (derived.vendorId ?? ''), classId: form.classIdEdited ? form.classId : (derived.classId ?? '') };
}

/** The request fields the contract and the shared rules take: a custom ID replaces its domain or model, as `-V`/`-C` replace `-d`/`-m`. */
export function toUpdateCertInput(form: WizardForm): UpdateCertInput {
  const vendorId = customVendorId(form);
  const classId = customClassId(form);
  const ids = { ...(vendorId ? { vendorId } : { domain: form.domain.trim() }), ...(classId ? { classId } : { model: form.model.trim() }) };
  // An existing certificate brings its own subject and validity, as `pws init -c/-k` takes none.
  if (form.certificate === 'existing') return ids;
  return {
    ...ids,
    country: form.country,
    state: form.state,
    locality: form.locality,
    organization: form.organization,
    commonName: effectiveCommonName(form),
    days: form.days,
  };
}

/** What the preview and create channels take from the form: the inputs, and the existing certificate's files when used. */
export function toWizardRequest(form: WizardForm): Omit<WizardPreviewRequest, 'dir'> {
  const input = toUpdateCertInput(form);
  if (form.certificate !== 'existing') return input;
  return { ...input, certificatePath: form.certificatePath.trim(), keyPath: form.keyPath.trim() };
}

export const WIZARD_STEPS = ['Identity', 'Advanced', 'Subject', 'Validity', 'Review', 'Done'] as const;
export type WizardStep = 0 | 1 | 2 | 3 | 4 | 5;
export const REVIEW_STEP = 4;
export const DONE_STEP = 5;
type InputStep = 0 | 1 | 2 | 3;

/** Which fields each input step owns, in the order they appear. */
export const STEP_FIELDS: Record<InputStep, WizardField[]> = {
  0: ['domain', 'model'],
  1: ['vendorId', 'classId', 'certificatePath', 'keyPath'],
  2: ['country', 'state', 'locality', 'organization', 'commonName'],
  3: ['days'],
};

/** Steps the form does not need: an existing certificate has its own subject and validity. */
export const isSkipped = (step: WizardStep, form: WizardForm): boolean => form.certificate === 'existing' && (step === 2 || step === 3);

export function nextStep(step: WizardStep, form: WizardForm): WizardStep {
  let next = Math.min(DONE_STEP, step + 1) as WizardStep;
  while (isSkipped(next, form)) next = (next + 1) as WizardStep;
  return next;
}

export function previousStep(step: WizardStep, form: WizardForm): WizardStep {
  let previous = Math.max(0, step - 1) as WizardStep;
  while (previous > 0 && isSkipped(previous, form)) previous = (previous - 1) as WizardStep;
  return previous;
}

export interface LocalCheck {
  vendorId?: string;
  classId?: string;
  days?: number;
  errors: FieldErrors;
}

/** The same rules the backend applies, run in the browser for instant feedback while typing. */
export function checkWizardForm(form: WizardForm): LocalCheck {
  const input = toUpdateCertInput(form);
  const v = validateUpdateCertInput(input);
  const value = v.ok ? v.value : v.partial;
  const out: LocalCheck = { errors: v.ok ? {} : { ...v.errors } };
  const domain = form.domain.trim();
  // The domain stays the common name's default when the vendor ID is given as a UUID, so it is checked either way.
  if (input.domain === undefined && domain && !isValidVendorDomain(domain)) out.errors.domain = invalidDomainMessage(domain);
  // The shared messages mention CLI flags for empty fields; the form says what to type instead.
  if (!domain) out.errors.domain = "vendor domain is required: enter your company's domain, for example arm.com";
  if (!form.model.trim()) out.errors.model = 'model name is required: enter the product or board model, for example dev-device';
  if (form.certificate === 'existing') {
    if (!form.certificatePath.trim())
      out.errors.certificatePath = 'certificate file: enter the full path of the certificate (DER or PEM), for example /home/me/keys/update.der';
    if (!form.keyPath.trim()) out.errors.keyPath = "private key file: enter the absolute path of the certificate's private key (PEM or DER)";
  }
  if (value.vendorId) out.vendorId = value.vendorId;
  if (value.classId) out.classId = value.classId;
  if (value.days !== undefined) out.days = value.days;
  return out;
}

/** The errors that belong to one step. */
export function stepErrors(errors: FieldErrors, step: WizardStep): FieldErrors {
  if (step >= REVIEW_STEP) return errors;
  const out: FieldErrors = {};
  for (const f of STEP_FIELDS[step as InputStep]) if (errors[f]) out[f] = errors[f];
  return out;
}

/** The first step with an error, for jumping back to it (e.g. after the backend refused). */
export function firstStepWithError(errors: FieldErrors): WizardStep | undefined {
  for (const step of [0, 1, 2, 3] as const) if (STEP_FIELDS[step].some((f) => errors[f])) return step;
  return undefined;
}
