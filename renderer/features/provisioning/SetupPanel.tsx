import { useEffect, useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CreateDeveloperCertificate } from '../../app/CreateDeveloperCertificate';
import { ImportCertificateFile } from '../../app/ImportCertificateFile';
import { usePreparedDevices } from '../../app/prepared-devices';
import { useCaStore } from '../../app/ca-store';
import { useTeamStore } from '../../app/team-store';
import { getClient } from '../../transport/client';
import { emptyIdentityForm, identityRequest, OwnIdentityFields, type IdentityForm } from './OwnIdentityFields';
import { PreparedDevicesCard } from './PreparedDevicesCard';
import { useProvisioningStore, type RunCredentials } from './provisioning-store';
import { RunSummaryCard } from './RunSummaryCard';
import { TeamCertificateSelect } from './TeamCertificateSelect';
import { usePreflight } from './use-preflight';

const CREATE = '\u0000create';
const IMPORT = '\u0000import';

/**
 * Choose what each device gets (a shared developer certificate, or its own identity from a CA) and the update
 * certificate (or make/import them with the Certificates screen's forms), see what will happen and what the core
 * warns about, confirm.
 */
export function SetupPanel() {
  const n = usePreparedDevices((s) => s.prepared.length);
  const {
    team,
    loaded,
    listError,
    load: loadCertificates,
  } = useTeamStore(useShallow((s) => ({ team: s.team, loaded: s.loaded, listError: s.listError, load: s.load })));
  const { authorities, loadAuthorities } = useCaStore(useShallow((s) => ({ authorities: s.authorities, loadAuthorities: s.load })));
  const startRun = useProvisioningStore((s) => s.start);
  const [mode, setMode] = useState<'developer' | 'identity'>('developer');
  const [identityForm, setIdentity] = useState<IdentityForm>(emptyIdentityForm);
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
  const updateChosen = updateCert && updateCert !== IMPORT ? updateCert : '';
  const check = usePreflight(chosen.ok ? chosen.value : null, updateChosen || null, n);

  const start = async () => {
    if (!chosen.ok) return setFieldError({ field: chosen.field, message: chosen.message });
    if (!updateChosen) return setFieldError({ field: 'update', message: 'Update certificate: choose one, or import update_default_resources.c first.' });
    setFieldError(null);
    // In a browser, ask once (on this click, a user gesture) so a long run can say when it is done.
    if (getClient().door === 'web' && typeof Notification !== 'undefined' && Notification.permission === 'default')
      void Notification.requestPermission().catch(() => undefined);
    setStarting(true);
    setStartError(null);
    const failure = await startRun(chosen.value, updateChosen);
    setStarting(false);
    if (failure) setStartError(failure.message);
  };
  const err = (f: NonNullable<typeof fieldError>['field']) => (fieldError?.field === f ? { 'aria-invalid': true as const, 'aria-describedby': ids.err } : {});
  const caLabel = identity.ca || (authorities.length ? 'choose one' : 'none yet');

  return (
    <div className="setup-grid">
      <PreparedDevicesCard />

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
          <TeamCertificateSelect
            id={ids.dev}
            label="Developer certificate"
            certificates={devCerts}
            value={devCert}
            onChange={setDevCert}
            loaded={loaded}
            action={{ value: CREATE, label: 'Create new…' }}
            invalid={err('dev')}
          />
        )}
        {mode === 'developer' && devCert === CREATE && (
          <CreateDeveloperCertificate
            nameLabel="New developer certificate name"
            submitLabel="Create in the cloud"
            hint="Created in Device Management with your API key, then saved to the Team Store."
            onCreated={setDevCert}
          />
        )}
        <TeamCertificateSelect
          id={ids.update}
          label="Update certificate"
          certificates={updateCerts}
          value={updateCert}
          onChange={setUpdateCert}
          loaded={loaded}
          action={{ value: IMPORT, label: 'Import…' }}
          invalid={err('update')}
        />
        {updateCert === IMPORT && <ImportCertificateFile kind="update" submitLabel="Import" onImported={setUpdateCert} />}
        {fieldError && (
          <p id={ids.err} className="field-error" role="alert">
            {fieldError.message}
          </p>
        )}
      </div>

      <RunSummaryCard
        deviceCount={n}
        {...(mode === 'identity' ? { identity } : { devCert: devCert === CREATE ? '' : devCert })}
        updateCert={updateChosen}
        check={check}
        startError={startError}
        ready={chosen.ok && Boolean(updateChosen)}
        starting={starting}
        onStart={() => void start()}
      />
    </div>
  );
}
