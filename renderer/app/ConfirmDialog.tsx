import { useState, type ReactNode } from 'react';
import { Dialog } from './Dialog';

/**
 * Asks before a destructive action. Cancel has the focus, so Enter never destroys by accident; while the action
 * runs its button is disabled; a failure stays in the dialog (announced), a success calls `onDone`.
 */
export function ConfirmDialog(props: {
  title: string;
  confirmLabel: string;
  busyLabel: string;
  /** Runs the action; answers a failure message, or null when it worked. */
  onConfirm: () => Promise<string | null>;
  onDone: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    const failure = await props.onConfirm();
    setBusy(false);
    if (failure) setError(failure);
    else props.onDone();
  };
  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      actions={
        <>
          <button type="button" onClick={props.onClose} autoFocus>
            Cancel
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => void confirm()}>
            {busy ? props.busyLabel : props.confirmLabel}
          </button>
        </>
      }
    >
      {props.children}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
