import { homedir } from 'node:os';
import { EventHub } from './events';
import { silentLogger, type Logger } from './log';
import { defaultDataDir } from './paths';
import { Router } from './router';
import { createSettingsService, type SettingsService } from './settings/settings-service';
import { registerAppRoutes } from './app-routes';
import { registerSettingsRoutes } from './settings/settings-routes';
import { createDiscoveryService, type DiscoveryService } from './discovery/discovery-service';
import { registerDiscoveryRoutes } from './discovery/discovery-routes';
import { createPkiService, type PkiService } from './pki/pki-service';
import { registerPkiRoutes } from './pki/pki-routes';
import { createProvisioningFeature } from './provisioning/provisioning-feature';
import type { ProvisioningService } from './provisioning/provisioning-service';
import type { AuditLog } from './audit/audit-log';
import { registerProvisioningRoutes } from './provisioning/provisioning-routes';
import { registerHistoryRoutes } from './audit/audit-routes';
import { createCredentialsFeature, registerCredentialsRoutes, type CredentialsService } from './credentials/index';
import type { KeychainService } from './keychain/index';
import type { StoresService } from './stores/index';
import type { CloudClient } from './cloud/index';

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
  door: 'electron' | 'web' | 'cli' | 'test';
}

export interface Services {
  settings: SettingsService;
  discovery: DiscoveryService;
  pki: PkiService;
  provisioning: ProvisioningService;
  audit: AuditLog;
  keychain: KeychainService<CloudClient>;
  stores: StoresService;
  credentials: CredentialsService;
}

export interface Core {
  deps: CoreDeps;
  events: EventHub;
  services: Services;
  router: Router;
  /** Stops background work (discovery browsers, runs) so a process can exit. */
  close(): Promise<void>;
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

/** The composition root: the only place that knows how services are wired together. */
export function createCore(deps: CoreDeps): Core {
  const events = new EventHub();
  const closers: Array<() => Promise<void> | void> = [];
  const services: Services = {
    settings: createSettingsService({ dataDir: deps.dataDir, events }),
    pki: createPkiService({ home: deps.home, clock: deps.clock, log: deps.log }),
    discovery: createDiscoveryService({ events, log: deps.log, clock: deps.clock, settings: () => services.settings }),
    ...createProvisioningFeature({ ...deps, resolveHost: (host) => services.discovery.resolveHost(host) }, events, () => services.settings),
    ...createCredentialsFeature(deps, events, () => services.settings),
    // feature services: one line per feature
  };
  closers.push(() => services.discovery.stop(), () => services.provisioning.close());

  const router = new Router();
  registerAppRoutes(router, deps);
  registerSettingsRoutes(router, services);
  registerPkiRoutes(router, services, deps.log);
  registerDiscoveryRoutes(router, services);
  registerProvisioningRoutes(router, services);
  registerHistoryRoutes(router, services);
  registerCredentialsRoutes(router, services);
  // feature routes: one line per feature

  return {
    deps,
    events,
    services,
    router,
    async close() {
      for (const c of closers.reverse()) await c();
    },
  };
}
