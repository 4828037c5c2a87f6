import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { CertNameSchema } from '../../../shared/contract/certificates';
import { DEFAULT_CA_DAYS } from '../../../shared/contract/ca';
import { sentence } from '../../app/sentence';
import { useCaStore, type CaTrusted, type CertificateAuthority } from '../../app/ca-store';
import { useCertificatesStore } from './certificates-store';
import { formatDate } from './certificate-expiry';
import { Fingerprint } from './Fingerprint';
import { TextField } from '../../app/TextField';
import { TrustAnswer } from './TrustCaDialog';
import { WizardSteps } from './WizardSteps';
import { CountryOptions } from './CountryOptions';
import { useNow } from '../../app/use-now';

const STEPS = ['Name', 'Validity', 'Review', 'Done'] as const;
type Form = { name: string; organization: string; organizationalUnit: string; country: string; years: string };
type Errors = Partial<Record<keyof Form, string>>;

function check(form: Form): Errors {
  const errors: Errors = {};
  const name = CertNameSchema.safeParse(form.name);
  if (!form.name.trim()) errors.name = 'CA name: enter a name for the CA, for example lab-ca';
  else if (!name.success) errors.name = `CA name: ${name.error.issues[0]?.message ?? 'invalid'}`;
  if (form.organization.length > 64) errors.organization = 'Organisation: at most 64 characters';
  if (form.organizationalUnit.length > 64) errors.organizationalUnit = 'Organisational unit: at most 64 characters';
  if (!/^\d+$/.test(form.years.trim()) || Number(form.years) < 1 || Number(form.years) > 100) errors.years = 'Valid for: a whole number of years from 1 to 100';
  return errors;
}

const STEP_FIELDS: Array<Array<keyof Form>> = [['name', 'organization', 'organizationalUnit', 'country'], ['years'], [], []];
const yearsToDays = (years: string) => Math.round(Number(years) * 365.25);

/**
 * Certificates → New CA: name and organisation, validity, review, then the CA with a way to trust it in the
 * account at once. Same keyboard-first steps as the update-certificate wizard: Enter goes on, each step starts
 * on its first field, an invalid field takes the focus.
 */
export function CaWizard() {
  const closeWizard = useCertificatesStore((s) => s.closeWizard);
  const create = useCaStore((s) => s.create);
  const trust = useCaStore((s) => s.trust);
  const [step, setStep] = useState(0);
  const [form, setForm] = useState<Form>({ name: '', organization: '', organizationalUnit: '', country: '', years: String(Math.round(DEFAULT_CA_DAYS / 365)) });
  const [attempted, setAttempted] = useState<boolean[]>([false, false, false, false]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CertificateAuthority | null>(null);
  const [trusted, setTrusted] = useState<CaTrusted | null>(null);
  const [firstToClaim, setFirstToClaim] = useState(false);
  const panelRef = useRef<HTMLDivElement>(null);
  const ids = { country: useId(), ftc: useId() };

  const all = check(form);
  const errors = attempted[step] ? Object.fromEntries(STEP_FIELDS[step]!.filter((f) => all[f]).map((f) => [f, all[f]])) : {};
  const set = (field: keyof Form) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  const now = useNow();
  // The panel is keyed by step: each step mounts afresh and starts where the keyboard user needs to be: its first
  // field, or on Review (which has none) the Create CA button below the panel.
  const focusFirst = useCallback((panel: HTMLDivElement | null) => {
    panelRef.current = panel;
    (panel?.closest('form')?.querySelector<HTMLElement>('[data-autofocus]') ?? panel?.querySelector<HTMLElement>('h2'))?.focus();
  }, []);

  // The answer replaces the button that had focus: it takes the focus, so it is read out and the keyboard stays here.
  const focusAnswer = useCallback((answer: HTMLDivElement | null) => answer?.focus(), []);

  const next = async (e: FormEvent) => {
    e.preventDefault();
    if (step === 3) return;
    setAttempted((a) => a.map((x, i) => x || i === step));
    if (STEP_FIELDS[step]!.some((f) => all[f])) {
      requestAnimationFrame(() => panelRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    if (step < 2) return setStep(step + 1);
    setBusy(true);
    setError(null);
    const r = await create({
      name: form.name.trim(),
      ...(form.organization.trim() ? { organization: form.organization.trim() } : {}),
      ...(form.organizationalUnit.trim() ? { organizationalUnit: form.organizationalUnit.trim() } : {}),
      ...(form.country ? { country: form.country } : {}),
      days: yearsToDays(form.years),
    });
    setBusy(false);
    if (!r.ok) return setError(sentence(r.message) ?? r.message);
    setCreated(r.value);
    setStep(3);
  };

  const trustNow = async () => {
    if (!created) return;
    setBusy(true);
    setError(null);
    const r = await trust(created.name, firstToClaim);
    setBusy(false);
    if (r.ok) setTrusted(r.value);
    else setError(sentence(r.message) ?? r.message);
  };

  const until = formatDate(new Date(now + yearsToDays(form.years || '0') * 86_400_000).toISOString());
  const subject = [
    form.country && `C=${form.country}`,
    form.organization.trim() && `O=${form.organization.trim()}`,
    form.organizationalUnit.trim() && `OU=${form.organizationalUnit.trim()}`,
    `CN=${form.name.trim()}`,
  ]
    .filter(Boolean)
    .join(', ');

  return (
    <section aria-labelledby="screen-title" className="wizard">
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Certificates</h1>
          <p className="muted">New certificate authority: it signs each device's own bootstrap certificate.</p>
        </div>
        <button type="button" onClick={closeWizard}>
          {step === 3 ? 'Back to certificates' : 'Cancel'}
        </button>
      </div>
      <WizardSteps steps={STEPS} current={step} />
      <form className="card wizard-panel" onSubmit={(e) => void next(e)} noValidate aria-labelledby="ca-step-title">
        <div ref={focusFirst} key={step}>
          <h2 id="ca-step-title" tabIndex={-1}>
            Step {step + 1} of {STEPS.length}: {STEPS[step]}
          </h2>
          {step === 0 && (
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
                <label htmlFor={ids.country}>Country</label>
                <select id={ids.country} value={form.country} onChange={(e) => set('country')(e.target.value)}>
                  <CountryOptions />
                </select>
              </div>
            </div>
          )}
          {step === 1 && (
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
          )}
          {step === 2 && (
            <dl className="review-list">
              <dt>Name</dt>
              <dd>{form.name.trim()}</dd>
              <dt>Subject</dt>
              <dd className="mono">{subject}</dd>
              <dt>Key</dt>
              <dd>EC P-256, made now; kept in the Team Store, readable only by you</dd>
              <dt>Validity</dt>
              <dd>
                {form.years} years, until {until} (UTC)
              </dd>
              <dt>Profile</dt>
              <dd>CA:TRUE (signs devices only), key usage Certificate Sign and CRL Sign</dd>
            </dl>
          )}
          {step === 3 && created && (
            <div className="done">
              <p className="callout callout-ok">The CA {created.name} was created in the Team Store.</p>
              <dl className="review-list">
                <dt>Fingerprint (SHA-256)</dt>
                <Fingerprint hex={created.fingerprint} />
                <dt>Subject</dt>
                <dd className="mono">{created.subject}</dd>
                <dt>Expires</dt>
                <dd>{formatDate(created.notAfter)} (UTC)</dd>
                <dt>Folder</dt>
                <dd className="mono">{created.path}</dd>
              </dl>
              {trusted ? (
                <div ref={focusAnswer} tabIndex={-1}>
                  <TrustAnswer trusted={trusted} />
                </div>
              ) : (
                <div className="card-inset">
                  <p>Devices can connect with identities it signs once your Device Management account trusts it.</p>
                  <div className="checkbox-field">
                    <input id={ids.ftc} type="checkbox" checked={firstToClaim} onChange={(e) => setFirstToClaim(e.target.checked)} />
                    <label htmlFor={ids.ftc}>Also for First-to-Claim enrollment</label>
                  </div>
                  <div className="row">
                    <button type="button" className="primary" disabled={busy} onClick={() => void trustNow()} data-autofocus="">
                      {busy ? 'Trusting…' : 'Trust in my account'}
                    </button>
                  </div>
                </div>
              )}
            </div>
          )}
        </div>
        {error && (
          <p className="field-error wizard-error" role="alert">
            {error}
          </p>
        )}
        {step < 3 && (
          <div className="wizard-actions">
            <button type="button" disabled={step === 0 || busy} onClick={() => setStep(step - 1)}>
              Back
            </button>
            <button type="submit" className="primary" disabled={busy} data-autofocus={step === 2 ? '' : undefined}>
              {step === 2 ? (busy ? 'Creating…' : 'Create CA') : 'Next'}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
