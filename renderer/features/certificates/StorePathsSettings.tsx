import { useEffect, useState, type FormEvent } from 'react';
import { useNotifications } from '../../app/notifications-store';
import { useCertificatesStore } from './certificates-store';
import { FormFooter } from '../../app/FormFooter';
import { TextField } from '../../app/TextField';
import { sentence } from '../../app/sentence';
import './certificates.css';

/** Settings → Stores: where mbl-cli's User Store and Team Store live (~/.mbl-stores.json, shared with mbl-cli). */
export function StorePathsSettings() {
  const stores = useCertificatesStore((s) => s.stores);
  const storesError = useCertificatesStore((s) => s.storesError);
  const loadStores = useCertificatesStore((s) => s.loadStores);
  useEffect(() => {
    void loadStores();
  }, [loadStores]);
  return (
    <div className="card store-settings" role="group" aria-labelledby="stores-title">
      <h2 id="stores-title">Stores</h2>
      {storesError && (
        <p className="field-error" role="alert">
          {sentence(storesError)}
        </p>
      )}
      {!stores && !storesError && <p className="muted">Loading the store folders…</p>}
      {stores && <StoreForm key={`${stores.user}\n${stores.team}`} user={stores.user} team={stores.team} storesFile={stores.storesFile} />}
    </div>
  );
}

function StoreForm(props: { user: string; team: string; storesFile: string }) {
  const setStores = useCertificatesStore((s) => s.setStores);
  const notify = useNotifications((s) => s.notify);
  const [user, setUser] = useState(props.user);
  const [team, setTeam] = useState(props.team);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const changed = user.trim() !== props.user || team.trim() !== props.team;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const failure = await setStores({ user: user.trim(), team: team.trim() });
    setBusy(false);
    setError(sentence(failure?.message) ?? null);
    if (!failure) notify('success', 'Store folders saved');
  };
  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate aria-label="Store folders">
      <p className="field-hint">
        Shared with mbl-cli through <span className="mono">{props.storesFile}</span>. The Team Store holds the certificates; the User Store the old mbl-cli
        settings.
      </p>
      <TextField label="Team Store folder" value={team} onValue={setTeam} className="mono" autoComplete="off" spellCheck={false} />
      <TextField label="User Store folder" value={user} onValue={setUser} className="mono" autoComplete="off" spellCheck={false} />
      <FormFooter error={error} busy={busy} disabled={!changed} label="Save folders" busyLabel="Saving…" />
    </form>
  );
}
