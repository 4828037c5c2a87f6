import { useEffect, useId, useState } from 'react';
import { useNotifications } from '../../app/notifications-store';
import { sentence } from '../../app/sentence';
import { useProvisioningStore, type RunCredentials } from './provisioning-store';
import type { CertificateOption } from './certificate-api';
import { emptyIdentityForm, identityRequest, OwnIdentityFields, type IdentityForm } from './OwnIdentityFields';

const optionLabel = (c: CertificateOption) =>
  c.expiry === 'expired' ? `${c.name} (expired ${c.notAfter?.slice(0, 10) ?? ''})` : c.notAfter ? `${c.name} (expires ${c.notAfter.slice(0, 10)}${c.expiry === 'expiring' ? ', soon' : ''})` : c.name;

const CREATE = '\u0000create';
const IMPORT = '\u0000import';

/**
 * Choose what each device gets (a shared developer certificate, or its own identity from a CA) and the update
 * certificate (or make/import them), see what will happen and what the core warns about, confirm.
 */
export function SetupPanel() {
  const store = useProvisioningStore();
  const notify = useNotifications((s) => s.notify);
  const [mode, setMode] = useState<'developer' | 'identity'>('developer');
  const [identity, setIdentity] = useState<IdentityForm>(emptyIdentityForm);
  const [check, setCheck] = useState<{ warnings: string[]; error: string | null }>({ warnings: [], error: null });
  const [devCert, setDevCert] = useState('');
  const [updateCert, setUpdateCert] = useState('');
  const [newDevName, setNewDevName] = useState('');
  const [newUpdateName, setNewUpdateName] = useState('');
  const [updateFile, setUpdateFile] = useState<File | null>(null);
  const [fieldError, setFieldError] = useState<{ field: 'dev' | 'update' | 'new-dev' | 'new-update' | 'file' | keyof IdentityForm; message: string } | null>(null);
  const [busy, setBusy] = useState<null | 'create' | 'import'>(null);
  const ids = { dev: useId(), update: useId(), newDev: useId(), newUpdate: useId(), file: useId(), err: useId(), mode: useId() };

  useEffect(() => {
    void store.loadCertificates();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // Pick the only certificate there is, so the common case is one click.
  useEffect(() => {
    if (!devCert && store.devCerts.length === 1) setDevCert(store.devCerts[0]!.name);
    if (!updateCert && store.updateCerts.length === 1) setUpdateCert(store.updateCerts[0]!.name);
    if (!identity.ca && store.authorities.length === 1) setIdentity((f) => ({ ...f, ca: store.authorities[0]!.name }));
  }, [store.devCerts, store.updateCerts, store.authorities, devCert, updateCert, identity.ca]);

  /** The credentials as chosen, or the field to fix first. */
  const credentials = (): { ok: true; value: RunCredentials } | { ok: false; field: NonNullable<typeof fieldError>['field']; message: string } => {
    if (mode === 'identity') {
      const r = identityRequest(identity);
      return r.ok ? { ok: true, value: { identity: r.value } } : r;
    }
    if (!devCert || devCert === CREATE) return { ok: false, field: 'dev', message: 'Developer certificate: choose one, or create a new one first.' };
    return { ok: true, value: { devCert } };
  };
  const chosen = credentials();
  const preflightKey = JSON.stringify([chosen.ok ? chosen.value : null, updateCert, store.prepared.length]);
  const { preflight, prepared } = store;
  // What the core would refuse or warn about (a developer certificate past 100 devices, a CA not trusted yet), before Provision.
  useEffect(() => {
    const [creds, update] = JSON.parse(preflightKey) as [RunCredentials | null, string];
    if (!creds || !update || update === IMPORT || prepared.length === 0) return setCheck({ warnings: [], error: null });
    let current = true;
    const timer = setTimeout(() => void preflight(creds, update).then((r) => current && setCheck(r)), 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [preflightKey, preflight, prepared]);

  const createDev = async () => {
    const name = newDevName.trim();
    if (!name) return setFieldError({ field: 'new-dev', message: 'New developer certificate name: enter a name, e.g. lab-bench-1.' });
    setBusy('create');
    const error = await store.createDevCert(name);
    setBusy(null);
    if (error) return setFieldError({ field: 'new-dev', message: error });
    setFieldError(null);
    setDevCert(name);
    setNewDevName('');
    notify('success', `Created the developer certificate ${name} in Device Management`);
  };
  const importUpdate = async () => {
    const name = newUpdateName.trim();
    if (!name) return setFieldError({ field: 'new-update', message: 'Update certificate name: enter a name, e.g. dev-device.' });
    if (!updateFile) return setFieldError({ field: 'file', message: 'update_default_resources.c: choose the file made by pws init or manifest-tool init.' });
    setBusy('import');
    const error = await store.importUpdateCert(name, updateFile);
    setBusy(null);
    if (error) return setFieldError({ field: 'file', message: error });
    setFieldError(null);
    setUpdateCert(name);
    setNewUpdateName('');
    setUpdateFile(null);
    notify('success', `Imported the update certificate ${name}`);
  };
  const start = async () => {
    if (!chosen.ok) return setFieldError({ field: chosen.field, message: chosen.message });
    if (!updateCert || updateCert === IMPORT) return setFieldError({ field: 'update', message: 'Update certificate: choose one, or import update_default_resources.c first.' });
    setFieldError(null);
    // In a browser, ask once (on this click, a user gesture) so a long run can say when it is done.
    if (!window.pws && typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
    await store.start(chosen.value, updateCert);
  };
  const err = (f: NonNullable<typeof fieldError>['field']) => (fieldError?.field === f ? { 'aria-invalid': true as const, 'aria-describedby': ids.err } : {});
  const errorText = fieldError && (
    <p id={ids.err} className="field-error" role="alert">
      {fieldError.message}
    </p>
  );
  const n = store.prepared.length;
  const ready = chosen.ok && updateCert && updateCert !== IMPORT;
  const caLabel = identity.ca || (store.authorities.length ? 'choose one' : 'none yet');

  return (
    <div className="setup-grid">
      <div className="card">
        <h2>Devices ({n})</h2>
        <ul className="chip-list" aria-label="Devices to provision">
          {store.prepared.map((p) => (
            <li key={p.ref.id ?? p.ref.address} className="chip" title={p.ref.address}>
              {p.label} <span className="muted mono">{p.ref.address}</span>
            </li>
          ))}
        </ul>
      </div>

      <div className="card form-grid">
        <h2>Certificates</h2>
        {store.certsError && <p className="field-error" role="alert">Could not list the Team Store certificates: {store.certsError}</p>}
        <fieldset className="credential-choice">
          <legend>What each device gets</legend>
          <div className="radio-field">
            <input id={`${ids.mode}-dev`} type="radio" name={ids.mode} checked={mode === 'developer'} onChange={() => setMode('developer')} />
            <label htmlFor={`${ids.mode}-dev`}>Developer certificate (shared, development)</label>
          </div>
          <div className="radio-field">
            <input id={`${ids.mode}-own`} type="radio" name={ids.mode} checked={mode === 'identity'} onChange={() => setMode('identity')} />
            <label htmlFor={`${ids.mode}-own`}>Own identity per device (CA: {caLabel})</label>
          </div>
        </fieldset>
        {mode === 'identity' && (
          <OwnIdentityFields
            form={identity}
            onChange={(patch) => setIdentity((f) => ({ ...f, ...patch }))}
            authorities={store.authorities}
            devCerts={store.devCerts}
            invalid={fieldError && fieldError.field in identity ? (fieldError.field as keyof IdentityForm) : undefined}
            errorId={ids.err}
          />
        )}
        {mode === 'developer' && (
          <div className="field">
            <label htmlFor={ids.dev}>Developer certificate</label>
            <select id={ids.dev} value={devCert} onChange={(e) => setDevCert(e.target.value)} {...err('dev')}>
              <option value="">{store.certsLoaded ? 'Choose…' : 'Loading…'}</option>
              {store.devCerts.map((c) => (
                <option key={c.name} value={c.name}>{optionLabel(c)}</option>
              ))}
              <option value={CREATE}>Create new…</option>
            </select>
          </div>
        )}
        {mode === 'developer' && devCert === CREATE && (
          <div className="inline-form">
            <label htmlFor={ids.newDev}>
              New developer certificate name
              <input id={ids.newDev} value={newDevName} onChange={(e) => setNewDevName(e.target.value)} {...err('new-dev')} />
              <span className="field-hint">Created in Device Management with your API key, then saved to the Team Store.</span>
            </label>
            <button type="button" onClick={() => void createDev()} disabled={busy !== null}>
              {busy === 'create' ? 'Creating…' : 'Create in the cloud'}
            </button>
          </div>
        )}
        <div className="field">
          <label htmlFor={ids.update}>Update certificate</label>
          <select id={ids.update} value={updateCert} onChange={(e) => setUpdateCert(e.target.value)} {...err('update')}>
            <option value="">{store.certsLoaded ? 'Choose…' : 'Loading…'}</option>
            {store.updateCerts.map((c) => (
              <option key={c.name} value={c.name}>{optionLabel(c)}</option>
            ))}
            <option value={IMPORT}>Import…</option>
          </select>
        </div>
        {updateCert === IMPORT && (
          <div className="inline-form">
            <label htmlFor={ids.newUpdate}>
              Update certificate name
              <input id={ids.newUpdate} value={newUpdateName} onChange={(e) => setNewUpdateName(e.target.value)} {...err('new-update')} />
            </label>
            <label htmlFor={ids.file}>
              update_default_resources.c
              <input id={ids.file} type="file" accept=".c,text/x-c,text/plain" onChange={(e) => setUpdateFile(e.target.files?.[0] ?? null)} {...err('file')} />
            </label>
            <button type="button" onClick={() => void importUpdate()} disabled={busy !== null}>
              {busy === 'import' ? 'Importing…' : 'Import'}
            </button>
          </div>
        )}
        {errorText}
      </div>

      <div className="card summary-card" aria-labelledby={`${ids.dev}-summary`}>
        <h2 id={`${ids.dev}-summary`}>Summary</h2>
        <p>
          Provision <strong>{n} device{n === 1 ? '' : 's'}</strong> with{' '}
          {mode === 'identity' ? (
            <>
              an own identity each from the CA <strong>{identity.ca || '—'}</strong>, named <strong className="mono">{identity.template.trim() || '—'}</strong>
              {identity.reissue ? ' (re-issuing identities devices already hold)' : ''},
            </>
          ) : (
            <>
              the developer certificate <strong>{devCert && devCert !== CREATE ? devCert : '—'}</strong>
            </>
          )}{' '}
          and the update certificate <strong>{updateCert && updateCert !== IMPORT ? updateCert : '—'}</strong>.
        </p>
        <p className="muted">
          Each device: connect → {mode === 'identity' ? 'its key and certificate made in memory → ' : ''}stage the files → provision → verify → clean up → restart the cloud
          client. Devices that fail can be retried afterwards.
        </p>
        <div aria-live="polite">
          {check.error && (
            <p className="field-error" role="alert">
              {sentence(check.error)}
            </p>
          )}
          {check.warnings.length > 0 && (
            <ul className="callout callout-warn" aria-label="Warnings">
              {check.warnings.map((w) => (
                <li key={w}>{sentence(w)}</li>
              ))}
            </ul>
          )}
        </div>
        {store.error && <p className="field-error" role="alert">{store.error}</p>}
        <div className="row">
          <button type="button" className="primary" disabled={!ready || store.starting || n === 0} onClick={() => void start()}>
            {store.starting ? 'Starting…' : `Provision ${n} device${n === 1 ? '' : 's'}`}
          </button>
        </div>
      </div>
    </div>
  );
}
