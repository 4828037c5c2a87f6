import { useId } from 'react';
import { plural } from '../../app/format';
import { sentence } from '../../app/sentence';
import type { Preflight } from './provisioning-store';

interface Props {
  deviceCount: number;
  /** Set for an own-identity run: the CA, the endpoint-name template, and whether it re-issues. */
  identity?: { ca: string; template: string; reissue: boolean };
  /** The developer certificate of a shared-certificate run, if chosen. */
  devCert?: string;
  updateCert?: string;
  check: Preflight;
  startError: string | null;
  ready: boolean;
  starting: boolean;
  onStart(): void;
}

/** What the run will do, in one sentence, with the core's warnings about it, and the button that starts it. */
export function RunSummaryCard({ deviceCount, identity, devCert, updateCert, check, startError, ready, starting, onStart }: Props) {
  const titleId = useId();
  return (
    <div className="card summary-card" aria-labelledby={titleId}>
      <h2 id={titleId}>Summary</h2>
      <p>
        Provision <strong>{plural(deviceCount, 'device')}</strong> with{' '}
        {identity ? (
          <>
            an own identity each from the CA <strong>{identity.ca || '—'}</strong>, named <strong className="mono">{identity.template.trim() || '—'}</strong>
            {identity.reissue ? ' (re-issuing identities devices already hold)' : ''},
          </>
        ) : (
          <>
            the developer certificate <strong>{devCert || '—'}</strong>
          </>
        )}{' '}
        and the update certificate <strong>{updateCert || '—'}</strong>.
      </p>
      <p className="muted">
        Each device: connect → {identity ? 'its key and certificate made in memory → ' : ''}stage the files → provision → verify → clean up → restart the cloud
        client. Devices that fail can be retried afterwards.
      </p>
      <div aria-live="polite">
        {check.error && (
          <p className="field-error" role="alert">
            {sentence(check.error)}
          </p>
        )}
        {check.warnings.length > 0 && (
          <ul className="callout callout-warn" aria-label="Warnings">
            {check.warnings.map((w) => (
              <li key={w}>{sentence(w)}</li>
            ))}
          </ul>
        )}
      </div>
      {startError && (
        <p className="field-error" role="alert">
          {sentence(startError)}
        </p>
      )}
      <div className="row">
        <button type="button" className="primary" disabled={!ready || starting || deviceCount === 0} onClick={onStart}>
          {starting ? 'Starting…' : `Provision ${plural(deviceCount, 'device')}`}
        </button>
      </div>
    </div>
  );
}
