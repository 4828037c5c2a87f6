import type { AuditEntry } from '../../../shared/contract/history';
import type { IdentityDevice, IdentityErrorCode, IdentityFilter, IdentityRecord } from '../../../shared/contract/identities';
import type { DeviceRef } from '../../../shared/contract/provisioning';
import { fail, type Failure } from '../../../shared/contract/result';
import { deviceKey } from '../../../shared/domain/devices';
import type { ReserveRequest } from './identity-store';

/** A device the run names (discovery id, host name, every address it is known by), as the registry compares it. */
export const identityDeviceOf = (ref: DeviceRef): IdentityDevice => ({
  id: deviceKey(ref),
  addresses: ref.addresses?.length ? ref.addresses : [ref.address],
  ...(ref.hostname ? { hostname: ref.hostname } : {}),
});

/** The device an audit entry names, as the registry compares it. */
export const identityDeviceOfAudit = (e: AuditEntry): IdentityDevice => ({
  id: e.device.name,
  addresses: e.device.addresses,
  ...(e.device.hostname ? { hostname: e.device.hostname } : {}),
  ...(e.hostKeyFingerprint ? { hostKeyFingerprint: e.hostKeyFingerprint } : {}),
});

const day = (iso: string | undefined) => iso?.slice(0, 10) ?? '?';

/** `mbed-linux-os-3 (169.254.20.3)`: how messages name a device. */
export const deviceLabel = (d: IdentityRecord['device']) => (d.hostname ? `${d.hostname}${d.addresses[0] ? ` (${d.addresses[0]})` : ''}` : d.id);

/**
 * Why a device that already has `current` may not get another identity under this request, or undefined when
 * it may (a bare reservation is resumed; a re-issue is allowed by the request's policy). Every store applies it.
 */
export function refusalFor(current: IdentityRecord, request: Pick<ReserveRequest, 'reissue'>): Failure<IdentityErrorCode> | undefined {
  if (current.state === 'reserved') return undefined;
  if (request.reissue === 'any') return undefined;
  if (request.reissue === 'unconfirmed' && current.state !== 'confirmed') return undefined;
  const status =
    current.state === 'confirmed'
      ? `confirmed on ${day(current.settledAt)}`
      : current.state === 'unconfirmed'
        ? `issued on ${day(current.issuedAt)} but never confirmed on the device (${current.reason ?? 'its status check failed'})`
        : `issued on ${day(current.issuedAt)} but never confirmed on the device (that run did not finish)`;
  return fail(
    'identity-exists',
    `${deviceLabel(current.device)} already holds the identity "${current.endpointName}" (${status}, run ${current.runId}): re-issue it to give the device a new certificate for the same endpoint name (\`pws provision --ca … --reissue\`, or Re-issue in the app)`,
    { record: current },
  );
}

/** The filter of `identities:list` / `pws identities list`, on one record. */
export function matchesFilter(r: IdentityRecord, f: IdentityFilter): boolean {
  if (f.liveOnly && r.supersededBy) return false;
  if (f.runId && r.runId !== f.runId) return false;
  if (f.endpointName && r.endpointName !== f.endpointName) return false;
  if (f.station && r.station.toLowerCase() !== f.station.toLowerCase()) return false;
  if (f.since && Date.parse(r.reservedAt) < Date.parse(f.since)) return false;
  if (f.until && Date.parse(r.reservedAt) >= Date.parse(f.until)) return false;
  if (f.device) {
    const q = f.device.toLowerCase();
    const hay = [r.device.id, r.device.hostname ?? '', ...r.device.addresses].map((s) => s.toLowerCase());
    if (!hay.some((h) => h.includes(q))) return false;
  }
  return true;
}
