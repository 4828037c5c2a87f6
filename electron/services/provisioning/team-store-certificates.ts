import { fail, ok } from '../../../shared/contract/result';
import { listTeamCertificates, readCertificateBins, resolveStorePaths } from '../stores/index';
import type { CertificateSource } from './provisioning-service';

/**
 * Provisioning's view of the Team Store: the stores service's reader (it also copes with mbl-cli 2.0's own
 * stores). Read-only: provisioning never writes the Team Store. Resolved once per run.
 */
export function createTeamStoreCertificateSource(home: string): CertificateSource {
  return {
    async read(name) {
      const paths = await resolveStorePaths(home);
      if (!paths.ok) return paths;
      const bins = await readCertificateBins(paths.value.team, name);
      if (!bins.ok) return bins;
      if (bins.value.problem) return fail('certificate-invalid', `certificate "${name}" can't be provisioned: ${bins.value.problem}`);
      const { kind, files, fingerprint, notAfter } = bins.value;
      return ok({ name, kind, files, ...(fingerprint ? { fingerprint } : {}), ...(notAfter ? { notAfter } : {}) });
    },
    async developerNames() {
      const paths = await resolveStorePaths(home);
      if (!paths.ok) return paths;
      const listed = await listTeamCertificates(paths.value.team, new Date());
      return listed.ok ? ok(listed.value.filter((c) => c.kind === 'developer').map((c) => c.name)) : listed;
    },
  };
}
