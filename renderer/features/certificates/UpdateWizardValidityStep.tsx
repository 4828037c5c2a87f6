import { DEFAULT_VALIDITY_DAYS, PRODUCTION_MIN_DAYS, expiryDate, shortValidityWarning } from '../../../shared/domain/update-certificate';
import { useCertificatesStore } from './certificates-store';
import { formatDate } from './certificate-expiry';
import { TextField } from '../../app/TextField';
import { sentence } from '../../app/sentence';
import { useNow } from '../../app/use-now';
import { checkWizardForm } from './wizard-form';
import { useWizard, type StepProps } from './update-wizard-step';

/** Update-certificate wizard, Validity: how many days the certificate lasts, with the warning for a short one. */
export function ValidityStep({ errors }: StepProps) {
  const { form } = useWizard();
  const setField = useCertificatesStore((s) => s.setField);
  const now = new Date(useNow(60_000));
  const local = checkWizardForm(form);
  const days = local.days;
  const until = days !== undefined ? formatDate(expiryDate(now, days).toISOString()) : undefined;
  const warning = days !== undefined ? shortValidityWarning(days) : undefined;
  return (
    <div className="form-grid">
      <TextField
        label="Valid for (days)"
        value={form.days}
        onValue={(v) => setField('days', v)}
        inputMode="numeric"
        autoComplete="off"
        hint={until ? `Expires on ${until} (UTC).` : `Default ${DEFAULT_VALIDITY_DAYS} days; production: at least ${PRODUCTION_MIN_DAYS} days (10 years).`}
        error={sentence(errors.days)}
        data-autofocus=""
      />
      <div className="row">
        <button type="button" onClick={() => setField('days', String(DEFAULT_VALIDITY_DAYS))}>
          {DEFAULT_VALIDITY_DAYS} days (testing)
        </button>
        <button type="button" onClick={() => setField('days', String(PRODUCTION_MIN_DAYS))}>
          10 years
        </button>
        <button type="button" onClick={() => setField('days', String(PRODUCTION_MIN_DAYS * 2))}>
          20 years
        </button>
      </div>
      <div aria-live="polite" aria-atomic="true">
        {warning && until && (
          <div className="callout callout-danger" data-testid="expiry-warning">
            <p>
              <strong>Devices built with this certificate can't be updated after {until}.</strong>
            </p>
            <p>{warning}</p>
          </div>
        )}
      </div>
    </div>
  );
}
