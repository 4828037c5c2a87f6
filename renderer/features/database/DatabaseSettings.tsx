import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { DatabaseStatus } from '../../../shared/contract/database';
import { useNotifications } from '../../app/notifications-store';
import { sentence } from '../../app/sentence';
import { useSettingsStore } from '../../app/settings-store';
import { useDatabaseStore } from './database-store';
import './database.css';

/**
 * Settings → Shared database: where several stations keep one history (and identity registry). The URL is
 * saved in the settings; the password, typed in its own field, goes only to the OS keychain and is never shown.
 */
export function DatabaseSettings() {
  const { status, error, urlRefused, busy, load, test, save, migrate } = useDatabaseStore();
  const settings = useSettingsStore((s) => s.settings);
  const updateSettings = useSettingsStore((s) => s.update);
  const notify = useNotifications((s) => s.notify);
  // What the user typed; until then, the saved URL.
  const [typed, setUrl] = useState<string | null>(null);
  const url = typed ?? settings?.database.url ?? '';
  const [password, setPassword] = useState('');
  const [tested, setTested] = useState<DatabaseStatus | null>(null);
  const urlId = useId();
  const passwordId = useId();
  const stationId = useId();
  const migrateOnStartId = useId();
  const errorId = useId();
  const urlRef = useRef<HTMLInputElement>(null);
  // A refused URL takes the focus back from the button that was pressed.
  useEffect(() => {
    if (urlRefused) urlRef.current?.focus();
  }, [urlRefused]);

  useEffect(() => {
    void load();
  }, [load]);

  const shown = tested ?? status;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy !== null) return;
    if (!(await save(url, password))) {
      setPassword('');
      setTested(null);
      notify('success', url.trim() ? 'Shared database saved' : 'History and identities stay in local files');
    }
  };

  return (
    <div className="card database-settings" role="group" aria-labelledby="database-title">
      <h2 id="database-title">Shared database</h2>
      <p className="muted">
        With several stations, keep one history and identity registry in PostgreSQL. Leave the URL empty to keep them in local files on this station.
      </p>
      {status?.source === 'env' && <p className="field-hint">PWS_DATABASE_URL is set: this station uses {status.target} whatever is saved here.</p>}
      <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate aria-label="Shared database connection">
        <div className="field">
          <label htmlFor={urlId}>Database URL</label>
          <input
            id={urlId}
            ref={urlRef}
            aria-invalid={urlRefused || undefined}
            aria-describedby={urlRefused ? errorId : undefined}
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="postgres://pws@db.lab.example:5432/pws"
            value={url}
            onChange={(e) => {
              setUrl(e.target.value);
              setTested(null);
            }}
          />
          <span className="field-hint">
            Without the password. TLS is verified by default; add ?sslrootcert=/path/ca.pem for your own CA, or ?sslmode=disable on a trusted network.
          </span>
        </div>
        <div className="field">
          <label htmlFor={passwordId}>Password</label>
          <input
            id={passwordId}
            type="password"
            autoComplete="off"
            value={password}
            placeholder={status?.passwordStored ? 'Kept in the OS keychain (type to replace)' : 'None stored'}
            onChange={(e) => setPassword(e.target.value)}
          />
          <span className="field-hint">Kept only in the OS keychain, never in the settings file.</span>
        </div>
        <div className="row">
          {/* Busy is aria-disabled, not disabled: a disabled button loses focus, and the browser drops it on the page. */}
          <button
            type="button"
            disabled={!url.trim()}
            aria-disabled={busy !== null || undefined}
            onClick={() => busy === null && void test(url, password).then(setTested)}
          >
            {busy === 'testing' ? 'Testing…' : 'Test connection'}
          </button>
          <button type="submit" className="primary" aria-disabled={busy !== null || undefined}>
            {busy === 'saving' ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {sentence(error)}
        </p>
      )}
      {shown && shown.source !== 'none' && <ConnectionSummary status={shown} tested={tested !== null} />}
      {status && status.source !== 'none' && !tested && status.connected && (status.schemaVersion ?? 0) < status.latestSchemaVersion && (
        <div className="row">
          <button
            type="button"
            aria-disabled={busy !== null || undefined}
            onClick={() =>
              busy === null &&
              void migrate().then((r) => r && 'applied' in r && notify('success', `Database migrated from schema version ${r.from} to ${r.to}`))
            }
          >
            {busy === 'migrating' ? 'Migrating…' : `Migrate to schema version ${status.latestSchemaVersion}`}
          </button>
        </div>
      )}
      {settings && (
        <div className="form-grid">
          <div className="field">
            <label htmlFor={stationId}>Station name</label>
            <input
              id={stationId}
              type="text"
              maxLength={64}
              placeholder={status?.station ?? 'this computer’s host name'}
              defaultValue={settings.stationName}
              onBlur={(e) => {
                if (e.target.value.trim() !== settings.stationName)
                  void updateSettings({ stationName: e.target.value.trim() }).then(
                    (failure) => !failure && void load().then(() => notify('success', 'Station name saved')),
                  );
              }}
            />
            <span className="field-hint">On every history and identity record this station writes; empty means its host name.</span>
          </div>
          <label className="checkbox" htmlFor={migrateOnStartId}>
            <input
              id={migrateOnStartId}
              type="checkbox"
              checked={settings.database.migrateOnStart}
              onChange={(e) => void updateSettings({ database: { migrateOnStart: e.target.checked, migrateConsent: 'unasked' } })}
            />
            Migrate the shared database when the app starts (you are asked once first)
          </label>
        </div>
      )}
    </div>
  );
}

function ConnectionSummary({ status, tested }: { status: DatabaseStatus; tested: boolean }) {
  return (
    <dl className="database-summary" aria-label={tested ? 'Connection test' : 'Shared database status'}>
      <dt>Connection</dt>
      <dd data-testid="database-connection">
        {status.connected ? `Connected${tested ? ' (not saved yet)' : ''}` : <span className="field-error">{sentence(status.error ?? 'not connected')}</span>}
      </dd>
      {status.serverVersion && (
        <>
          <dt>Server</dt>
          <dd>PostgreSQL {status.serverVersion}</dd>
        </>
      )}
      {status.schemaVersion !== undefined && (
        <>
          <dt>Schema version</dt>
          <dd data-testid="database-schema">
            {status.schemaVersion} (this app: {status.latestSchemaVersion})
            {status.schemaVersion < status.latestSchemaVersion && <span className="muted"> · needs a migration</span>}
          </dd>
        </>
      )}
      {status.waitingToSync > 0 && (
        <>
          <dt>Waiting to sync</dt>
          <dd>{status.waitingToSync} history entries in the local journal</dd>
        </>
      )}
    </dl>
  );
}
