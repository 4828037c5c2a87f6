import type { FieldErrors } from '../../../shared/domain/update-certificate';
import { useCertificatesStore, type WizardState } from './certificates-store';

/** What every step of the update-certificate wizard is given: the errors of the fields it shows. */
export type StepProps = { errors: FieldErrors };

/** The wizard's state in the certificates store. */
export function useWizard(): WizardState {
  return useCertificatesStore((s) => s.wizard);
}
