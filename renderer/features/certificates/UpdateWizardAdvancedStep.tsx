import { useId } from 'react';
import { useCertificatesStore } from './certificates-store';
import { formatDate } from './certificate-expiry';
import { TextField } from '../../app/TextField';
import { sentence } from '../../app/sentence';
import { derivedIds, shownIds } from './wizard-form';
import { useWizard, type StepProps } from './update-wizard-step';

/** Update-certificate wizard, Advanced: your own vendor and class IDs (`-V`/`-C`), or an existing certificate and key (`-c`/`-k`). */
export function AdvancedStep({ errors }: StepProps) {
  const { form, existing } = useWizard();
  const setField = useCertificatesStore((s) => s.setField);
  const setCertificateSource = useCertificatesStore((s) => s.setCertificateSource);
  const sourceName = useId();
  const derived = derivedIds(form);
  const shown = shownIds(form);
  const domain = form.domain.trim();
  const model = form.model.trim();
  return (
    <div className="form-grid">
      <p className="muted">Most products need nothing here: press Next to keep the defaults.</p>
      <fieldset className="choice-group">
        <legend>IDs</legend>
        <TextField
          label="Vendor ID"
          value={shown.vendorId}
          onValue={(v) => setField('vendorId', v)}
          className="mono"
          autoComplete="off"
          spellCheck={false}
          hint={`Default: derived from the vendor domain ${domain}${derived.vendorId ? ` (${derived.vendorId})` : ''}. To keep a product's existing ID, give it as a UUID (pws init -V); leave empty for the default.`}
          error={sentence(errors.vendorId)}
          data-autofocus=""
        />
        <TextField
          label="Class ID"
          value={shown.classId}
          onValue={(v) => setField('classId', v)}
          className="mono"
          autoComplete="off"
          spellCheck={false}
          hint={`Default: derived from the vendor ID and the model name ${model}${derived.classId ? ` (${derived.classId})` : ''}. Give a UUID to use another (pws init -C); leave empty for the default.`}
          error={sentence(errors.classId)}
        />
      </fieldset>
      <fieldset className="choice-group">
        <legend>Certificate</legend>
        <label className="choice">
          <input type="radio" name={sourceName} checked={form.certificate === 'new'} onChange={() => setCertificateSource('new')} />
          Make a new self-signed certificate and key (EC P-256)
        </label>
        <label className="choice">
          <input type="radio" name={sourceName} checked={form.certificate === 'existing'} onChange={() => setCertificateSource('existing')} />
          Use an existing certificate and key
        </label>
        {form.certificate === 'existing' && (
          <div className="choice-detail form-grid">
            <TextField
              label="Certificate file (DER or PEM)"
              value={form.certificatePath}
              onValue={(v) => setField('certificatePath', v)}
              className="mono wide-input"
              autoComplete="off"
              spellCheck={false}
              hint="The full path on this computer, as pws init -c takes it. Its key must be EC P-256."
              error={sentence(errors.certificatePath)}
            />
            <TextField
              label="Private key file (PEM or DER)"
              value={form.keyPath}
              onValue={(v) => setField('keyPath', v)}
              className="mono wide-input"
              autoComplete="off"
              spellCheck={false}
              hint="The certificate's own key, unencrypted (pws init -k). The app reads it where it is and never shows it."
              error={sentence(errors.keyPath)}
            />
            {existing && (
              <p className="callout callout-ok" role="status">
                Checked: <span className="mono">{existing.subject || 'empty subject'}</span>, expires {formatDate(existing.notAfter)} (UTC). The subject and
                validity steps are not needed.
              </p>
            )}
          </div>
        )}
      </fieldset>
    </div>
  );
}
