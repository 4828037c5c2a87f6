import { useId } from 'react';
import { expiryDate, subjectText, UPDATE_CERT_FILES } from '../../../shared/domain/update-certificate';
import { useCertificatesStore } from './certificates-store';
import { formatDate } from './certificate-expiry';
import { Fingerprint } from './Fingerprint';
import { TextField } from '../../app/TextField';
import { useNow } from '../../app/use-now';
import { checkWizardForm, effectiveCommonName, type WizardStep } from './wizard-form';
import { useWizard, type StepProps } from './update-wizard-step';

/** Update-certificate wizard, Review: what will be written where, and whether files in the folder are replaced. */
export function ReviewStep(_props: StepProps) {
  const wizard = useWizard();
  const { form, dir, folder, force, preview, existing } = wizard;
  const setDir = useCertificatesStore((s) => s.setDir);
  const setForce = useCertificatesStore((s) => s.setForce);
  const setStep = useCertificatesStore((s) => s.setStep);
  const now = new Date(useNow(60_000));
  const local = checkWizardForm(form);
  const forceId = useId();
  const until = local.days !== undefined ? formatDate(expiryDate(now, local.days).toISOString()) : '—';

  const edit = (step: WizardStep, what: string) => (
    <button type="button" className="link-button" onClick={() => setStep(step)}>
      Edit {what}
    </button>
  );
  const subject =
    existing?.subject ??
    preview?.subject ??
    subjectText({ country: form.country, state: form.state, locality: form.locality, organization: form.organization, commonName: effectiveCommonName(form) });
  const warnings = preview?.warnings ?? [];
  const reused = form.certificate === 'new' && folder?.hasCertificate && !force;
  return (
    <div className="review">
      <dl className="review-list">
        <dt>Vendor domain</dt>
        <dd>{form.domain.trim()}</dd>
        <dt>Model name</dt>
        <dd>
          {form.model.trim()} {edit(0, 'identity')}
        </dd>
        <dt>Vendor ID</dt>
        <dd className="mono">{local.vendorId ?? '—'}</dd>
        <dt>Class ID</dt>
        <dd>
          <span className="mono">{local.classId ?? '—'}</span> {edit(1, 'IDs')}
        </dd>
        <dt>Certificate</dt>
        <dd>
          {existing ? (
            <>
              Existing: <span className="mono">{form.certificatePath.trim()}</span> {edit(1, 'certificate')}
            </>
          ) : (
            <>New self-signed certificate and key (EC P-256) {edit(1, 'certificate')}</>
          )}
        </dd>
        <dt>Subject</dt>
        <dd>
          <span className="mono">{subject || '—'}</span> {!existing && edit(2, 'subject')}
        </dd>
        <dt>Validity</dt>
        <dd>
          {existing ? (
            <>until {formatDate(existing.notAfter)} (UTC), as the certificate says</>
          ) : (
            <>
              {local.days} days, until {until} (UTC) {edit(3, 'validity')}
            </>
          )}
        </dd>
        {existing && (
          <>
            <dt>Fingerprint (SHA-256)</dt>
            <Fingerprint hex={existing.fingerprint} />
          </>
        )}
      </dl>
      {warnings.length > 0 && (
        <ul className="callout callout-warn" aria-label="Warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="form-grid">
        <TextField
          label="Folder for the files"
          value={dir}
          onValue={setDir}
          autoComplete="off"
          spellCheck={false}
          className="mono wide-input"
          hint={`Written there: ${UPDATE_CERT_FILES.certificate}, ${UPDATE_CERT_FILES.privateKey} (readable only by you), ${UPDATE_CERT_FILES.config} and ${UPDATE_CERT_FILES.cFile}. The folder is created if missing.`}
          data-autofocus=""
        />
        {reused && (
          <p className="callout callout-warn">This folder already has a certificate and key: they will be reused, and only the other files are written.</p>
        )}
        {folder?.hasCFile && !force && (
          <p className="callout callout-warn">{UPDATE_CERT_FILES.cFile} already exists in this folder and will be kept as it is.</p>
        )}
        {force && (folder?.hasCFile || folder?.hasCertificate) && (
          <p className="callout callout-danger" role="status">
            The files in this folder will be replaced with a new certificate and key. Devices built with the old {UPDATE_CERT_FILES.cFile} will refuse updates
            signed with the new key.
          </p>
        )}
        {(folder?.hasCFile || folder?.hasCertificate) && (
          <div className="checkbox-field">
            <input id={forceId} type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
            <label htmlFor={forceId}>
              {existing
                ? `Overwrite: replace the certificate, key and ${UPDATE_CERT_FILES.cFile} in this folder`
                : `Overwrite: make a new certificate and key and replace ${UPDATE_CERT_FILES.cFile}`}
            </label>
          </div>
        )}
      </div>
    </div>
  );
}
