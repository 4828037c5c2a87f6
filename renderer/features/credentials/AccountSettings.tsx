import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Failure } from '../../../shared/contract/result';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { FormFooter } from '../../app/FormFooter';
import { useNotifications } from '../../app/notifications-store';
import { failedField } from '../../app/store-kit';
import { useCredentialsStore, type ApiRegion } from './credentials-store';
import { regionLabel } from './regions';
import { sentence } from '../../app/sentence';
import './credentials.css';

const CUSTOM = 'custom';

type Field = 'apiKey' | 'apiUrl' | 'form';

/** Which input a failed save points at: the key itself, the URL, or neither (keychain, network). */
const fieldOf = (failure: Failure): Field => (failure.code === 'api-key-invalid' ? 'apiKey' : (failedField(failure, ['apiKey', 'apiUrl'] as const) ?? 'form'));

/**
 * Settings → Device Management account: the API key goes in once, is checked against the account and
 * kept in the OS keychain; from then on only its masked form is shown.
 */
export function AccountSettings() {
  const { status, regions, loadError, load } = useCredentialsStore(
    useShallow((s) => ({ status: s.status, regions: s.regions, loadError: s.loadError, load: s.load })),
  );
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const replaceRef = useRef<HTMLButtonElement>(null);
  // The form that had focus is gone once it is saved or cancelled: focus goes to Replace key, not to the page.
  const [focusReplace, setFocusReplace] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (focusReplace && replaceRef.current) {
      setFocusReplace(false);
      replaceRef.current.focus();
    }
  }, [focusReplace]);

  const showForm = status !== null && (!status.present || editing);
  return (
    <div className="card account-settings" role="group" aria-labelledby="account-title">
      <h2 id="account-title">Device Management account</h2>
      {loadError && (
        <>
          <p className="field-error" role="alert">
            {sentence(loadError)}
          </p>
          <div className="row">
            <button type="button" onClick={() => void load()}>
              Try again
            </button>
          </div>
        </>
      )}
      {!status && !loadError && <p className="muted">Loading the account…</p>}
      {status?.plaintextKeyInUserStore && <MigrationOffer />}
      {status?.present && (
        <>
          <dl className="account-summary" aria-label="Saved account">
            <dt>Account</dt>
            <dd data-testid="account-name">{status.accountName ?? <span className="muted">Not checked in this session</span>}</dd>
            <dt>Region</dt>
            <dd>{regionLabel(regions, status.apiUrl)}</dd>
            <dt>API key</dt>
            <dd className="mono" data-testid="masked-key">
              {status.masked}
            </dd>
          </dl>
          {status.source === 'env' && (
            <p className="field-hint">
              This key comes from the PWS_API_KEY environment variable and is not stored; a key saved here is used once that is unset.
            </p>
          )}
          {!editing && (
            <div className="row">
              <button type="button" ref={replaceRef} onClick={() => setEditing(true)}>
                Replace key
              </button>
              <button type="button" className="danger" onClick={() => setConfirmRemove(true)}>
                Remove key
              </button>
            </div>
          )}
        </>
      )}
      {status && !status.present && (
        <p className="muted">No API key saved. Create one in the Device Management Portal (Access management → API keys) and paste it here.</p>
      )}
      {showForm && (
        <ApiKeyForm
          regions={regions}
          currentUrl={status.apiUrl}
          replacing={status.present}
          onDone={() => {
            setFocusReplace(true);
            setEditing(false);
          }}
        />
      )}
      {confirmRemove && <RemoveKeyDialog onClose={() => setConfirmRemove(false)} />}
    </div>
  );
}

function ApiKeyForm(props: { regions: ApiRegion[]; currentUrl: string; replacing: boolean; onDone: () => void }) {
  const save = useCredentialsStore((s) => s.save);
  const saving = useCredentialsStore((s) => s.saving);
  const notify = useNotifications((s) => s.notify);
  const preset = props.regions.find((r) => r.url === props.currentUrl);
  const [apiKey, setApiKey] = useState('');
  const [region, setRegion] = useState(preset?.id ?? (props.currentUrl ? CUSTOM : (props.regions[0]?.id ?? CUSTOM)));
  const [customUrl, setCustomUrl] = useState(preset ? '' : props.currentUrl);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const keyRef = useRef<HTMLInputElement>(null);
  const urlRef = useRef<HTMLInputElement>(null);
  const keyId = useId();
  const urlId = useId();
  const regionName = useId();

  useEffect(() => {
    if (props.replacing) keyRef.current?.focus();
  }, [props.replacing]);

  const apiUrl = region === CUSTOM ? customUrl.trim() : (props.regions.find((r) => r.id === region)?.url ?? '');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (!apiKey.trim()) next.apiKey = 'API key: paste the key from the Device Management Portal (it starts with ak_)';
    if (!apiUrl) next.apiUrl = 'API URL: enter your on-premises Device Management address, for example https://api.example.com';
    if (next.apiKey || next.apiUrl) {
      setErrors(next);
      (next.apiKey ? keyRef : urlRef).current?.focus();
      return;
    }
    setErrors({});
    const failure = await save(apiKey.trim(), apiUrl);
    if (!failure) {
      setApiKey('');
      notify('success', 'API key checked and saved in the OS keychain');
      props.onDone();
      return;
    }
    // The key stays in the field so the user can fix a typo; it is never shown again after a save.
    const field = fieldOf(failure);
    setErrors({ [field]: sentence(failure.message) });
    if (field !== 'form') (field === 'apiUrl' ? urlRef : keyRef).current?.focus();
  };

  return (
    <form className="form-grid api-key-form" onSubmit={(e) => void submit(e)} noValidate aria-label={props.replacing ? 'Replace API key' : 'Save API key'}>
      <div className="field">
        <label htmlFor={keyId}>{props.replacing ? 'New API key' : 'API key'}</label>
        <input
          id={keyId}
          ref={keyRef}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          aria-invalid={errors.apiKey ? true : undefined}
          aria-describedby={`${keyId}-hint${errors.apiKey ? ` ${keyId}-error` : ''}`}
        />
        {errors.apiKey && (
          <p id={`${keyId}-error`} className="field-error" role="alert">
            {errors.apiKey}
          </p>
        )}
        <p id={`${keyId}-hint`} className="field-hint">
          Checked with Device Management first, then kept in the OS keychain. It is never shown again.
        </p>
      </div>
      <fieldset className="region-choice">
        <legend>Region</legend>
        {props.regions.map((r) => (
          <label key={r.id} className="radio">
            <input type="radio" name={regionName} value={r.id} checked={region === r.id} onChange={() => setRegion(r.id)} />
            {r.label} <span className="mono muted">{r.url}</span>
          </label>
        ))}
        <label className="radio">
          <input type="radio" name={regionName} value={CUSTOM} checked={region === CUSTOM} onChange={() => setRegion(CUSTOM)} />
          On-premises (custom URL)
        </label>
        {region === CUSTOM && (
          <div className="field custom-url">
            <label htmlFor={urlId}>API URL</label>
            <input
              id={urlId}
              ref={urlRef}
              type="url"
              className="mono"
              placeholder="https://api.example.com"
              value={customUrl}
              onChange={(e) => setCustomUrl(e.target.value)}
              aria-invalid={errors.apiUrl ? true : undefined}
              aria-describedby={errors.apiUrl ? `${urlId}-error` : undefined}
            />
            {errors.apiUrl && (
              <p id={`${urlId}-error`} className="field-error" role="alert">
                {errors.apiUrl}
              </p>
            )}
          </div>
        )}
      </fieldset>
      <FormFooter error={errors.form} busy={saving} label="Check and save key" busyLabel="Checking the key…">
        {props.replacing && (
          <button type="button" onClick={props.onDone} disabled={saving}>
            Cancel
          </button>
        )}
      </FormFooter>
    </form>
  );
}

function RemoveKeyDialog({ onClose }: { onClose: () => void }) {
  const remove = useCredentialsStore((s) => s.remove);
  const notify = useNotifications((s) => s.notify);
  return (
    <ConfirmDialog
      title="Remove the API key?"
      confirmLabel="Remove key"
      busyLabel="Removing…"
      onClose={onClose}
      onConfirm={async () => {
        const failure = await remove();
        return failure ? (sentence(failure.message) ?? null) : null;
      }}
      onDone={() => {
        notify('success', 'API key removed from the OS keychain');
        onClose();
      }}
    >
      <p>The key is deleted from the OS keychain. Creating developer certificates and provisioning need a key again afterwards.</p>
    </ConfirmDialog>
  );
}

function MigrationOffer() {
  const migrate = useCredentialsStore((s) => s.migrate);
  const notify = useNotifications((s) => s.notify);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    const failure = await migrate();
    setBusy(false);
    if (failure) setError(sentence(failure.message) ?? null);
    else notify('success', 'The old API key was moved into the OS keychain and removed from the User Store');
  };
  return (
    <div className="callout callout-warn" role="region" aria-label="Old API key found">
      <p>
        mbl-cli left an API key in plain text in its User Store (<span className="mono">~/.mbl-store/user</span> unless moved). Move it into the OS keychain? It
        is checked with Device Management first, and the plain-text copy is then blanked.
      </p>
      <div className="row">
        <button type="button" disabled={busy} onClick={() => void run()}>
          {busy ? 'Moving…' : 'Move key to the keychain'}
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
