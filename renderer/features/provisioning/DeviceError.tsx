import { useState } from 'react';
import type { DeviceRef, DeviceRunSnapshot } from '../../../shared/contract/provisioning';
import { ConfirmDialog } from '../../app/ConfirmDialog';
import { useNotifications } from '../../app/notifications-store';
import { useProvisioningStore } from './provisioning-store';
import { formatDateTime } from '../../app/format';

/** Short titles for each failure; the message from the core (which says what to do) follows. */
const titles: Record<string, string> = {
  unreachable: 'Unreachable',
  'auth-refused': 'Login refused',
  'host-key-changed': 'Host key changed',
  'host-key-unknown': 'Unknown host key',
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

/** The device as the core knows it: its id (when the run had one), hostname and address, so every pin identity matches. */
function refOf(d: DeviceRunSnapshot): DeviceRef {
  const id = /^(mdns|manual):/.test(d.device) ? { id: d.device } : {};
  return { address: d.address, ...id, ...(d.hostname ? { hostname: d.hostname } : {}) };
}

/**
 * With the key's facts listed below it, the screen says only what to do: the core's message repeats those facts
 * and names the CLI command, for the terminal and the audit trail.
 */
const hostKeyAdvice: Record<string, string> = {
  'host-key-changed':
    'The board presents a different host key from the one pinned for it. If the board was re-flashed, forget its key and retry; otherwise something else may be answering in its place: do not trust it.',
  'host-key-unknown':
    '"Strict host keys" is on and no pinned key vouches for this board. Trust its key only if it matches the one the board shows on its own console.',
};

export function DeviceError({ device, label }: { device: DeviceRunSnapshot; label: string }) {
  if (!device.error) return null;
  const { code, message } = device.error;
  const keyFacts = code in hostKeyAdvice && device.hostKey !== undefined;
  return (
    <div className={`device-error${code === 'cancelled' ? ' cancelled' : ''}`}>
      <strong>{titles[code] ?? code}</strong> <span className="error-code mono">({code})</span>
      <p className="error-message">{keyFacts ? hostKeyAdvice[code] : message}</p>
      {keyFacts && <HostKeyActions device={device} label={label} />}
    </div>
  );
}

/** Both fingerprints, where the old one was pinned, and the one action that fits: forget the pin, or trust the new key. */
function HostKeyActions({ device, label }: { device: DeviceRunSnapshot; label: string }) {
  const forgetHostKey = useProvisioningStore((s) => s.forgetHostKey);
  const trustHostKey = useProvisioningStore((s) => s.trustHostKey);
  const notify = useNotifications((s) => s.notify);
  const [asking, setAsking] = useState(false);
  const [done, setDone] = useState(false);
  const key = device.hostKey!;
  const changed = device.error?.code === 'host-key-changed';
  return (
    <div className="host-key">
      <dl>
        {key.pinned && (
          <>
            <dt>Pinned key</dt>
            <dd className="mono">{key.pinned}</dd>
            <dt>Pinned under</dt>
            <dd>
              {key.pinnedUnder}
              {key.pinnedAt ? `, ${formatDateTime(key.pinnedAt)}` : ''}
            </dd>
          </>
        )}
        <dt>Key the device presents now</dt>
        <dd className="mono">
          {key.keyType} {key.presented}
        </dd>
      </dl>
      {/* aria-disabled, not disabled: the dialog hands focus back to this button, and a disabled one would drop it on the page. */}
      <button type="button" aria-disabled={done || undefined} onClick={() => !done && setAsking(true)}>
        {done
          ? changed
            ? 'Key forgotten: retry to pin the new one'
            : 'Key trusted: retry to provision'
          : changed
            ? `Forget this device's key (${label})`
            : `Trust this key (${label})`}
      </button>
      {asking && (
        <ConfirmDialog
          title={changed ? `Forget the host key of ${label}?` : `Trust this host key for ${label}?`}
          confirmLabel={changed ? 'Forget the key' : 'Trust the key'}
          busyLabel={changed ? 'Forgetting…' : 'Trusting…'}
          onConfirm={async () => {
            const failure = await (changed ? forgetHostKey(refOf(device)) : trustHostKey(refOf(device), key.presented, key.keyType));
            return failure?.message ?? null;
          }}
          onDone={() => {
            setAsking(false);
            setDone(true);
            notify(
              'success',
              changed
                ? `Forgot the host key of ${label} under every name and address it was seen with: the next connection pins the new one.`
                : `Trusted ${key.presented} for ${label}: retry to provision it.`,
            );
          }}
          onClose={() => setAsking(false)}
        >
          {changed ? (
            <p>
              The pin is removed under every name and address this board was seen with, and the next connection trusts whatever key it presents. Do this only if
              the board was re-flashed; otherwise something else may be answering in its place.
            </p>
          ) : (
            <p>
              Trust <span className="mono">{key.presented}</span> only if it matches the fingerprint the board shows on its own console (
              <span className="mono">ssh-keygen -lf</span> of its host key).
            </p>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}
