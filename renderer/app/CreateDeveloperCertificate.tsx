import { useState, type FormEvent } from 'react';
import { FormFooter } from './FormFooter';
import { useNotifications } from './notifications-store';
import { sentence } from './sentence';
import { useTeamStore } from './team-store';
import { TextField } from './TextField';

/**
 * Name → a developer certificate made in the cloud and saved into the Team Store. The Certificates screen
 * shows it as a card with a title; the Provisioning set-up panel inline, under its certificate choice.
 */
export function CreateDeveloperCertificate(props: {
  /** The card's heading; without one the form is inline. */
  title?: string;
  nameLabel: string;
  submitLabel: string;
  hint: string;
  onCreated?: (name: string) => void;
}) {
  const createDeveloper = useTeamStore((s) => s.createDeveloper);
  const notify = useNotifications((s) => s.notify);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError(`${props.nameLabel}: enter a name for the developer certificate, for example lab-bench-1`);
      return;
    }
    setBusy(true);
    setError(undefined);
    const failure = await createDeveloper(trimmed);
    setBusy(false);
    if (failure) return setError(sentence(failure.message));
    notify('success', `Developer certificate ${trimmed} created in the cloud and saved to the Team Store`);
    setName('');
    props.onCreated?.(trimmed);
  };
  const titleId = props.title ? 'create-dev-title' : undefined;
  return (
    <form className={props.title ? 'card form-grid' : 'inline-form'} aria-labelledby={titleId} onSubmit={(e) => void submit(e)} noValidate>
      {props.title && <h2 id={titleId}>{props.title}</h2>}
      <TextField label={props.nameLabel} value={name} onValue={setName} autoComplete="off" spellCheck={false} error={error} hint={props.hint} />
      <FormFooter busy={busy} label={props.submitLabel} busyLabel="Creating…" />
    </form>
  );
}
