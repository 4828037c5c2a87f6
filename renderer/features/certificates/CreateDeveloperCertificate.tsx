import { useState, type FormEvent } from 'react';
import { useNotifications } from '../../app/notifications-store';
import { useCertificatesStore } from './certificates-store';
import { TextField } from './TextField';
import { sentence } from '../../app/sentence';

/** Name → a developer certificate made in the cloud and saved into the Team Store. */
export function CreateDeveloperCertificate() {
  const createDeveloper = useCertificatesStore((s) => s.createDeveloper);
  const notify = useNotifications((s) => s.notify);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError('Name: enter a name for the developer certificate, for example lab-bench-1');
      return;
    }
    setBusy(true);
    setError(undefined);
    const failure = await createDeveloper(trimmed);
    setBusy(false);
    if (failure) setError(sentence(failure));
    else {
      notify('success', `Developer certificate ${trimmed} created in the cloud and saved to the Team Store`);
      setName('');
    }
  };
  return (
    <form className="card form-grid" aria-labelledby="create-dev-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="create-dev-title">Create developer certificate</h2>
      <p className="field-hint">Made in your Device Management account (needs an API key in Settings) and saved into the Team Store.</p>
      <TextField label="Developer certificate name" value={name} onValue={setName} autoComplete="off" spellCheck={false} error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create developer certificate'}
        </button>
      </div>
    </form>
  );
}
