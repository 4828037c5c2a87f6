import { useState } from 'react';
import type { WizardCreateSummary } from '../../../shared/contract/certificates';
import { UPDATE_CERT_FILES } from '../../../shared/domain/update-certificate';
import { useCertificatesStore } from './certificates-store';
import { formatDate } from './certificate-expiry';
import { Fingerprint } from './Fingerprint';
import { TextField } from '../../app/TextField';
import { copyText } from './clipboard';
import { sentence } from '../../app/sentence';
import { useWizard, type StepProps } from './update-wizard-step';

/** A written file's path inside the target folder, as manifest-tool names it (`.update-certificates/default.der`). */
function inFolder(path: string, dir: string): string {
  const base = dir.trim().replace(/[\\/]+$/, '');
  return path.startsWith(base) && /^[\\/]/.test(path.slice(base.length)) ? path.slice(base.length + 1).replace(/\\/g, '/') : path;
}

const SOURCE_NOTE: Record<WizardCreateSummary['certificateSource'], string> = {
  generated: '',
  reused: ' (the certificate already in the folder was reused)',
  imported: ' from the certificate and key you gave (copied into the folder)',
};

/** Update-certificate wizard, Done: the files written, the fingerprint, and saving the certificate to the Team Store. */
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
