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
        {/* Busy is aria-disabled, not disabled: a disabled button loses focus, and the browser drops it on the page. */}
        <button
          type="submit"
          className="primary"
          disabled={props.disabled}
          aria-disabled={props.busy || undefined}
          onClick={(e) => {
            if (props.busy) e.preventDefault(); // a click, or Enter in a field, does not submit again
          }}
        >
          {props.busy ? props.busyLabel : props.label}
        </button>
        {props.children}
      </div>
    </>
  );
}
