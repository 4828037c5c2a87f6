import { CertNameSchema } from '../../../shared/contract/certificates';
import { DEFAULT_CA_DAYS, type CaCreateRequest } from '../../../shared/contract/ca';

export const CA_WIZARD_STEPS = ['Name', 'Validity', 'Review', 'Done'] as const;
export const CA_REVIEW_STEP = 2;
export const CA_DONE_STEP = 3;

export type CaForm = { name: string; organization: string; organizationalUnit: string; country: string; years: string };
export type CaFormErrors = Partial<Record<keyof CaForm, string>>;

export const emptyCaForm = (): CaForm => ({
  name: '',
  organization: '',
  organizationalUnit: '',
  country: '',
  years: String(Math.round(DEFAULT_CA_DAYS / 365)),
});

/** The fields each step shows, whose errors stop Next on that step. */
export const CA_STEP_FIELDS: ReadonlyArray<ReadonlyArray<keyof CaForm>> = [['name', 'organization', 'organizationalUnit', 'country'], ['years'], [], []];

export function checkCaForm(form: CaForm): CaFormErrors {
  const errors: CaFormErrors = {};
  const name = CertNameSchema.safeParse(form.name);
  if (!form.name.trim()) errors.name = 'CA name: enter a name for the CA, for example lab-ca';
  else if (!name.success) errors.name = `CA name: ${name.error.issues[0]?.message ?? 'invalid'}`;
  if (form.organization.length > 64) errors.organization = 'Organisation: at most 64 characters';
  if (form.organizationalUnit.length > 64) errors.organizationalUnit = 'Organisational unit: at most 64 characters';
  if (!/^\d+$/.test(form.years.trim()) || Number(form.years) < 1 || Number(form.years) > 100) errors.years = 'Valid for: a whole number of years from 1 to 100';
  return errors;
}

export const yearsToDays = (years: string) => Math.round(Number(years) * 365.25);

/** The CA's subject as it will be written (`C=…, O=…, OU=…, CN=…`). */
export const caSubject = (form: CaForm) =>
  [
    form.country && `C=${form.country}`,
    form.organization.trim() && `O=${form.organization.trim()}`,
    form.organizationalUnit.trim() && `OU=${form.organizationalUnit.trim()}`,
    `CN=${form.name.trim()}`,
  ]
    .filter(Boolean)
    .join(', ');

/** The `ca:create` request for a checked form: empty optional fields left out. */
export const caCreateRequest = (form: CaForm): CaCreateRequest => ({
  name: form.name.trim(),
  ...(form.organization.trim() ? { organization: form.organization.trim() } : {}),
  ...(form.organizationalUnit.trim() ? { organizationalUnit: form.organizationalUnit.trim() } : {}),
  ...(form.country ? { country: form.country } : {}),
  days: yearsToDays(form.years),
});
