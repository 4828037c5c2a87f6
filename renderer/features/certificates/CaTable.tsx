import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { useNotifications } from '../../app/notifications-store';
import { sentence } from '../../app/sentence';
import { useCaStore, type CertificateAuthority } from '../../app/ca-store';
import { useCertificatesStore } from './certificates-store';
import { formatDate, groupedFingerprint, shortFingerprint } from './certificate-expiry';
import { ImportCaDialog } from './ImportCaDialog';
import { TrustCaDialog } from './TrustCaDialog';

function TrustBadge({ trust }: { trust: CertificateAuthority['trust'] }) {
  if (trust.state === 'trusted') return <span className="badge badge-ok">Trusted{trust.firstToClaim ? ' (First-to-Claim)' : ''}</span>;
  if (trust.state === 'not-trusted') return <span className="badge badge-warn">Not trusted</span>;
  return <span className="badge badge-muted">Unknown</span>;
}

/** Certificates → Certificate authorities: the own CAs that sign each device's identity. */
export function CaTable() {
  const { authorities, cloudNote, loaded, error, load, remove } = useCaStore(
    useShallow((s) => ({ authorities: s.authorities, cloudNote: s.cloudNote, loaded: s.loaded, error: s.error, load: s.load, remove: s.remove })),
  );
  const openCaWizard = useCertificatesStore((s) => s.openCaWizard);
  const notify = useNotifications((s) => s.notify);
  const [trusting, setTrusting] = useState<{ authority: CertificateAuthority; firstToClaimOnly: boolean } | null>(null);
  const [deleting, setDeleting] = useState<CertificateAuthority | null>(null);
  const [importing, setImporting] = useState(false);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="ca-title" className="ca-section">
      <h2 id="ca-title" tabIndex={-1}>
        Certificate authorities
      </h2>
      <p className="field-hint">
        Your own CA signs a bootstrap certificate for each device (production credentials, First-to-Claim). Its key stays in the Team Store, readable only by
        you.
      </p>
      {error && (
        <p className="field-error" role="alert">
          {sentence(error)}
        </p>
      )}
      {cloudNote && <p className="muted">{sentence(cloudNote)}</p>}
      {authorities.length === 0 ? (
        <p className="muted">{loaded ? 'No CA yet: create one, or import the one your company uses.' : 'Loading…'}</p>
      ) : (
        <table aria-labelledby="ca-title" className="cert-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Subject</th>
              <th scope="col">Fingerprint (SHA-256)</th>
              <th scope="col">Expires</th>
              <th scope="col">In my account</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {authorities.map((a) => (
              <tr key={a.name}>
                <th scope="row">{a.name}</th>
                <td className="mono">{a.subject}</td>
                <td className="mono" title={groupedFingerprint(a.fingerprint)}>
                  {shortFingerprint(a.fingerprint)}
                </td>
                <td>{formatDate(a.notAfter)}</td>
                <td>
                  <TrustBadge trust={a.trust} />
                </td>
                <td className="row">
                  {a.trust.state !== 'trusted' && (
                    <button type="button" aria-label={`Trust in my account: ${a.name}`} onClick={() => setTrusting({ authority: a, firstToClaimOnly: false })}>
                      Trust in my account
                    </button>
                  )}
                  {a.trust.state === 'trusted' && !a.trust.firstToClaim && (
                    <button
                      type="button"
                      aria-label={`Turn on First-to-Claim: ${a.name}`}
                      onClick={() => setTrusting({ authority: a, firstToClaimOnly: true })}
                    >
                      Turn on First-to-Claim
                    </button>
                  )}
                  <button type="button" className="danger" aria-label={`Delete CA ${a.name}`} onClick={() => setDeleting(a)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="row">
        <button type="button" className="primary" onClick={openCaWizard}>
          New CA
        </button>
        <button type="button" onClick={() => setImporting(true)}>
          Import CA…
        </button>
      </div>
      {trusting && <TrustCaDialog {...trusting} onClose={() => setTrusting(null)} />}
      {importing && <ImportCaDialog onClose={() => setImporting(false)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete CA ${deleting.name}?`}
          confirmLabel="Delete CA"
          busyLabel="Deleting…"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const failure = await remove(deleting.name);
            return failure ? (sentence(failure.message) ?? failure.message) : null;
          }}
          onDone={() => {
            notify('success', `Deleted the CA ${deleting.name}`);
            setDeleting(null);
            requestAnimationFrame(() => document.getElementById('ca-title')?.focus());
          }}
        >
          <p>
            The CA <strong>{deleting.name}</strong> and its private key are removed from the Team Store: no more identities can be issued from it. Devices that
            already have one keep working while your account trusts the CA.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
