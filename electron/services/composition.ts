import type { Settings } from '../../shared/contract/settings';
import { registerAppRoutes } from './app-routes';
import { createAppService } from './app-service';
import { registerHistoryRoutes } from './audit/audit-routes';
import { registerTeamStoreRoutes } from './certificates/team-store-routes';
import { createTeamStoreService } from './certificates/team-store-service';
import { createCloudClient, type CloudClient } from './cloud/client';
import type { Core, CoreDeps, CoreSeams, Services } from './core';
import { createStorageFeature } from './database/storage';
import { registerDatabaseRoutes } from './database/database-routes';
import { registerCredentialsRoutes } from './credentials/credentials-routes';
import { createCredentialsService } from './credentials/credentials-service';
import { registerDiscoveryRoutes } from './discovery/discovery-routes';
import { createDiscoveryService } from './discovery/discovery-service';
import { withHostNameResolution } from './discovery/host-names';
import { createEnrollmentService } from './enrollment/enrollment-service';
import { registerIdentitiesRoutes } from './identities/identities-routes';
import { createIdentitiesService } from './identities/identities-service';
import { EventHub } from './events';
import { createKeychainService } from './keychain/keychain-service';
import { loadKeytarBackend } from './keychain/keytar-backend';
import { registerCaRoutes } from './pki/ca-routes';
import { createCaService } from './pki/ca-service';
import { registerPkiRoutes } from './pki/pki-routes';
import { createPkiService } from './pki/pki-service';
import { lockDirFor, MBL_PROFILE } from './provisioning/device-profile';
import { registerProvisioningRoutes } from './provisioning/provisioning-routes';
import { createProvisioningService } from './provisioning/provisioning-service';
import { createRunJournal } from './provisioning/run-journal';
import { ownIdentityPlanner } from './provisioning/own-identity-plan';
import { createTeamStoreCertificateSource } from './provisioning/team-store-certificates';
import { Router } from './router';
import { registerSettingsRoutes } from './settings/settings-routes';
import { createSettingsService } from './settings/settings-service';
import { createSshConnector } from './ssh/connection';
import { createKnownHostsStore } from './ssh/known-hosts';
import { createStoresService } from './stores/stores-service';
import { operatorName, stationName } from './who';

export { defaultCoreDeps, type Core, type CoreDeps, type CoreSeams, type Services } from './core';

/**
 * The composition root: the only place that builds services and wires them together. Shared infrastructure
 * (settings, keychain, stores, known hosts, the store choice and the audit log on it) is built first and handed to the services as values;
 * then each contract feature's service, then one routes registrar per feature, all with `(router, services)`.
 */
export function createCore(deps: CoreDeps, seams: CoreSeams = {}): Core {
  const { home, dataDir, env, clock, log } = deps;
  const events = new EventHub();

  const settings = createSettingsService({ dataDir, events, home });
  /** A setting as it is now (a change applies to the next connection or run); the default when the file is unreadable. */
  const currentSetting =
    <K extends keyof Settings>(key: K, fallback: Settings[K]) =>
    async (): Promise<Settings[K]> => {
      const r = await settings.get();
      return r.ok ? r.value[key] : fallback;
    };
  const keychain = createKeychainService<CloudClient>({
    backend: seams.secretBackend ?? (() => loadKeytarBackend(env)),
    // Where the key meets the network: called only inside the keychain module.
    clientFactory: seams.cloudClientFactory ?? ((baseUrl, apiKey) => createCloudClient({ baseUrl, apiKey })),
    env,
    log,
  });
  const stores = createStoresService({ home, clock, log });
  const knownHosts = createKnownHostsStore(dataDir);
  // History and the identity registry: local files, or the shared database when PWS_DATABASE_URL or the
  // database.url setting names one.
  const { database, audit, identityStore } = createStorageFeature(deps, () => settings, { backend: seams.secretBackend });

  const credentials = createCredentialsService({ keychain, stores, settings, events, env, dataDir, log });
  const discovery = createDiscoveryService({ events, log, clock, settings: () => settings });
  // Devices given by host name (NAME.local) are reached even where the OS can't resolve them.
  const hostNameConnector = withHostNameResolution(
    createSshConnector({
      home,
      knownHosts,
      sshKeyPath: currentSetting('sshKeyPath', ''),
      strictHostKeys: currentSetting('strictHostKeys', false),
      clock,
      log,
    }),
    (host) => discovery.resolveHost(host),
  );
  const connector = seams.sshConnector?.(hostNameConnector) ?? hostNameConnector;
  const ca = createCaService({ stores, cloud: () => credentials.client(), events, clock, log });
  const { certificates, ...provisioningSeams } = seams.provisioning ?? {};
  const profile = MBL_PROFILE;
  const provisioningCertificates = certificates ?? createTeamStoreCertificateSource(stores);
  const services: Services = {
    app: createAppService(deps),
    settings,
    discovery,
    pki: createPkiService({ home, clock, log }),
    teamStore: createTeamStoreService({ stores, cloud: credentials.client, events, clock }),
    credentials,
    provisioning: createProvisioningService({
      connector,
      knownHosts,
      certificates: provisioningCertificates,
      audit,
      events,
      concurrency: currentSetting('concurrency', 8),
      clock,
      log,
      door: deps.door,
      profile,
      journal: createRunJournal(dataDir, { certsDir: profile.certsDir, lockDir: lockDirFor(profile) }, clock),
      ownIdentity: ownIdentityPlanner({
        ca,
        store: identityStore,
        certificates: provisioningCertificates,
        operator: operatorName(),
        station: () => stationName(settings),
        clock,
      }),
      ...provisioningSeams,
    }),
    ca,
    identities: createIdentitiesService({ store: identityStore, audit, clock }),
    audit,
    enrollment: createEnrollmentService({ credentials }),
    database,
    keychain,
    stores,
  };

  const router = new Router(log);
  for (const register of [
    registerAppRoutes,
    registerSettingsRoutes,
    registerDiscoveryRoutes,
    registerPkiRoutes,
    registerTeamStoreRoutes,
    registerCredentialsRoutes,
    registerProvisioningRoutes,
    registerHistoryRoutes,
    registerCaRoutes,
    registerIdentitiesRoutes,
    registerDatabaseRoutes,
  ]) {
    register(router, services);
  }

  let closed: Promise<void> | undefined;
  return {
    deps,
    events,
    services,
    router,
    close() {
      // Runs first (they may still be cleaning up on devices, and write history), then discovery, then the database.
      closed ??= (async () => {
        await services.provisioning.close();
        await services.discovery.stop();
        await identityStore.close(); // after the runs: they settle their identities as they end
        await services.database.close();
      })();
      return closed;
    },
  };
}
