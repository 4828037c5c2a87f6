import type { Settings } from '../../../shared/contract/settings';
import { createAuditLog, type AuditLog } from '../audit/audit-log';
import type { EventHub } from '../events';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/settings-service';
import { createSshConnector } from '../ssh/connection';
import { createKnownHostsStore } from '../ssh/known-hosts';
import { createProvisioningService, type CertificateSource, type ProvisioningService, type ProvisioningServiceDeps } from './provisioning-service';
import { MBL_PROFILE, lockDirFor } from './device-profile';
import { createRunJournal } from './run-journal';
import { createTeamStoreCertificateSource } from './team-store-certificates';

/** Builds the SSH connector, the audit log and the provisioning service from the core's dependencies. */
export function createProvisioningFeature(
  deps: { home: string; dataDir: string; clock: () => Date; log: Logger; door: ProvisioningServiceDeps['door'] },
  events: EventHub,
  settings: () => SettingsService,
  overrides: Partial<Pick<ProvisioningServiceDeps, 'timeouts' | 'onStage' | 'throttleMs' | 'ownIdentity'>> & { certificates?: CertificateSource } = {},
): { provisioning: ProvisioningService; audit: AuditLog } {
  const setting = async <K extends 'concurrency' | 'sshKeyPath' | 'strictHostKeys'>(key: K, fallback: Settings[K]): Promise<Settings[K]> => {
    const r = await settings().get();
    return r.ok ? r.value[key] : fallback;
  };
  const connector = createSshConnector({
    home: deps.home,
    knownHosts: createKnownHostsStore(deps.dataDir),
    sshKeyPath: () => setting('sshKeyPath', ''),
    strictHostKeys: () => setting('strictHostKeys', false),
    clock: deps.clock,
    log: deps.log,
  });
  const audit = createAuditLog(deps.dataDir, deps.clock);
  const profile = MBL_PROFILE;
  const provisioning = createProvisioningService({
    connector,
    certificates: overrides.certificates ?? createTeamStoreCertificateSource(deps.home),
    audit,
    events,
    concurrency: () => setting('concurrency', 8),
    clock: deps.clock,
    log: deps.log,
    door: deps.door,
    profile,
    journal: createRunJournal(deps.dataDir, { certsDir: profile.certsDir, lockDir: lockDirFor(profile) }, deps.clock),
    ...overrides,
  });
  return { provisioning, audit };
}
