import type { AuditEntry } from '../../../shared/contract/history';
import type { EnrollmentExport, IdentityDevice, IdentityRecord } from '../../../shared/contract/identities';
import { buildEnrollmentCsv } from '../../../shared/domain/enrollment';
import { deviceLabel, identityDeviceOfAudit } from './identity-rules';
import { sameDevice } from './identity-store';

/** What devices the user asked to export, and what the registry and the audit trail say about them. */
export interface EnrollmentSelection {
  /** Every live record the selection covers (by run, by date) or, per asked device, its live identity. */
  records: IdentityRecord[];
  /** Devices asked for by name or address: each must have a confirmed identity. */
  devices?: IdentityDevice[];
  /** The audit trail, newest first: why a device without an identity has none. */
  audit: readonly AuditEntry[];
}

/** Why a device has no identity to export: given a shared developer certificate, or never provisioned here. */
function missingReason(device: IdentityDevice, audit: readonly AuditEntry[]): string {
  const dev = audit.find((e) => e.result === 'passed' && e.devCert.name && sameDevice(identityDeviceOfAudit(e), device));
  const name = device.hostname ?? device.id;
  if (dev) {
    return `${name} was provisioned with the developer certificate "${dev.devCert.name}" (one identity shared by every device it is on): Device Management does not accept First-to-Claim for developer credentials; give the device its own identity with \`pws provision --ca CA_NAME …\``;
  }
  return `${name} has no identity in the registry: provision it with its own identity first (\`pws provision --ca CA_NAME …\`)`;
}

/**
 * The First-to-Claim CSV (compat-formats §4) for a selection of registry records: each confirmed identity once.
 * An identity never confirmed on its device, a device asked for that has none, or one given a developer
 * certificate, is listed under `refused` with the reason.
 */
export function enrollmentExport(selection: EnrollmentSelection): Omit<EnrollmentExport, 'fileName'> {
  const refused: EnrollmentExport['refused'] = [];
  const chosen: IdentityRecord[] = [];
  const consider = (r: IdentityRecord) => {
    if (r.state === 'confirmed' && r.certificate) chosen.push(r);
    else
      refused.push({
        device: deviceLabel(r.device),
        endpointName: r.endpointName,
        reason: `its identity "${r.endpointName}" was never confirmed on the device (${r.state}): re-issue it (\`pws provision --ca … --reissue\`) before enrolling it`,
      });
  };
  if (selection.devices) {
    for (const d of selection.devices) {
      const live = selection.records.filter((r) => !r.supersededBy && sameDevice(r.device, d));
      if (live.length === 0) refused.push({ device: d.hostname ?? d.id, reason: missingReason(d, selection.audit) });
      live.forEach(consider);
    }
  } else selection.records.filter((r) => !r.supersededBy).forEach(consider);

  const identities = [...new Map(chosen.map((r) => [r.certificate!.enrollmentIdentity, r])).values()];
  return {
    csv: buildEnrollmentCsv(identities.map((r) => r.certificate!.enrollmentIdentity)),
    identities: identities.map((r) => ({ device: deviceLabel(r.device), endpointName: r.endpointName, enrollmentIdentity: r.certificate!.enrollmentIdentity })),
    refused,
  };
}
