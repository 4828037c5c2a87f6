import { useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { FormFooter } from './FormFooter';
import { useNotifications } from './notifications-store';
import { sentence } from './sentence';
import { useTeamStore } from './team-store';
import { TextField } from './TextField';

/**
 * update_default_resources.c, chosen with the file picker or dropped, → the Team Store under a name. The
 * Certificates screen shows it as a card with a title; the Provisioning set-up panel inline.
 */
export function ImportUpdateCertificate(props: {
  /** The card's heading; without one the form is inline. */
  title?: string;
  submitLabel: string;
  onImported?: (name: string) => void;
}) {
  const importUpdate = useTeamStore((s) => s.importUpdate);
  const notify = useNotifications((s) => s.notify);
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [errors, setErrors] = useState<{ name?: string; file?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const fileId = useId();
  const fileRef = useRef<HTMLInputElement>(null);

  const choose = (f: File | undefined) => {
    if (!f) return;
    setFile(f);
    setErrors((e) => ({ ...e, file: undefined, form: undefined }));
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    choose(e.dataTransfer.files[0]);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (!name.trim()) next.name = 'Update certificate name: enter a name for the update certificate, for example dev-device';
    if (!file) next.file = 'File: choose or drop an update_default_resources.c made by pws init or manifest-tool init';
    setErrors(next);
    if (next.name || next.file || !file) return;
    setBusy(true);
    const failure = await importUpdate(name.trim(), file);
    setBusy(false);
    if (failure) return setErrors({ form: sentence(failure.message) });
    notify('success', `Update certificate ${name.trim()} imported into the Team Store`);
    setName('');
    setFile(null);
    if (fileRef.current) fileRef.current.value = '';
    props.onImported?.(name.trim());
  };
  const titleId = props.title ? 'import-update-title' : undefined;
  return (
    <form className={props.title ? 'card form-grid' : 'inline-form'} aria-labelledby={titleId} onSubmit={(e) => void submit(e)} noValidate>
      {props.title && <h2 id={titleId}>{props.title}</h2>}
      <TextField label="Update certificate name" value={name} onValue={setName} autoComplete="off" spellCheck={false} error={errors.name} />
      <div
        className={`drop-zone${dragging ? ' drop-zone-active' : ''}${errors.file ? ' drop-zone-invalid' : ''}`}
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => e.preventDefault()}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
      >
        <label htmlFor={fileId}>update_default_resources.c</label>
        <input
          id={fileId}
          ref={fileRef}
          type="file"
          accept=".c,text/x-c,text/plain"
          onChange={(e) => choose(e.target.files?.[0])}
          aria-invalid={errors.file ? true : undefined}
          aria-describedby={`${fileId}-hint${errors.file ? ` ${fileId}-error` : ''}`}
        />
        <p id={`${fileId}-hint`} className="field-hint">
          {file ? (
            <>
              Selected: <span className="mono">{file.name}</span> ({file.size.toLocaleString('en')} bytes)
            </>
          ) : (
            'Choose the file, or drop it here.'
          )}
        </p>
        {errors.file && (
          <p id={`${fileId}-error`} className="field-error" role="alert">
            {errors.file}
          </p>
        )}
      </div>
      <FormFooter error={errors.form} busy={busy} label={props.submitLabel} busyLabel="Importing…" />
    </form>
  );
}
