import { useCertificatesStore } from './certificates-store';
import { TextField } from '../../app/TextField';
import { sentence } from '../../app/sentence';
import { checkWizardForm } from './wizard-form';
import { useWizard, type StepProps } from './update-wizard-step';

/** Update-certificate wizard, Identity: the vendor domain and model name the vendor and class IDs come from. */
export function IdentityStep({ errors }: StepProps) {
  const { form, preset } = useWizard();
  const setField = useCertificatesStore((s) => s.setField);
  const local = checkWizardForm(form);
  const fromPreset = preset?.domain && form.domain === preset.domain && form.model === (preset.model ?? '');
  return (
    <div className="form-grid">
      <p className="muted">The vendor domain and the model name give the two IDs that firmware is bound to.</p>
      {fromPreset && <p className="field-hint">Filled in from your last update certificate.</p>}
      <TextField
        label="Vendor domain"
        value={form.domain}
        onValue={(v) => setField('domain', v)}
        placeholder="arm.com"
        autoComplete="off"
        spellCheck={false}
        hint="Your company's internet domain, for example arm.com."
        error={sentence(errors.domain)}
        data-autofocus=""
      />
      <TextField
        label="Model name"
        value={form.model}
        onValue={(v) => setField('model', v)}
        placeholder="dev-device"
        autoComplete="off"
        spellCheck={false}
        hint="The product or board model, for example dev-device."
        error={sentence(errors.model)}
      />
      <div className="id-preview" aria-live="polite" aria-atomic="true">
        <dl>
          <dt>Vendor ID</dt>
          <dd className="mono" data-testid="vendor-id">
            {local.vendorId ?? '—'}
          </dd>
          <dt>Class ID</dt>
          <dd className="mono" data-testid="class-id">
            {local.classId ?? '—'}
          </dd>
        </dl>
      </div>
      <p className="field-hint">
        Firmware is bound to these IDs: they are built into every device, and a device accepts an update only if the update's manifest names the same vendor and
        class. Keep the domain and model the same for every certificate of this product, or devices in the field will refuse its updates.
      </p>
    </div>
  );
}
