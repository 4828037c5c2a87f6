import { useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { Failure } from '../../shared/contract/result';
import { formatCount } from './format';
import { FormFooter } from './FormFooter';
import { useNotifications } from './notifications-store';
import { sentence } from './sentence';
import { failedField } from './store-kit';
import { useTeamStore, type TeamCertificate } from './team-store';
import { TextField } from './TextField';

/** What each kind of C file is called and where it comes from. */
const KINDS = {
  update: {
    nameLabel: 'Update certificate name',
    namePlaceholder: 'dev-device',
    fileName: 'update_default_resources.c',
    missingFile: 'File: choose or drop an update_default_resources.c made by pws init or manifest-tool init',
    imported: 'Update certificate',
  },
  developer: {
    nameLabel: 'Developer certificate name',
    namePlaceholder: 'lab-bench-1',
    fileName: 'mbed_cloud_dev_credentials.c',
    missingFile: 'File: choose or drop the mbed_cloud_dev_credentials.c downloaded from the Device Management Portal (Device identity → Certificates)',
    imported: 'Developer certificate',
  },
} as const;

/** The core's answers that are about the file (it parses and checks it), not about the name. */
const FILE_CODES = new Set(['parse-error', 'missing-symbol', 'file-too-large', 'file-unreadable']);

type Errors = { name?: string | undefined; file?: string | undefined; form?: string | undefined };
const errorsOf = (failure: Failure): Errors => {
  const message = sentence(failure.message);
  const field = failedField(failure, ['name', 'text'] as const);
  if (field === 'name') return { name: message };
  if (field === 'text' || FILE_CODES.has(failure.code)) return { file: message };
  return { form: message };
};

/**
 * A certificate's C file, chosen with the file picker or dropped, → the Team Store under a name (as `pws certs
 * import-update` and `import-dev` do): `update_default_resources.c`, or the portal's `mbed_cloud_dev_credentials.c`.
 * The Certificates screen shows it as a card with a title; the Provisioning set-up panel inline.
 */
export function ImportCertificateFile(props: {
  kind: TeamCertificate['kind'];
  /** The card's heading; without one the form is inline. */
  title?: string;
  submitLabel: string;
  onImported?: (name: string) => void;
}) {
  const text = KINDS[props.kind];
  const importFile = useTeamStore((s) => s.importFile);
  const notify = useNotifications((s) => s.notify);
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const fileId = useId();
  const titleId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  /** Shows the errors and puts focus on the first field they refuse (the name, then the file). */
  const refuse = (next: Errors) => {
    setErrors(next);
    (next.name ? nameRef : next.file ? fileRef : null)?.current?.focus();
  };

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
    const next: Errors = {};
    if (!name.trim()) next.name = `${text.nameLabel}: enter a name for the Team Store, for example ${text.namePlaceholder}`;
    if (!file) next.file = text.missingFile;
    refuse(next);
    if (next.name || next.file || !file) return;
    setBusy(true);
    const failure = await importFile(props.kind, name.trim(), file);
    setBusy(false);
    if (failure) return refuse(errorsOf(failure));
    notify('success', `${text.imported} ${name.trim()} imported into the Team Store`);
    setName('');
    setFile(null);
    if (fileRef.current) fileRef.current.value = '';
    props.onImported?.(name.trim());
  };
  return (
    <form
      className={props.title ? 'card form-grid' : 'inline-form'}
      aria-labelledby={props.title ? titleId : undefined}
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      {props.title && <h2 id={titleId}>{props.title}</h2>}
      <TextField label={text.nameLabel} value={name} onValue={setName} autoComplete="off" spellCheck={false} error={errors.name} inputRef={nameRef} />
      <div
        className={`drop-zone${dragging ? ' drop-zone-active' : ''}${errors.file ? ' drop-zone-invalid' : ''}`}
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => e.preventDefault()}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid={`drop-zone-${props.kind}`}
      >
        <label htmlFor={fileId}>{text.fileName}</label>
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
              Selected: <span className="mono">{file.name}</span> ({formatCount(file.size)} bytes)
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
