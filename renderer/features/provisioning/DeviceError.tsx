import { useState } from 'react';
import type { DeviceRunSnapshot } from '../../../shared/contract/provisioning';
import { useNotifications } from '../../app/notifications-store';
import { useProvisioningStore } from './provisioning-store';
import { hostKeyFingerprints } from './run-view';

/** Short titles for each failure; the message from the core (which says what to do) follows. */
const titles: Record<string, string> = {
  unreachable: 'Unreachable',
  'auth-refused': 'Login refused',
  'host-key-changed': 'Host key changed',
  'utility-missing': 'Provisioning utility missing',
  'utility-failed': 'Provisioning utility failed',
  'verify-failed': 'Verification failed',
  'disk-full': 'Disk full',
  'upload-failed': 'Upload failed',
  'connection-lost': 'Connection lost',
  'stage-timeout': 'Timed out',
  cancelled: 'Cancelled',
  'certificate-missing': 'Certificate missing',
  'certificate-invalid': 'Certificate invalid',
  'certificate-expired': 'Certificate expired',
  'device-busy': 'Device busy',
  'invalid-address': 'Invalid address',
};

export function DeviceError({ device, label }: { device: DeviceRunSnapshot; label: string }) {
  const forget = useProvisioningStore((s) => s.forgetHostKey);
  const notify = useNotifications((s) => s.notify);
  const [forgotten, setForgotten] = useState(false);
  if (!device.error) return null;
  const { code, message } = device.error;
  const fingerprints = code === 'host-key-changed' ? hostKeyFingerprints(message) : null;
  return (
    <div className={`device-error${code === 'cancelled' ? ' cancelled' : ''}`}>
      <strong>{titles[code] ?? code}</strong> <span className="error-code mono">({code})</span>
      <p className="error-message">{message}</p>
      {code === 'host-key-changed' && (
        <div className="host-key">
          {fingerprints && (
            <dl>
              <dt>Pinned key</dt>
              <dd className="mono">{fingerprints.pinned}</dd>
              <dt>Key the device presents now</dt>
              <dd className="mono">{fingerprints.presented}</dd>
            </dl>
          )}
          <button
            type="button"
            disabled={forgotten}
            onClick={() =>
              void forget(device.hostname ?? device.address).then((e) => {
                if (e) notify('error', e);
                else setForgotten(true);
              })
            }
          >
            {forgotten ? 'Key forgotten: retry to pin the new one' : `Forget this device's key (${label})`}
          </button>
        </div>
      )}
    </div>
  );
}
