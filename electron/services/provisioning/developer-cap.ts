import type { AuditEntry } from '../../../shared/contract/history';
import type { DeviceRef } from '../../../shared/contract/provisioning';
import type { IdentityDevice } from '../../../shared/contract/identities';
import { identityDeviceOf, identityDeviceOfAudit } from '../identities/identity-rules';
import { sameDevice } from '../identities/identity-store';

/** Device Management treats a developer certificate as one shared development identity for up to this many devices. */
export const DEVELOPER_CERTIFICATE_CAP = 100;

/**
 * How many devices would hold this developer certificate after the run: those the audit trail says were given it
 * (earlier runs), plus the run's devices not among them. Matched by fingerprint (the name may have been reused).
 */
export function developerCertificateReach(audit: readonly AuditEntry[], cert: { name: string; fingerprint?: string }, refs: readonly DeviceRef[]): number {
  const same = (e: AuditEntry) =>
    !e.identity && e.result === 'passed' && (cert.fingerprint ? e.devCert.fingerprint === cert.fingerprint : e.devCert.name === cert.name);
  const holders: IdentityDevice[] = [];
  for (const e of audit.filter(same)) {
    const d = identityDeviceOfAudit(e);
    if (!holders.some((h) => sameDevice(h, d))) holders.push(d);
  }
  const added = refs.map(identityDeviceOf).filter((d) => !holders.some((h) => sameDevice(h, d)));
  return holders.length + added.length;
}

/** The warning for a run that takes a developer certificate past its cap, or undefined. */
export function developerCapWarning(reach: number, certName: string): string | undefined {
  if (reach <= DEVELOPER_CERTIFICATE_CAP) return undefined;
  return `this run puts the developer certificate "${certName}" on ${reach} devices (counting earlier runs): Device Management treats it as one shared development identity for up to ${DEVELOPER_CERTIFICATE_CAP} devices; give the devices their own identities instead (\`pws provision --ca CA_NAME …\`, or "Own identity per device" in the app)`;
}
