import { EventHub } from './events';
import type { CoreDeps } from './core-deps';
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
import { createCaService, type CaService } from './pki/ca-service';
import { registerCaRoutes } from './pki/ca-routes';
import { createIdentitiesService, type IdentitiesService } from './identities/identities-service';
import { createLocalIdentityStore } from './identities/local-identity-store';
import { registerIdentitiesRoutes } from './identities/identities-routes';
import { operatorName, stationName } from './who';

export { defaultCoreDeps, type CoreDeps } from './core-deps';

export interface Services {
  settings: SettingsService;
  discovery: DiscoveryService;
  pki: PkiService;
  provisioning: ProvisioningService;
  audit: AuditLog;
  keychain: KeychainService<CloudClient>;
  stores: StoresService;
  credentials: CredentialsService;
  ca: CaService;
  identities: IdentitiesService;
}

export interface Core {
  deps: CoreDeps;
  events: EventHub;
  services: Services;
  router: Router;
  /** Stops background work (discovery browsers, runs) so a process can exit. */
  close(): Promise<void>;
}

/** The composition root: the only place that knows how services are wired together. */
export function createCore(deps: CoreDeps): Core {
  const events = new EventHub();
  const closers: Array<() => Promise<void> | void> = [];
  const credentials = createCredentialsFeature(deps, events, () => services.settings);
  /** The cloud client for the current API URL, with the keychain's key. */
  const currentCloudClient = async () => {
    const url = await credentials.credentials.resolveApiUrl();
    return url.ok ? credentials.keychain.client(url.value) : url;
  };
  const ca = createCaService({ stores: credentials.stores, cloud: currentCloudClient, events, clock: deps.clock, log: deps.log });
  const identityStore = createLocalIdentityStore(deps.dataDir);
  const provisioning = createProvisioningFeature(deps, events, () => services.settings, { ownIdentity: { ca, store: identityStore, operator: operatorName(), station: stationName() } });
  const services: Services = {
    settings: createSettingsService({ dataDir: deps.dataDir, events }),
    pki: createPkiService({ home: deps.home, clock: deps.clock, log: deps.log }),
    discovery: createDiscoveryService({ events, log: deps.log, clock: deps.clock, settings: () => services.settings }),
    ...provisioning,
    ...credentials,
    ca,
    identities: createIdentitiesService({ store: identityStore, audit: provisioning.audit }),
    // feature services: one line per feature
  };
  // closed in reverse: runs settle their identities before the registry closes
  closers.push(() => services.identities.store.close(), () => services.discovery.stop(), () => services.provisioning.close());

  const router = new Router();
  registerAppRoutes(router, deps);
  registerSettingsRoutes(router, services);
  registerPkiRoutes(router, services, deps.log);
  registerDiscoveryRoutes(router, services);
  registerProvisioningRoutes(router, services);
  registerHistoryRoutes(router, services);
  registerCredentialsRoutes(router, services);
  registerCaRoutes(router, services);
  registerIdentitiesRoutes(router, services, deps.clock);
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
