import { useId } from 'react';
import { TextField } from '../../app/TextField';
import { caSubject, type CaForm, type CaFormErrors } from './ca-wizard-form';
import { CountryOptions } from './CountryOptions';

interface StepProps {
  form: CaForm;
  errors: CaFormErrors;
  set(field: keyof CaForm): (value: string) => void;
}

/** New CA, Name: the CA's name (its common name too), organisation, unit and country. */
export function CaNameStep({ form, errors, set }: StepProps) {
  const countryId = useId();
  return (
    <div className="form-grid">
      <TextField
        label="CA name"
        value={form.name}
        onValue={set('name')}
        autoComplete="off"
        spellCheck={false}
        hint="Its name in the Team Store and its common name (CN), for example lab-ca."
        error={errors.name}
        data-autofocus=""
      />
      <TextField
        label="Organisation"
        value={form.organization}
        onValue={set('organization')}
        autoComplete="organization"
        hint="Optional; every device certificate carries it too."
        error={errors.organization}
      />
      <TextField
        label="Organisational unit"
        value={form.organizationalUnit}
        onValue={set('organizationalUnit')}
        autoComplete="off"
        hint="Optional, for example Pilot line."
        error={errors.organizationalUnit}
      />
      <div className="field">
        <label htmlFor={countryId}>Country</label>
        <select id={countryId} value={form.country} onChange={(e) => set('country')(e.target.value)}>
          <CountryOptions />
        </select>
      </div>
    </div>
  );
}

/** New CA, Validity: how many years, with the date it ends. */
export function CaValidityStep({ form, errors, set, until }: StepProps & { until: string }) {
  return (
    <div className="form-grid">
      <TextField
        label="Valid for (years)"
        value={form.years}
        onValue={set('years')}
        inputMode="numeric"
        autoComplete="off"
        hint={errors.years ? undefined : `Until ${until} (UTC). Devices' certificates (20 years by default) end when the CA does, so give it longer.`}
        error={errors.years}
        data-autofocus=""
      />
    </div>
  );
}

/** New CA, Review: what Create CA will make. */
export function CaReviewStep({ form, until }: { form: CaForm; until: string }) {
  return (
    <dl className="review-list">
      <dt>Name</dt>
      <dd>{form.name.trim()}</dd>
      <dt>Subject</dt>
      <dd className="mono">{caSubject(form)}</dd>
      <dt>Key</dt>
      <dd>EC P-256, made now; kept in the Team Store, readable only by you</dd>
      <dt>Validity</dt>
      <dd>
        {form.years} years, until {until} (UTC)
      </dd>
      <dt>Profile</dt>
      <dd>CA:TRUE (signs devices only), key usage Certificate Sign and CRL Sign</dd>
    </dl>
  );
}
