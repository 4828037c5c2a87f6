import { useId } from 'react';
import { subjectText } from '../../../shared/domain/update-certificate';
import { useCertificatesStore } from './certificates-store';
import { CountryOptions } from './CountryOptions';
import { TextField } from '../../app/TextField';
import { sentence } from '../../app/sentence';
import { effectiveCommonName } from './wizard-form';
import { useWizard, type StepProps } from './update-wizard-step';

/** Update-certificate wizard, Subject: country, state, city, organisation and common name. */
export function SubjectStep({ errors }: StepProps) {
  const { form } = useWizard();
  const setField = useCertificatesStore((s) => s.setField);
  const countryId = useId();
  const commonName = effectiveCommonName(form);
  const subject = subjectText({
    country: form.country,
    state: form.state.trim(),
    locality: form.locality.trim(),
    organization: form.organization.trim(),
    commonName: commonName.trim(),
  });
  return (
    <div className="form-grid">
      <p className="muted">Who the certificate says it belongs to. Every field is optional except the common name, which defaults to the domain.</p>
      <div className="field">
        <label htmlFor={countryId}>Country</label>
        <select
          id={countryId}
          value={form.country}
          onChange={(e) => setField('country', e.target.value)}
          aria-invalid={errors.country ? true : undefined}
          aria-describedby={errors.country ? `${countryId}-error` : undefined}
          data-autofocus=""
        >
          <CountryOptions />
        </select>
        {errors.country && (
          <p id={`${countryId}-error`} className="field-error" role="alert">
            {sentence(errors.country)}
          </p>
        )}
      </div>
      <TextField label="State or province" value={form.state} onValue={(v) => setField('state', v)} autoComplete="off" error={sentence(errors.state)} />
      <TextField label="City" value={form.locality} onValue={(v) => setField('locality', v)} autoComplete="off" error={sentence(errors.locality)} />
      <TextField
        label="Organization"
        value={form.organization}
        onValue={(v) => setField('organization', v)}
        autoComplete="off"
        error={sentence(errors.organization)}
      />
      <TextField
        label="Common name"
        value={commonName}
        onValue={(v) => setField('commonName', v)}
        autoComplete="off"
        spellCheck={false}
        hint={form.commonNameEdited ? 'Leave empty to use the domain.' : 'Defaults to the vendor domain.'}
        error={sentence(errors.commonName)}
      />
      <p className="field-hint">
        Subject: <span className="mono">{subject || '—'}</span>
      </p>
    </div>
  );
}
