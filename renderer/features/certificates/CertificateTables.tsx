import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { expiryOf, type Expiry } from '../../../shared/domain/expiry';
import { expiryLabel, formatDate, groupedFingerprint, shortFingerprint } from './certificate-expiry';
import { DeleteCertificateDialog } from './DeleteCertificateDialog';
import { sentence } from '../../app/sentence';
import { useNotifications } from '../../app/notifications-store';
import { useTeamStore, type TeamCertificate } from '../../app/team-store';
import { plural } from '../../app/format';
import { useNow } from '../../app/use-now';

const KIND_LABEL: Record<TeamCertificate['kind'], string> = { developer: 'Developer', update: 'Update' };

function ExpiryBadge({ state }: { state: Expiry }) {
  if (state.kind === 'ok') return <span className="badge badge-ok">{expiryLabel(state)}</span>;
  if (state.kind === 'unknown') return <span className="badge badge-muted">{expiryLabel(state)}</span>;
  return (
    <span className={`badge ${state.kind === 'expired' ? 'badge-danger' : 'badge-warn'}`}>
      <span aria-hidden="true">{state.kind === 'expired' ? '✕ ' : '⚠ '}</span>
      {expiryLabel(state)}
    </span>
  );
}

/** A developer certificate that is only in the cloud can be copied into the Team Store. */
function FetchButton({ name }: { name: string }) {
  const fetchDeveloper = useTeamStore((s) => s.fetchDeveloper);
  const notify = useNotifications((s) => s.notify);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    const failure = await fetchDeveloper(name);
    setBusy(false);
    if (failure) notify('error', sentence(failure.message) ?? failure.message);
    else notify('success', `Developer certificate ${name} copied into the Team Store`);
  };
  return (
    // The visible words come first in the name (WCAG 2.5.3), so a speech user can say what they see.
    <button type="button" aria-label={busy ? undefined : `No: copy to Team Store (${name})`} disabled={busy} onClick={() => void run()}>
      {busy ? 'Copying…' : 'No: copy to Team Store'}
    </button>
  );
}

/** The Team Store's certificates, then the account's developer certificates in the cloud. */
export function CertificateTables() {
  const { teamStore, team, cloud, cloudNote, loading, listError } = useTeamStore(
    useShallow((s) => ({ teamStore: s.teamStore, team: s.team, cloud: s.cloud, cloudNote: s.cloudNote, loading: s.loading, listError: s.listError })),
  );
  const [deleting, setDeleting] = useState<TeamCertificate | null>(null);
  const now = new Date(useNow(60_000));
  const flagged = team.map((c) => expiryOf(c.notAfter, now)).filter((s) => s.kind === 'expired' || s.kind === 'expiring');

  return (
    <>
      <h2 id="team-store-title" tabIndex={-1}>
        Team Store
      </h2>
      {teamStore && (
        <p className="field-hint">
          Folder: <span className="mono">{teamStore}</span>
        </p>
      )}
      {listError && (
        <p className="field-error" role="alert">
          {sentence(listError)}
        </p>
      )}
      {flagged.length > 0 && (
        <p className="callout callout-warn" role="status">
          {flagged.length === 1 ? '1 certificate has expired or expires' : `${plural(flagged.length, 'certificate')} have expired or expire`} within 30 days:
          make new ones before devices need them.
        </p>
      )}
      {team.length === 0 ? (
        <p className="muted">
          {loading ? 'Loading certificates…' : 'No certificates yet: create a developer certificate or import an update certificate below.'}
        </p>
      ) : (
        <table aria-labelledby="team-store-title" className="cert-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Fingerprint (SHA-256)</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {team.map((c) => {
              const state = expiryOf(c.notAfter, now);
              return (
                <tr key={`${c.kind}:${c.name}`} className={state.kind === 'expired' ? 'row-expired' : state.kind === 'expiring' ? 'row-expiring' : undefined}>
                  <th scope="row">
                    {c.name}
                    {c.warnings.map((w) => (
                      <span key={w} className="cert-warning">
                        {w}
                      </span>
                    ))}
                  </th>
                  <td>{KIND_LABEL[c.kind]}</td>
                  <td className="mono" title={c.fingerprint ? groupedFingerprint(c.fingerprint) : undefined}>
                    {c.fingerprint ? shortFingerprint(c.fingerprint) : '—'}
                  </td>
                  <td>{formatDate(c.createdAt)}</td>
                  <td>{formatDate(c.notAfter)}</td>
                  <td>
                    <ExpiryBadge state={state} />
                  </td>
                  <td>
                    <button type="button" className="danger" aria-label={`Delete ${c.name}`} onClick={() => setDeleting(c)}>
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h2 id="cloud-title">In the cloud</h2>
      {cloudNote && <p className="muted">{sentence(cloudNote)}</p>}
      {cloud && cloud.length === 0 && <p className="muted">No developer certificates in this account.</p>}
      {cloud && cloud.length > 0 && (
        <table aria-labelledby="cloud-title" className="cert-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">ID</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">In Team Store</th>
            </tr>
          </thead>
          <tbody>
            {cloud.map((c) => {
              const state = expiryOf(c.notAfter, now);
              return (
                <tr key={c.id} className={state.kind === 'expired' ? 'row-expired' : undefined}>
                  <th scope="row">{c.name}</th>
                  <td className="mono">{c.id}</td>
                  <td>{formatDate(c.createdAt)}</td>
                  <td>{formatDate(c.notAfter)}</td>
                  <td>
                    <ExpiryBadge state={state} />
                  </td>
                  <td>{c.inTeamStore ? 'Yes' : <FetchButton name={c.name} />}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {deleting && <DeleteCertificateDialog certificate={deleting} onClose={() => setDeleting(null)} />}
    </>
  );
}
