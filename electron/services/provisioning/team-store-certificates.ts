import { fail, ok } from '../../../shared/contract/result';
import type { StoresService } from '../stores/stores-service';
import type { CertificateSource } from './engine';

/**
 * Provisioning's view of the Team Store, through the stores service (which also copes with mbl-cli 2.0's own
 * stores). Read-only: provisioning never writes the Team Store. Resolved once per run.
 */
export function createTeamStoreCertificateSource(stores: Pick<StoresService, 'read' | 'list'>): CertificateSource {
  return {
    async read(name, expected) {
      const bins = await stores.read(name, expected);
      if (!bins.ok) return bins;
      if (bins.value.problem) return fail('certificate-invalid', `certificate "${name}" can't be provisioned: ${bins.value.problem}`);
      const { kind, files, fingerprint, notAfter } = bins.value;
      return ok({ name, kind, files, ...(fingerprint ? { fingerprint } : {}), ...(notAfter ? { notAfter } : {}) });
    },
    async developerNames() {
      const listed = await stores.list();
      return listed.ok ? ok(listed.value.filter((c) => c.kind === 'developer').map((c) => c.name)) : listed;
    },
  };
}
