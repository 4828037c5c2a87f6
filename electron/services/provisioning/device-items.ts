import type { IdentityDevice, IdentityErrorCode } from '../../../shared/contract/identities';
import type { CertificateRef, DeviceRef, ProvisioningErrorCode } from '../../../shared/contract/provisioning';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { templateNeedsHostname } from '../../../shared/domain/endpoint-name';
import { identityDeviceOf } from '../identities/identity-rules';
import type { ReissuePolicy } from '../identities/identity-store';
import type { IssuedItems } from '../identities/own-identity';
import type { CertificateBundle, DeviceCertificates, DeviceOutcome } from './engine';

/** Own identity per device for a run: the CA, how names are made, and the call that issues one. */
export interface OwnIdentities {
  ca: CertificateRef;
  endpointTemplate: string;
  reissue: ReissuePolicy;
  /** Reserve, sign in memory, record (identities/own-identity.ts). */
  issue(device: IdentityDevice, run: { runId: string; reissue: ReissuePolicy }): Promise<Result<IssuedItems, IdentityErrorCode>>;
}

export interface RunCertificates {
  /** The developer certificate every device shares; with `identity`, the one whose account settings the identities use. */
  dev: CertificateBundle;
  update: CertificateBundle;
  identity?: OwnIdentities;
}

const DEVICE_CODES: Partial<Record<IdentityErrorCode, ProvisioningErrorCode>> = {
  'identity-exists': 'identity-exists',
  'endpoint-name-taken': 'endpoint-name-taken',
  'endpoint-name-invalid': 'endpoint-name-invalid',
};

export interface DeviceItems {
  certificates: DeviceCertificates;
  /** After the device step: an own identity is recorded as confirmed (its status check passed) or not, with why. */
  settle(outcome: DeviceOutcome): Promise<Result<void>>;
}

/**
 * The one place where what a device gets is decided: the shared developer certificate's files, or (with a CA)
 * the device's own identity, issued once the device is connected and before anything is staged on it.
 */
export function itemsForDevice(
  certs: RunCertificates,
  ref: DeviceRef,
  run: { runId: string },
  onIssued: (identity: { endpointName: string; enrollmentIdentity: string }) => void,
): DeviceItems {
  const own = certs.identity;
  if (!own) return { certificates: [certs.dev, certs.update], settle: async () => ok(undefined) };
  let issued: IssuedItems | undefined;
  return {
    async certificates(connected) {
      // Asking costs an SSH round trip: only when the endpoint name is to be made from it.
      const hostname = ref.hostname ?? (templateNeedsHostname(own.endpointTemplate) ? await connected.hostname() : undefined);
      const { hostKeyFingerprint } = connected;
      const device: IdentityDevice = { ...identityDeviceOf(ref), ...(hostKeyFingerprint ? { hostKeyFingerprint } : {}), ...(hostname ? { hostname } : {}) };
      const r = await own.issue(device, { runId: run.runId, reissue: own.reissue });
      if (!r.ok) return fail(DEVICE_CODES[r.code] ?? 'registry-unavailable', r.message);
      issued = r.value;
      onIssued({ endpointName: issued.endpointName, enrollmentIdentity: issued.enrollmentIdentity });
      return ok([{ name: `identity ${issued.endpointName}`, kind: 'developer', files: issued.files }, certs.update]);
    },
    async settle(outcome) {
      if (!issued) return ok(undefined);
      const confirmed = outcome.stages.some((s) => s.stage === 'verify' && s.ok);
      return issued.settle({
        confirmed,
        ...(confirmed ? {} : { reason: outcome.error?.message ?? 'the device step did not finish' }),
        ...(outcome.hostKeyFingerprint ? { hostKeyFingerprint: outcome.hostKeyFingerprint } : {}),
      });
    },
  };
}
