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
  const action = 're-issue it to give the device a new certificate for the same endpoint name (`pws provision --ca … --reissue`, or Re-issue in the app)';
  const holds = `${deviceLabel(current.device)} already holds the identity "${current.endpointName}"`;
  const message =
    current.state === 'confirmed'
      ? `${holds} (confirmed on ${day(current.settledAt)}, run ${current.runId}): ${action}`
      : `${holds} (issued on ${day(current.issuedAt)} in run ${current.runId}, never confirmed on the device): ${action}. ` +
        `Why it was not confirmed: ${unconfirmedReason(current)}`;
  return fail('identity-exists', message, { record: current });
}

/**
 * The failure the device reported, without the device label it starts with (`host (address): …`, or the
 * address alone when the run was given one): the refusal names the device already, and a label inside a label's
 * parentheses is hard to read.
 */
function unconfirmedReason(r: IdentityRecord): string {
  if (r.state === 'issued') return 'that run did not finish';
  const reason = r.reason ?? 'its status check failed';
  const names = [r.device.hostname, r.device.id, ...r.device.addresses].filter((n): n is string => Boolean(n));
  const labelEnd = reason.indexOf(': ');
  return labelEnd > 0 && names.some((n) => reason.startsWith(n)) ? reason.slice(labelEnd + 2) : reason;
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
