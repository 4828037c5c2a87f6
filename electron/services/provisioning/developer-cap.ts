import type { AuditEntry } from '../../../shared/contract/history';
import type { DeviceRef } from '../../../shared/contract/provisioning';
import type { IdentityDevice } from '../../../shared/contract/identities';
import { identityDeviceOf, identityDeviceOfAudit } from '../identities/identity-rules';
import { sameDevice } from '../identities/identity-store';

/** Device Management treats a developer certificate as one shared development identity for up to this many devices. */
export const DEVELOPER_CERTIFICATE_CAP = 100;

type DeveloperCertificate = { name: string; fingerprint?: string };

/** The devices the audit trail says earlier runs gave this certificate, once each. Matched by fingerprint (the name may have been reused). */
function earlierHolders(audit: readonly AuditEntry[], cert: DeveloperCertificate): IdentityDevice[] {
  const same = (e: AuditEntry) =>
    !e.identity && e.result === 'passed' && (cert.fingerprint ? e.devCert.fingerprint === cert.fingerprint : e.devCert.name === cert.name);
  const holders: IdentityDevice[] = [];
  for (const e of audit.filter(same)) {
    const d = identityDeviceOfAudit(e);
    if (!holders.some((h) => sameDevice(h, d))) holders.push(d);
  }
  return holders;
}

/** How many devices would hold this developer certificate after the run: earlier runs' plus the run's devices not among them. */
export function developerCertificateReach(audit: readonly AuditEntry[], cert: DeveloperCertificate, refs: readonly DeviceRef[]): number {
  const holders = earlierHolders(audit, cert);
  const added = refs.map(identityDeviceOf).filter((d) => !holders.some((h) => sameDevice(h, d)));
  return holders.length + added.length;
}

/**
 * For a run whose devices arrive one by one (`--all`): counts them on top of earlier runs' and answers the cap
 * warning once, for the device that takes the certificate past the cap, so it is said then and not when the run ends.
 */
export function developerCapCounter(audit: readonly AuditEntry[], cert: DeveloperCertificate): { add(ref: DeviceRef): string | undefined } {
  const holders = earlierHolders(audit, cert);
  let warned = holders.length > DEVELOPER_CERTIFICATE_CAP; // said when the run started
  return {
    add(ref) {
      const d = identityDeviceOf(ref);
      if (holders.some((h) => sameDevice(h, d))) return undefined;
      holders.push(d);
      if (warned || holders.length <= DEVELOPER_CERTIFICATE_CAP) return undefined;
      warned = true;
      return developerCapWarning(holders.length, cert.name);
    },
  };
}

/** The warning for a run that takes a developer certificate past its cap, or undefined. */
export function developerCapWarning(reach: number, certName: string): string | undefined {
  if (reach <= DEVELOPER_CERTIFICATE_CAP) return undefined;
  return `this run puts the developer certificate "${certName}" on ${reach} devices (counting earlier runs): Device Management treats it as one shared development identity for up to ${DEVELOPER_CERTIFICATE_CAP} devices; give the devices their own identities instead (\`pws provision --ca CA_NAME …\`, or "Own identity per device" in the app)`;
}
