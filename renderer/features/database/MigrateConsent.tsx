import { useEffect } from 'react';
import { Dialog } from '../../app/Dialog';
import { useDatabaseStore } from './database-store';

/**
 * Asked once, at start, when "migrate on start" is on and the shared database's schema is behind this app:
 * migrating changes the database for every station, so the app never does it without this yes.
 */
export function MigrateConsent() {
  const { status, load, answerConsent } = useDatabaseStore();
  useEffect(() => {
    void load();
  }, [load]);
  if (!status?.askConsent) return null;
  return (
    <Dialog
      title="Migrate the shared database?"
      onClose={() => void answerConsent(false)}
      actions={
        <>
          <button type="button" onClick={() => void answerConsent(false)} autoFocus>
            Not now
          </button>
          <button type="button" className="primary" onClick={() => void answerConsent(true)}>
            Migrate, now and on every start
          </button>
        </>
      }
    >
      <p>
        The shared database {status.target} is at schema version {status.schemaVersion ?? 0}; this app needs version {status.latestSchemaVersion}. Migrating
        changes it for every station that uses it. Stations with an older app keep working only if they understand the new version.
      </p>
      <p className="muted">You are asked only this once. “Not now” turns migrating on start off; Settings → Shared database can migrate at any time.</p>
    </Dialog>
  );
}
