import { useCallback, useRef, useState, type FormEvent } from 'react';
import { sentence } from '../../app/sentence';
import { useCaStore, type CertificateAuthority } from '../../app/ca-store';
import { useNow } from '../../app/use-now';
import {
  CA_DONE_STEP,
  CA_REVIEW_STEP,
  CA_STEP_FIELDS,
  CA_WIZARD_STEPS,
  caCreateRequest,
  checkCaForm,
  emptyCaForm,
  yearsToDays,
  type CaForm,
} from './ca-wizard-form';
import { CaWizardDone } from './CaWizardDone';
import { CaNameStep, CaReviewStep, CaValidityStep } from './CaWizardFormSteps';
import { formatDate } from './certificate-expiry';
import { useCertificatesStore } from './certificates-store';
import { WizardSteps } from './WizardSteps';

/**
 * Certificates → New CA: name and organisation, validity, review, then the CA with a way to trust it in the
 * account at once. Same keyboard-first steps as the update-certificate wizard: Enter goes on, each step starts
 * on its first field, an invalid field takes the focus.
 */
export function CaWizard() {
  const closeWizard = useCertificatesStore((s) => s.closeWizard);
  const create = useCaStore((s) => s.create);
  const [step, setStep] = useState(0);
  const [form, setForm] = useState<CaForm>(emptyCaForm);
  const [attempted, setAttempted] = useState<boolean[]>([false, false, false, false]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CertificateAuthority | null>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  const all = checkCaForm(form);
  const errors = attempted[step] ? Object.fromEntries(CA_STEP_FIELDS[step]!.filter((f) => all[f]).map((f) => [f, all[f]])) : {};
  const set = (field: keyof CaForm) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  const now = useNow();
  // The panel is keyed by step: each step mounts afresh and starts where the keyboard user needs to be: its first
  // field, or on Review (which has none) the Create CA button below the panel.
  const focusFirst = useCallback((panel: HTMLDivElement | null) => {
    panelRef.current = panel;
    (panel?.closest('form')?.querySelector<HTMLElement>('[data-autofocus]') ?? panel?.querySelector<HTMLElement>('h2'))?.focus();
  }, []);

  const next = async (e: FormEvent) => {
    e.preventDefault();
    if (step === CA_DONE_STEP) return;
    setAttempted((a) => a.map((x, i) => x || i === step));
    if (CA_STEP_FIELDS[step]!.some((f) => all[f])) {
      requestAnimationFrame(() => panelRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    if (step < CA_REVIEW_STEP) return setStep(step + 1);
    setBusy(true);
    setError(null);
    const r = await create(caCreateRequest(form));
    setBusy(false);
    if (!r.ok) return setError(sentence(r.message) ?? r.message);
    setCreated(r.value);
    setStep(CA_DONE_STEP);
  };

  const until = formatDate(new Date(now + yearsToDays(form.years || '0') * 86_400_000).toISOString());

  return (
    <section aria-labelledby="screen-title" className="wizard">
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Certificates</h1>
          <p className="muted">New certificate authority: it signs each device's own bootstrap certificate.</p>
        </div>
        <button type="button" onClick={closeWizard}>
          {step === CA_DONE_STEP ? 'Back to certificates' : 'Cancel'}
        </button>
      </div>
      <WizardSteps steps={CA_WIZARD_STEPS} current={step} />
      <form className="card wizard-panel" onSubmit={(e) => void next(e)} noValidate aria-labelledby="ca-step-title">
        <div ref={focusFirst} key={step}>
          <h2 id="ca-step-title" tabIndex={-1}>
            Step {step + 1} of {CA_WIZARD_STEPS.length}: {CA_WIZARD_STEPS[step]}
          </h2>
          {step === 0 && <CaNameStep form={form} errors={errors} set={set} />}
          {step === 1 && <CaValidityStep form={form} errors={errors} set={set} until={until} />}
          {step === CA_REVIEW_STEP && <CaReviewStep form={form} until={until} />}
          {step === CA_DONE_STEP && created && <CaWizardDone created={created} />}
        </div>
        {error && (
          <p className="field-error wizard-error" role="alert">
            {error}
          </p>
        )}
        {step < CA_DONE_STEP && (
          <div className="wizard-actions">
            <button type="button" disabled={step === 0 || busy} onClick={() => setStep(step - 1)}>
              Back
            </button>
            <button type="submit" className="primary" disabled={busy} data-autofocus={step === CA_REVIEW_STEP ? '' : undefined}>
              {step === CA_REVIEW_STEP ? (busy ? 'Creating…' : 'Create CA') : 'Next'}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
