import { useCallback, useId, useState } from 'react';
import { sentence } from '../../app/sentence';
import { useCaStore, type CaTrusted, type CertificateAuthority } from '../../app/ca-store';
import { formatDate } from './certificate-expiry';
import { Fingerprint } from './Fingerprint';
import { TrustAnswer } from './TrustCaDialog';

/** New CA, Done: the CA that was made, and trusting it in the account at once. */
export function CaWizardDone({ created }: { created: CertificateAuthority }) {
  const trust = useCaStore((s) => s.trust);
  const [trusted, setTrusted] = useState<CaTrusted | null>(null);
  const [firstToClaim, setFirstToClaim] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const firstToClaimId = useId();
  // The answer replaces the button that had focus: it takes the focus, so it is read out and the keyboard stays here.
  const focusAnswer = useCallback((answer: HTMLDivElement | null) => answer?.focus(), []);

  const trustNow = async () => {
    setBusy(true);
    setError(null);
    const r = await trust(created.name, firstToClaim);
    setBusy(false);
    if (r.ok) setTrusted(r.value);
    else setError(sentence(r.message) ?? r.message);
  };

  return (
    <div className="done">
      <p className="callout callout-ok">The CA {created.name} was created in the Team Store.</p>
      <dl className="review-list">
        <dt>Fingerprint (SHA-256)</dt>
        <Fingerprint hex={created.fingerprint} />
        <dt>Subject</dt>
        <dd className="mono">{created.subject}</dd>
        <dt>Expires</dt>
        <dd>{formatDate(created.notAfter)} (UTC)</dd>
        <dt>Folder</dt>
        <dd className="mono">{created.path}</dd>
      </dl>
      {trusted ? (
        <div ref={focusAnswer} tabIndex={-1}>
          <TrustAnswer trusted={trusted} />
        </div>
      ) : (
        <div className="card-inset">
          <p>Devices can connect with identities it signs once your Device Management account trusts it.</p>
          <div className="checkbox-field">
            <input id={firstToClaimId} type="checkbox" checked={firstToClaim} onChange={(e) => setFirstToClaim(e.target.checked)} />
            <label htmlFor={firstToClaimId}>Also for First-to-Claim enrollment</label>
          </div>
          <div className="row">
            <button type="button" className="primary" disabled={busy} onClick={() => void trustNow()} data-autofocus="">
              {busy ? 'Trusting…' : 'Trust in my account'}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="field-error wizard-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
