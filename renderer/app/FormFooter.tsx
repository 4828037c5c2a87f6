import type { ReactNode } from 'react';

/** A form's last lines: the error that belongs to no one field (announced), then the submit button and any others. */
export function FormFooter(props: {
  error?: string | null | undefined;
  busy: boolean;
  disabled?: boolean;
  label: string;
  busyLabel: string;
  children?: ReactNode;
}) {
  return (
    <>
      {props.error && (
        <p className="field-error" role="alert">
          {props.error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={props.busy || props.disabled}>
          {props.busy ? props.busyLabel : props.label}
        </button>
        {props.children}
      </div>
    </>
  );
}
