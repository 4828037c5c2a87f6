import {
  DEFAULT_VALIDITY_DAYS,
  validateUpdateCertInput,
  type FieldErrors,
  type UpdateCertField,
  type UpdateCertInput,
} from '../../../shared/domain/update-certificate';

/** The wizard's form as typed. Everything is text so Back/Next keep exactly what was entered. */
export interface WizardForm {
  domain: string;
  model: string;
  country: string;
  state: string;
  locality: string;
  organization: string;
  /** Empty while not edited: then the common name follows the domain. */
  commonName: string;
  commonNameEdited: boolean;
  days: string;
}

export type WizardFormField = Exclude<keyof WizardForm, 'commonNameEdited'>;

export const emptyWizardForm = (preset: { domain?: string; model?: string } = {}): WizardForm => ({
  domain: preset.domain ?? '',
  model: preset.model ?? '',
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

/** The request fields the contract and the shared rules take. */
export function toUpdateCertInput(form: WizardForm): UpdateCertInput {
  return {
    domain: form.domain.trim(),
    model: form.model.trim(),
    country: form.country,
    state: form.state,
    locality: form.locality,
    organization: form.organization,
    commonName: effectiveCommonName(form),
    days: form.days,
  };
}

export const WIZARD_STEPS = ['Identity', 'Subject', 'Validity', 'Review', 'Done'] as const;
export type WizardStep = 0 | 1 | 2 | 3 | 4;

/** Which fields each input step owns, in the order they appear. */
export const STEP_FIELDS: Record<0 | 1 | 2, UpdateCertField[]> = {
  0: ['domain', 'model'],
  1: ['country', 'state', 'locality', 'organization', 'commonName'],
  2: ['days'],
};

export interface LocalCheck {
  vendorId?: string;
  classId?: string;
  days?: number;
  errors: FieldErrors;
}

/** The same rules the backend applies, run in the browser for instant feedback while typing. */
export function checkWizardForm(form: WizardForm): LocalCheck {
  const v = validateUpdateCertInput(toUpdateCertInput(form));
  const value = v.ok ? v.value : v.partial;
  const out: LocalCheck = { errors: v.ok ? {} : { ...v.errors } };
  // The shared messages mention CLI flags for empty fields; the form says what to type instead.
  if (!form.domain.trim()) out.errors.domain = "vendor domain is required: enter your company's domain, for example arm.com";
  if (!form.model.trim()) out.errors.model = 'model name is required: enter the product or board model, for example dev-device';
  if (value.vendorId) out.vendorId = value.vendorId;
  if (value.classId) out.classId = value.classId;
  if (value.days !== undefined) out.days = value.days;
  return out;
}

/** The errors that belong to one step. */
export function stepErrors(errors: FieldErrors, step: WizardStep): FieldErrors {
  if (step > 2) return errors;
  const out: FieldErrors = {};
  for (const f of STEP_FIELDS[step as 0 | 1 | 2]) if (errors[f]) out[f] = errors[f];
  return out;
}

/** The first step with an error, for jumping back to it (e.g. after the backend refused). */
export function firstStepWithError(errors: FieldErrors): WizardStep | undefined {
  for (const step of [0, 1, 2] as const) if (STEP_FIELDS[step].some((f) => errors[f])) return step;
  return undefined;
}
