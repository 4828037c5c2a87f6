import { useId, useState } from 'react';
import { Dialog } from '../../app/Dialog';
import { useNotifications } from '../../app/notifications-store';
import { sentence } from '../../app/sentence';
import { useCaStore } from '../../app/ca-store';
import { TextField } from '../../app/TextField';

/** An existing CA certificate and its key (PEM or DER) into the Team Store; every refusal is shown, nothing is written. */
export function ImportCaDialog({ onClose }: { onClose: () => void }) {
  const importCa = useCaStore((s) => s.importCa);
  const notify = useNotifications((s) => s.notify);
  const [name, setName] = useState('');
  const [certificate, setCertificate] = useState<File | null>(null);
  const [key, setKey] = useState<File | null>(null);
  const [errors, setErrors] = useState<{ name?: string; certificate?: string; key?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const ids = { cert: useId(), key: useId() };
  const submit = async () => {
    const next: typeof errors = {};
    if (!name.trim()) next.name = 'Name: enter a name for the CA in the Team Store, for example lab-ca';
    if (!certificate) next.certificate = 'CA certificate: choose the certificate file (.pem, .crt or .der)';
    if (!key) next.key = 'CA private key: choose the key file (.pem or .der)';
    setErrors(next);
    if (next.name || next.certificate || next.key || !certificate || !key) return;
    setBusy(true);
    const failure = await importCa(name.trim(), certificate, key);
    setBusy(false);
    if (failure) return setErrors({ form: sentence(failure.message) });
    notify('success', `CA ${name.trim()} imported into the Team Store`);
    onClose();
  };
  const file = (id: string, label: string, error: string | undefined, onFile: (f: File | null) => void, accept: string) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        accept={accept}
        onChange={(e) => onFile(e.target.files?.[0] ?? null)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
  return (
    <Dialog
      title="Import a CA"
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={busy} onClick={() => void submit()}>
            {busy ? 'Importing…' : 'Import CA'}
          </button>
        </>
      }
    >
      <div className="form-grid">
        <p className="field-hint">
          The certificate must be a CA (CA:TRUE), not expired, with an EC or RSA (2048 bits or more) key; the key must be its own, unencrypted. The key is kept
          in the Team Store, readable only by you.
        </p>
        <TextField label="CA name" value={name} onValue={setName} autoComplete="off" spellCheck={false} error={errors.name} autoFocus />
        {file(ids.cert, 'CA certificate (PEM or DER)', errors.certificate, setCertificate, '.pem,.crt,.cer,.der')}
        {file(ids.key, 'CA private key (PEM or DER)', errors.key, setKey, '.pem,.key,.der')}
        {errors.form && (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        )}
      </div>
    </Dialog>
  );
}
