import type { DeviceRef } from '../../../shared/contract/provisioning';
import type { EnrollmentExport, IdentityFilter, IdentityRecord } from '../../../shared/contract/identities';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { AuditLog } from '../audit/audit-log';
import { enrollmentExport } from './enrollment-list';
import { identityDeviceOf } from './identity-rules';
import type { IdentityStore } from './identity-store';

/** The registry as the doors see it: list and show records, and export First-to-Claim enrollment lists. */
export interface IdentitiesService {
  readonly store: IdentityStore;
  list(filter: IdentityFilter): Promise<Result<IdentityRecord[]>>;
  /** Every record of one endpoint name, newest first. */
  show(endpointName: string): Promise<Result<IdentityRecord[]>>;
  /** By run, date or station (a filter), or by the devices named (each must hold a confirmed identity). */
  exportEnrollment(selection: { filter?: IdentityFilter; devices?: DeviceRef[] }): Promise<Result<EnrollmentExport>>;
}

export function createIdentitiesService(deps: { store: IdentityStore; audit: AuditLog; clock: () => Date }): IdentitiesService {
  return {
    store: deps.store,
    list: (filter) => deps.store.list(filter),

    async show(endpointName) {
      const r = await deps.store.list({ endpointName });
      if (!r.ok) return r;
      if (r.value.length === 0)
        return fail(
          'identity-not-found',
          `no identity "${endpointName}" in the registry (${deps.store.location}): \`pws identities list\` shows what is there`,
        );
      return r;
    },

    async exportEnrollment({ filter = {}, devices }) {
      const records = await deps.store.list(devices ? { liveOnly: true } : { ...filter, liveOnly: true });
      if (!records.ok) return records;
      const audit = devices ? await deps.audit.list() : ok([]);
      if (!audit.ok) return audit;
      const list = enrollmentExport({ records: records.value, audit: audit.value, ...(devices ? { devices: devices.map(identityDeviceOf) } : {}) });
      return ok({ ...list, fileName: `enrollment-identities-${deps.clock().toISOString().replace(/[:.]/g, '-')}.csv` });
    },
  };
}
