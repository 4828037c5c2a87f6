import { useId, useState } from 'react';
import type { WizardCreateSummary } from '../../../shared/contract/certificates';
import {
  DEFAULT_VALIDITY_DAYS,
  PRODUCTION_MIN_DAYS,
  expiryDate,
  shortValidityWarning,
  subjectText,
  UPDATE_CERT_FILES,
  type FieldErrors,
} from '../../../shared/domain/update-certificate';
import { useCertificatesStore } from './certificates-store';
import { CountryOptions } from './CountryOptions';
import { formatDate } from './certificate-expiry';
import { Fingerprint } from './Fingerprint';
import { TextField } from '../../app/TextField';
import { copyText } from './clipboard';
import { sentence } from '../../app/sentence';
import { useNow } from '../../app/use-now';
import { checkWizardForm, derivedIds, effectiveCommonName, shownIds, type WizardStep } from './wizard-form';

type StepProps = { errors: FieldErrors };

/** A written file's path inside the target folder, as manifest-tool names it (`.update-certificates/default.der`). */
function inFolder(path: string, dir: string): string {
  const base = dir.trim().replace(/[\\/]+$/, '');
  return path.startsWith(base) && /^[\\/]/.test(path.slice(base.length)) ? path.slice(base.length + 1).replace(/\\/g, '/') : path;
}

function useWizard() {
  return useCertificatesStore((s) => s.wizard);
}

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

const SOURCE_NOTE: Record<WizardCreateSummary['certificateSource'], string> = {
  generated: '',
  reused: ' (the certificate already in the folder was reused)',
  imported: ' from the certificate and key you gave (copied into the folder)',
};

export function DoneStep(_props: StepProps) {
  const { result, form, dir, savedAs, saving, saveError } = useWizard();
  const saveToTeamStore = useCertificatesStore((s) => s.saveToTeamStore);
  const [name, setName] = useState(form.model.trim() || 'update-cert');
  const [copied, setCopied] = useState<string | null>(null);
  if (!result) return null;
  const copy = async (text: string, what: string) => {
    setCopied((await copyText(text)) ? `Copied ${what}.` : `Could not copy ${what}: select it and press Ctrl+C.`);
  };
  const nameError = name.trim() ? undefined : 'Name: enter a name for the Team Store, for example dev-device';
  return (
    <div className="done">
      <p className="callout callout-ok">The update certificate was created{SOURCE_NOTE[result.certificateSource]}.</p>
      <dl className="review-list">
        <dt>Fingerprint (SHA-256)</dt>
        <Fingerprint hex={result.fingerprint} testId="fingerprint" />
        <dt>Vendor ID</dt>
        <dd className="mono">{result.vendorId}</dd>
        <dt>Class ID</dt>
        <dd className="mono">{result.classId}</dd>
        <dt>Expires</dt>
        <dd>{formatDate(result.notAfter)} (UTC)</dd>
        <dt>Folder</dt>
        <dd className="mono" data-testid="done-folder">
          {dir.trim()}
        </dd>
        <dt>Files written</dt>
        <dd>
          <ul className="file-list" aria-label="Files written">
            {result.files.map((f) => (
              <li key={f} className="mono" title={f}>
                {inFolder(f, dir)}
              </li>
            ))}
          </ul>
        </dd>
        {result.kept.length > 0 && (
          <>
            <dt>Kept as they were</dt>
            <dd>
              <ul className="file-list" aria-label="Files kept">
                {result.kept.map((f) => (
                  <li key={f} className="mono" title={f}>
                    {inFolder(f, dir)}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      {result.warnings.length > 0 && (
        <ul className="callout callout-warn" aria-label="Warnings">
          {result.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="row done-actions">
        <button type="button" onClick={() => void copy(result.cFileText, UPDATE_CERT_FILES.cFile)} data-autofocus="">
          Copy {UPDATE_CERT_FILES.cFile}
        </button>
        <button type="button" onClick={() => void copy(dir.trim(), 'the folder path')}>
          Copy folder path
        </button>
      </div>
      <p className="field-hint">The app can't open a file manager from here yet: copy the folder path into yours.</p>
      <p className="field-hint" role="status">
        {copied}
      </p>
      <div className="save-team card-inset">
        <TextField
          label="Team Store name"
          value={name}
          onValue={setName}
          autoComplete="off"
          spellCheck={false}
          error={sentence(saveError) ?? (savedAs ? undefined : nameError)}
        />
        <div className="row">
          {/* aria-disabled, not disabled: focus stays on the button after saving. */}
          <button
            type="button"
            className="primary"
            aria-disabled={saving || !!nameError || savedAs === name.trim()}
            onClick={() => {
              if (!saving && !nameError && savedAs !== name.trim()) void saveToTeamStore(name.trim());
            }}
          >
            Save to Team Store as {name.trim() || '…'}
          </button>
          {savedAs && (
            <span className="badge badge-ok" role="status">
              Saved as {savedAs}
            </span>
          )}
        </div>
      </div>
    </div>
  );
}
