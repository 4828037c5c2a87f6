import { useEffect, useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TeamCertificate } from '../../../shared/contract/certificates';
import { CreateDeveloperCertificate } from '../../app/CreateDeveloperCertificate';
import { formatCount, plural } from '../../app/format';
import { ImportCertificateFile } from '../../app/ImportCertificateFile';
import { usePreparedDevices } from '../../app/prepared-devices';
import { useCaStore } from '../../app/ca-store';
import { sentence } from '../../app/sentence';
import { useTeamStore } from '../../app/team-store';
import { getClient } from '../../transport/client';
import { emptyIdentityForm, identityRequest, OwnIdentityFields, type IdentityForm } from './OwnIdentityFields';
import { useProvisioningStore, type Preflight, type RunCredentials } from './provisioning-store';

const optionLabel = (c: TeamCertificate) =>
  c.expiry === 'expired'
    ? `${c.name} (expired ${c.notAfter?.slice(0, 10) ?? ''})`
    : c.notAfter
      ? `${c.name} (expires ${c.notAfter.slice(0, 10)}${c.expiry === 'expiring' ? ', soon' : ''})`
      : c.name;

const CREATE = '\u0000create';
const IMPORT = '\u0000import';

/**
 * Choose what each device gets (a shared developer certificate, or its own identity from a CA) and the update
 * certificate (or make/import them with the Certificates screen's forms), see what will happen and what the core
 * warns about, confirm.
 */
export function SetupPanel() {
  const prepared = usePreparedDevices((s) => s.prepared);
  const selectedTwice = usePreparedDevices((s) => s.selectedTwice);
  const {
    team,
    loaded,
    listError,
    load: loadCertificates,
  } = useTeamStore(useShallow((s) => ({ team: s.team, loaded: s.loaded, listError: s.listError, load: s.load })));
  const { authorities, loadAuthorities } = useCaStore(useShallow((s) => ({ authorities: s.authorities, loadAuthorities: s.load })));
  const startRun = useProvisioningStore((s) => s.start);
  const preflight = useProvisioningStore((s) => s.preflight);
  const [mode, setMode] = useState<'developer' | 'identity'>('developer');
  const [identityForm, setIdentity] = useState<IdentityForm>(emptyIdentityForm);
  // The core's answer for the choices it was asked about (shown only while they are still the choices).
  const [checked, setChecked] = useState<{ key: string; answer: Preflight } | null>(null);
  const [chosenDev, setDevCert] = useState('');
  const [chosenUpdate, setUpdateCert] = useState('');
  const [fieldError, setFieldError] = useState<{ field: 'dev' | 'update' | keyof IdentityForm; message: string } | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const ids = { dev: useId(), update: useId(), err: useId(), mode: useId() };
  const devCerts = useMemo(() => team.filter((c) => c.kind === 'developer'), [team]);
  const updateCerts = useMemo(() => team.filter((c) => c.kind === 'update'), [team]);
  // Until the user picks, the only certificate there is counts as chosen, so the common case is one click.
  const devCert = chosenDev || (devCerts.length === 1 ? devCerts[0]!.name : '');
  const updateCert = chosenUpdate || (updateCerts.length === 1 ? updateCerts[0]!.name : '');
  const identity = identityForm.ca || authorities.length !== 1 ? identityForm : { ...identityForm, ca: authorities[0]!.name };

  useEffect(() => {
    // Provisioning uses only the Team Store: the cloud is not asked.
    void loadCertificates({ cloud: false });
    void loadAuthorities();
  }, [loadCertificates, loadAuthorities]);

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
  const preflightKey = JSON.stringify([chosen.ok ? chosen.value : null, updateCert, prepared.length]);
  // What the core would refuse or warn about (a developer certificate past 100 devices, a CA not trusted yet), before Provision.
  useEffect(() => {
    const [creds, update, count] = JSON.parse(preflightKey) as [RunCredentials | null, string, number];
    if (!creds || !update || update === IMPORT || count === 0) return;
    let current = true;
    const timer = setTimeout(() => void preflight(creds, update).then((answer) => current && answer && setChecked({ key: preflightKey, answer })), 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [preflightKey, preflight]);
  const check: Preflight = checked?.key === preflightKey ? checked.answer : { warnings: [], error: null };

  const start = async () => {
    if (!chosen.ok) return setFieldError({ field: chosen.field, message: chosen.message });
    if (!updateCert || updateCert === IMPORT)
      return setFieldError({ field: 'update', message: 'Update certificate: choose one, or import update_default_resources.c first.' });
    setFieldError(null);
    // In a browser, ask once (on this click, a user gesture) so a long run can say when it is done.
    if (getClient().door === 'web' && typeof Notification !== 'undefined' && Notification.permission === 'default')
      void Notification.requestPermission().catch(() => undefined);
    setStarting(true);
    setStartError(null);
    const failure = await startRun(chosen.value, updateCert);
    setStarting(false);
    if (failure) setStartError(failure.message);
  };
  const err = (f: NonNullable<typeof fieldError>['field']) => (fieldError?.field === f ? { 'aria-invalid': true as const, 'aria-describedby': ids.err } : {});
  const n = prepared.length;
  const ready = chosen.ok && updateCert && updateCert !== IMPORT;
  const caLabel = identity.ca || (authorities.length ? 'choose one' : 'none yet');

  return (
    <div className="setup-grid">
      <div className="card">
        <h2>Devices ({formatCount(n)})</h2>
        <ul className="chip-list" aria-label="Devices to provision">
          {prepared.map((p) => (
            <li key={p.ref.id ?? p.ref.address} className="chip" title={p.ref.address}>
              {p.label} <span className="muted mono">{p.ref.address}</span>
            </li>
          ))}
        </ul>
        {selectedTwice.length > 0 && (
          <ul className="callout" aria-label="Boards selected twice">
            {selectedTwice.map((note) => (
              <li key={note}>{sentence(note)}</li>
            ))}
          </ul>
        )}
      </div>

      <div className="card form-grid">
        <h2>Certificates</h2>
        {listError && (
          <p className="field-error" role="alert">
            Could not list the Team Store certificates: {listError}
          </p>
        )}
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
            authorities={authorities}
            devCerts={devCerts}
            invalid={fieldError && fieldError.field in identity ? (fieldError.field as keyof IdentityForm) : undefined}
            errorId={ids.err}
          />
        )}
        {mode === 'developer' && (
          <div className="field">
            <label htmlFor={ids.dev}>Developer certificate</label>
            <select id={ids.dev} value={devCert} onChange={(e) => setDevCert(e.target.value)} {...err('dev')}>
              <option value="">{loaded ? 'Choose…' : 'Loading…'}</option>
              {devCerts.map((c) => (
                <option key={c.name} value={c.name}>
                  {optionLabel(c)}
                </option>
              ))}
              <option value={CREATE}>Create new…</option>
            </select>
          </div>
        )}
        {mode === 'developer' && devCert === CREATE && (
          <CreateDeveloperCertificate
            nameLabel="New developer certificate name"
            submitLabel="Create in the cloud"
            hint="Created in Device Management with your API key, then saved to the Team Store."
            onCreated={setDevCert}
          />
        )}
        <div className="field">
          <label htmlFor={ids.update}>Update certificate</label>
          <select id={ids.update} value={updateCert} onChange={(e) => setUpdateCert(e.target.value)} {...err('update')}>
            <option value="">{loaded ? 'Choose…' : 'Loading…'}</option>
            {updateCerts.map((c) => (
              <option key={c.name} value={c.name}>
                {optionLabel(c)}
              </option>
            ))}
            <option value={IMPORT}>Import…</option>
          </select>
        </div>
        {updateCert === IMPORT && <ImportCertificateFile kind="update" submitLabel="Import" onImported={setUpdateCert} />}
        {fieldError && (
          <p id={ids.err} className="field-error" role="alert">
            {fieldError.message}
          </p>
        )}
      </div>

      <div className="card summary-card" aria-labelledby={`${ids.dev}-summary`}>
        <h2 id={`${ids.dev}-summary`}>Summary</h2>
        <p>
          Provision <strong>{plural(n, 'device')}</strong> with{' '}
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
          Each device: connect → {mode === 'identity' ? 'its key and certificate made in memory → ' : ''}stage the files → provision → verify → clean up →
          restart the cloud client. Devices that fail can be retried afterwards.
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
        {startError && (
          <p className="field-error" role="alert">
            {sentence(startError)}
          </p>
        )}
        <div className="row">
          <button type="button" className="primary" disabled={!ready || starting || n === 0} onClick={() => void start()}>
            {starting ? 'Starting…' : `Provision ${plural(n, 'device')}`}
          </button>
        </div>
      </div>
    </div>
  );
}
