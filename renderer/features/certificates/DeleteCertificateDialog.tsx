import { useId, useState } from 'react';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { useNotifications } from '../../app/notifications-store';
import { useTeamStore, type TeamCertificate } from '../../app/team-store';
import { sentence } from '../../app/sentence';

/** Asks before deleting from the Team Store; a developer certificate may also be deleted in the cloud. */
export function DeleteCertificateDialog({ certificate, onClose }: { certificate: TeamCertificate; onClose: () => void }) {
  const remove = useTeamStore((s) => s.remove);
  const notify = useNotifications((s) => s.notify);
  const [alsoCloud, setAlsoCloud] = useState(false);
  const cloudId = useId();
  return (
    <ConfirmDialog
      title={`Delete ${certificate.name}?`}
      confirmLabel="Delete"
      busyLabel="Deleting…"
      onClose={onClose}
      onConfirm={async () => {
        const failure = await remove(certificate.name, alsoCloud);
        return failure ? (sentence(failure.message) ?? failure.message) : null;
      }}
      onDone={() => {
        notify('success', `Deleted ${certificate.name}${alsoCloud ? ' here and in the cloud' : ''}`);
        onClose();
        // Its row (and the button that opened this dialog) is gone: put focus somewhere that still exists.
        requestAnimationFrame(() => document.getElementById('team-store-title')?.focus());
      }}
    >
      <p>
        The {certificate.kind === 'developer' ? 'developer' : 'update'} certificate <strong>{certificate.name}</strong> is removed from the Team Store. Devices
        already provisioned with it keep working.
      </p>
      {certificate.kind === 'developer' && (
        <div className="checkbox-field">
          <input id={cloudId} type="checkbox" checked={alsoCloud} onChange={(e) => setAlsoCloud(e.target.checked)} />
          <label htmlFor={cloudId}>Also delete it in the cloud (devices using it can no longer connect)</label>
        </div>
      )}
    </ConfirmDialog>
  );
}
