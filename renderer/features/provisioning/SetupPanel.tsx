import { useEffect, useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TeamCertificate } from '../../../shared/contract/certificates';
import { CreateDeveloperCertificate } from '../../app/CreateDeveloperCertificate';
import { formatCount, plural } from '../../app/format';
import { ImportCertificateFile } from '../../app/ImportCertificateFile';
import { usePreparedDevices } from '../../app/prepared-devices';
import { useTeamStore } from '../../app/team-store';
import { getClient } from '../../transport/client';
import { useProvisioningStore } from './provisioning-store';

const optionLabel = (c: TeamCertificate) =>
  c.expiry === 'expired' ? `${c.name} (expired ${c.notAfter?.slice(0, 10) ?? ''})` : c.notAfter ? `${c.name} (expires ${c.notAfter.slice(0, 10)}${c.expiry === 'expiring' ? ', soon' : ''})` : c.name;

const CREATE = '\u0000create';
const IMPORT = '\u0000import';

/** Choose the two certificates (or make/import them with the Certificates screen's forms), see what will happen, confirm. */
export function SetupPanel() {
  const prepared = usePreparedDevices((s) => s.prepared);
  const { team, loaded, listError, load: loadCertificates } = useTeamStore(useShallow((s) => ({ team: s.team, loaded: s.loaded, listError: s.listError, load: s.load })));
  const startRun = useProvisioningStore((s) => s.start);
  const [chosenDev, setDevCert] = useState('');
  const [chosenUpdate, setUpdateCert] = useState('');
  const [fieldError, setFieldError] = useState<{ field: 'dev' | 'update'; message: string } | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const ids = { dev: useId(), update: useId(), err: useId() };
  const devCerts = useMemo(() => team.filter((c) => c.kind === 'developer'), [team]);
  const updateCerts = useMemo(() => team.filter((c) => c.kind === 'update'), [team]);
  // Until the user picks, the only certificate there is counts as chosen, so the common case is one click.
  const devCert = chosenDev || (devCerts.length === 1 ? devCerts[0]!.name : '');
  const updateCert = chosenUpdate || (updateCerts.length === 1 ? updateCerts[0]!.name : '');

  useEffect(() => {
    // Provisioning uses only the Team Store: the cloud is not asked.
    void loadCertificates({ cloud: false });
  }, [loadCertificates]);

  const start = async () => {
    if (!devCert || devCert === CREATE) return setFieldError({ field: 'dev', message: 'Developer certificate: choose one, or create a new one first.' });
    if (!updateCert || updateCert === IMPORT) return setFieldError({ field: 'update', message: 'Update certificate: choose one, or import update_default_resources.c first.' });
    setFieldError(null);
    // In a browser, ask once (on this click, a user gesture) so a long run can say when it is done.
    if (getClient().door === 'web' && typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
    setStarting(true);
    setStartError(null);
    const failure = await startRun(devCert, updateCert);
    setStarting(false);
    if (failure) setStartError(failure.message);
  };
  const err = (f: 'dev' | 'update') => (fieldError?.field === f ? { 'aria-invalid': true as const, 'aria-describedby': ids.err } : {});
  const n = prepared.length;
  const ready = devCert && devCert !== CREATE && updateCert && updateCert !== IMPORT;

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
      </div>

      <div className="card form-grid">
        <h2>Certificates</h2>
        {listError && <p className="field-error" role="alert">Could not list the Team Store certificates: {listError}</p>}
        <div className="field">
          <label htmlFor={ids.dev}>Developer certificate</label>
          <select id={ids.dev} value={devCert} onChange={(e) => setDevCert(e.target.value)} {...err('dev')}>
            <option value="">{loaded ? 'Choose…' : 'Loading…'}</option>
            {devCerts.map((c) => (
              <option key={c.name} value={c.name}>{optionLabel(c)}</option>
            ))}
            <option value={CREATE}>Create new…</option>
          </select>
        </div>
        {devCert === CREATE && (
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
              <option key={c.name} value={c.name}>{optionLabel(c)}</option>
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
          Provision <strong>{plural(n, 'device')}</strong> with the developer certificate{' '}
          <strong>{devCert && devCert !== CREATE ? devCert : '—'}</strong> and the update certificate{' '}
          <strong>{updateCert && updateCert !== IMPORT ? updateCert : '—'}</strong>.
        </p>
        <p className="muted">Each device: connect → stage the files → provision → verify → clean up → restart the cloud client. Devices that fail can be retried afterwards.</p>
        {startError && <p className="field-error" role="alert">{startError}</p>}
        <div className="row">
          <button type="button" className="primary" disabled={!ready || starting || n === 0} onClick={() => void start()}>
            {starting ? 'Starting…' : `Provision ${plural(n, 'device')}`}
          </button>
        </div>
      </div>
    </div>
  );
}
