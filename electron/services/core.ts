import { homedir } from 'node:os';
import type { Door } from '../../shared/contract/app';
import type { AppService } from './app-service';
import type { AuditLog } from './audit/audit-log';
import type { TeamStoreService } from './certificates/team-store-service';
import type { CloudClient } from './cloud/client';
import type { CredentialsService } from './credentials/credentials-service';
import type { DatabaseService } from './database/database-service';
import type { DiscoveryService } from './discovery/discovery-service';
import type { EnrollmentService } from './enrollment/enrollment-service';
import type { EventHub } from './events';
import type { KeychainService } from './keychain/keychain-service';
import type { SecretBackend } from './keychain/secret-backend';
import { silentLogger, type Logger } from './log';
import { defaultDataDir } from './paths';
import type { IdentitiesService } from './identities/identities-service';
import type { CaService } from './pki/ca-service';
import type { PkiService } from './pki/pki-service';
import type { CertificateSource, ProvisioningService, ProvisioningServiceDeps } from './provisioning/provisioning-service';
import type { Router } from './router';
import type { SettingsService } from './settings/settings-service';
import type { SshConnector } from './ssh/connection';
import type { StoresService } from './stores/stores-service';

/**
 * The core's shape, for the doors (IPC adapter, web host, CLI) and the routes: what goes in (`CoreDeps`), what
 * comes out (`Core` and its `Services`). `composition.ts` builds it; this module only describes it, so a routes
 * file or a door depends on the description and never on the composition root (no import cycle), and a door can
 * make one service from `defaultCoreDeps` without loading the others.
 */

/**
 * Everything the core needs from the outside world, injected so that tests and the CLI can point the
 * services at real lab parts (a temporary HOME, the lab's devices, the cloud emulator, a test keyring).
 */
export interface CoreDeps {
  /** HOME: mbl-cli's files (`~/.mbl-stores.json`, `~/.mbl-dev.json`) and `~/.ssh` live under it. */
  home: string;
  /** App-data folder: settings, known hosts, audit log. */
  dataDir: string;
  env: NodeJS.ProcessEnv;
  clock: () => Date;
  log: Logger;
  appVersion: string;
  door: Door;
}

export function defaultCoreDeps(overrides: Partial<CoreDeps> = {}): CoreDeps {
  const env = overrides.env ?? process.env;
  const home = overrides.home ?? env.HOME ?? homedir();
  return {
    home,
    dataDir: overrides.dataDir ?? defaultDataDir(env, process.platform, home),
    env,
    clock: () => new Date(),
    log: silentLogger,
    appVersion: '0.0.0',
    door: 'test',
    ...overrides,
  };
}

/** Parts a test swaps for an in-memory or fault-injecting one; the app never passes any. */
export interface CoreSeams {
  /** The OS keychain's backend (default: keytar). */
  secretBackend?: () => Promise<SecretBackend>;
  /** Where an API key meets the network (default: the Device Management client). */
  cloudClientFactory?: (baseUrl: string, apiKey: string) => CloudClient;
  /** Sees the SSH connector the core builds, and may wrap it (tests and the bench count its connections). */
  sshConnector?: (connector: SshConnector) => SshConnector;
  /** Short timeouts and lab fault hooks for the provisioning runner, or another certificate source. */
  provisioning?: Partial<Pick<ProvisioningServiceDeps, 'timeouts' | 'onStage' | 'throttleMs'>> & { certificates?: CertificateSource };
}

/**
 * One service per contract feature (docs/architecture.md lists which routes file serves which channels), plus the
 * shared infrastructure they are built on.
 */
export interface Services {
  /** `app:*` */
  app: AppService;
  /** `settings:*` */
  settings: SettingsService;
  /** `devices:*` except `devices:probe-status` */
  discovery: DiscoveryService;
  /** `certificates:wizard-*`, and `pws init` */
  pki: PkiService;
  /** `certificates:*` other than the wizard: the Team Store and the cloud's developer certificates */
  teamStore: TeamStoreService;
  /** `credentials:*`: the API key */
  credentials: CredentialsService;
  /** `provisioning:*` and `devices:probe-status` */
  provisioning: ProvisioningService;
  /** `history:*` */
  audit: AuditLog;
  /** `pws enroll upload` (no channel yet) */
  enrollment: EnrollmentService;
  /** `ca:*`: the own CAs, and signing for own identities */
  ca: CaService;
  /** `identities:*`: the identity registry and enrollment lists from it */
  identities: IdentitiesService;
  /** `database:*`: which store history lives in, and the shared database's status, migrations, import */
  database: DatabaseService;
  keychain: KeychainService<CloudClient>;
  stores: StoresService;
}

export interface Core {
  deps: CoreDeps;
  events: EventHub;
  services: Services;
  router: Router;
  /** Stops background work (discovery browsers, runs) so a process can exit. Safe to call again: it answers the same close. */
  close(): Promise<void>;
}
