import { useId, useState } from 'react';
import { Dialog } from '../../app/Dialog';
import { sentence } from '../../app/sentence';
import { useCaStore, type CaTrusted, type CertificateAuthority } from '../../app/ca-store';
import { formatDate } from './certificate-expiry';

/** The cloud's answer to "trust this CA", as a short list. */
export function TrustAnswer({ trusted }: { trusted: CaTrusted }) {
  const c = trusted.cloud;
  const uses = `bootstrap${c.firstToClaim ? ' and First-to-Claim enrollment' : ''}`;
  return (
    <div role="status">
      <p className="callout callout-ok">
        {trusted.outcome === 'added' ? 'Your account now trusts' : 'Your account already trusted'} <strong>{trusted.authority.name}</strong>
        {trusted.outcome === 'first-to-claim-turned-on' ? ' for bootstrap; First-to-Claim enrollment is now turned on for it' : ` for ${uses}`}: devices with an
        identity it signed can connect.
      </p>
      <dl className="review-list" aria-label="Device Management's answer">
        <dt>Trusted certificate ID</dt>
        <dd className="mono">{c.id}</dd>
        <dt>Name</dt>
        <dd>{c.name}</dd>
        <dt>Service</dt>
        <dd>{c.service}</dd>
        <dt>Status</dt>
        <dd>{c.status ?? '—'}</dd>
        <dt>Subject</dt>
        <dd className="mono">{c.subject}</dd>
        <dt>Valid until</dt>
        <dd>{formatDate(c.validity)}</dd>
      </dl>
    </div>
  );
}

/**
 * "Trust in my account": POST /v3/trusted-certificates for a CA, then the cloud's answer. For a CA the account
 * trusts already without First-to-Claim, the same request turns First-to-Claim on (`firstToClaimOnly`).
 */
export function TrustCaDialog({
  authority,
  firstToClaimOnly = false,
  onClose,
}: {
  authority: CertificateAuthority;
  firstToClaimOnly?: boolean;
  onClose: () => void;
}) {
  const trust = useCaStore((s) => s.trust);
  const [firstToClaim, setFirstToClaim] = useState(firstToClaimOnly);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState<CaTrusted | null>(null);
  const ftcId = useId();
  const submit = async () => {
    setBusy(true);
    const r = await trust(authority.name, firstToClaim);
    setBusy(false);
    if (r.ok) setAnswer(r.value);
    else setError(sentence(r.message) ?? r.message);
  };
  return (
    <Dialog
      title={firstToClaimOnly ? `Turn on First-to-Claim for ${authority.name}` : `Trust ${authority.name} in your account`}
      onClose={onClose}
      actions={
        answer ? (
          <button type="button" className="primary" onClick={onClose} autoFocus>
            Close
          </button>
        ) : (
          <>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="primary" disabled={busy} onClick={() => void submit()} autoFocus>
              {firstToClaimOnly ? (busy ? 'Turning on…' : 'Turn on First-to-Claim') : busy ? 'Trusting…' : 'Trust in my account'}
            </button>
          </>
        )
      }
    >
      {answer ? (
        <TrustAnswer trusted={answer} />
      ) : (
        <>
          {firstToClaimOnly ? (
            <p>
              Your account trusts this CA for bootstrap already. Turning on First-to-Claim lets devices with an identity it signed be enrolled with
              First-to-Claim too (the trusted certificate's enrollment mode).
            </p>
          ) : (
            <p>
              Uploads the CA's certificate (never its key) to Device Management as a trusted certificate for the bootstrap service. Devices whose bootstrap
              certificate this CA signed can then connect.
            </p>
          )}
          <p className="mono field-hint">{authority.subject}</p>
          {!firstToClaimOnly && (
            <div className="checkbox-field">
              <input id={ftcId} type="checkbox" checked={firstToClaim} onChange={(e) => setFirstToClaim(e.target.checked)} />
              <label htmlFor={ftcId}>Also for First-to-Claim enrollment (enrollment mode)</label>
            </div>
          )}
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </Dialog>
  );
}
