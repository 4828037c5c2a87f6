import { useEffect, useRef, type FormEvent } from 'react';
import { useCertificatesStore } from './certificates-store';
import { checkWizardForm, DONE_STEP, isSkipped, nextStep, previousStep, REVIEW_STEP, stepErrors, WIZARD_STEPS, type WizardStep } from './wizard-form';
import { AdvancedStep } from './UpdateWizardAdvancedStep';
import { DoneStep } from './UpdateWizardDoneStep';
import { IdentityStep } from './UpdateWizardIdentityStep';
import { ReviewStep } from './UpdateWizardReviewStep';
import { SubjectStep } from './UpdateWizardSubjectStep';
import { ValidityStep } from './UpdateWizardValidityStep';
import { sentence } from '../../app/sentence';
import { WizardSteps } from './WizardSteps';

/**
 * Certificates → New update certificate: manifest-tool init in six steps (Subject and Validity are skipped
 * for an existing certificate, which has its own). The form lives in the
 * store, so Back and Next (and leaving the screen) keep what was entered.
 */
export function UpdateCertWizard() {
  const wizard = useCertificatesStore((s) => s.wizard);
  const setStep = useCertificatesStore((s) => s.setStep);
  const markAttempted = useCertificatesStore((s) => s.markAttempted);
  const closeWizard = useCertificatesStore((s) => s.closeWizard);
  const createCertificate = useCertificatesStore((s) => s.createCertificate);
  const loadDefaultDir = useCertificatesStore((s) => s.loadDefaultDir);
  const refreshPreview = useCertificatesStore((s) => s.refreshPreview);
  const checkExisting = useCertificatesStore((s) => s.checkExisting);
  const { step, form, attempted, serverErrors, creating, checking, error } = wizard;
  const panelRef = useRef<HTMLDivElement>(null);

  const local = checkWizardForm(form);
  const errors = { ...stepErrors(local.errors, step), ...stepErrors(serverErrors, step) };
  const shownErrors = attempted[step] ? errors : {};

  // Each step starts where the keyboard user needs to be: its first field, or its heading.
  useEffect(() => {
    const panel = panelRef.current;
    const first = panel?.querySelector<HTMLElement>('[data-autofocus]') ?? panel?.querySelector<HTMLElement>('h2');
    first?.focus();
    if (step === REVIEW_STEP) {
      void loadDefaultDir().then(() => refreshPreview());
    }
  }, [step, loadDefaultDir, refreshPreview]);

  const next = async (e: FormEvent) => {
    e.preventDefault();
    if (step === DONE_STEP) return;
    markAttempted(step);
    if (step === REVIEW_STEP) {
      await createCertificate();
      return;
    }
    // Focus the first invalid field; its error is announced by its role=alert.
    const focusInvalid = () =>
      requestAnimationFrame(() => {
        const field = panelRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
        field?.focus();
        // Its error is under it: keep both in view in a short window.
        field?.closest('.field')?.scrollIntoView({ block: 'nearest' });
      });
    if (Object.keys(errors).length > 0) return focusInvalid();
    // The existing certificate and key pass the core's checks (the same as pws init -c/-k) before the wizard goes on.
    if (step === 1 && form.certificate === 'existing' && !(await checkExisting())) return focusInvalid();
    setStep(nextStep(step, form));
  };

  const StepBody = [IdentityStep, AdvancedStep, SubjectStep, ValidityStep, ReviewStep, DoneStep][step]!;

  return (
    <section aria-labelledby="screen-title" className="wizard">
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Certificates</h1>
          <p className="muted">New update certificate: the key that signs firmware updates, and the IDs devices check them against.</p>
        </div>
        <button type="button" onClick={closeWizard}>
          {step === DONE_STEP ? 'Back to certificates' : 'Cancel'}
        </button>
      </div>

      <WizardSteps
        steps={WIZARD_STEPS}
        current={step}
        skipped={{ steps: WIZARD_STEPS.map((_, i) => i).filter((i) => isSkipped(i as WizardStep, form)), reason: 'the certificate has its own' }}
      />

      <form className="card wizard-panel" onSubmit={(e) => void next(e)} noValidate aria-labelledby="wizard-step-title">
        <div ref={panelRef}>
          <h2 id="wizard-step-title" tabIndex={-1}>
            Step {step + 1} of {WIZARD_STEPS.length}: {WIZARD_STEPS[step]}
          </h2>
          <StepBody errors={shownErrors} />
        </div>
        {error && (
          <p className="field-error wizard-error" role="alert">
            {sentence(error)}
          </p>
        )}
        {step < DONE_STEP && (
          <div className="wizard-actions">
            <button type="button" disabled={step === 0 || creating} onClick={() => setStep(previousStep(step, form))}>
              Back
            </button>
            <button type="submit" className="primary" disabled={creating || checking}>
              {step === REVIEW_STEP ? (creating ? 'Creating…' : 'Create certificate') : checking ? 'Checking…' : 'Next'}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
