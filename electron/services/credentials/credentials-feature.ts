import { createCloudClient, type CloudClient } from '../cloud/index';
import type { EventHub } from '../events';
import { createKeychainService, loadKeytarBackend, type KeychainService, type SecretBackend } from '../keychain/index';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/settings-service';
import { createStoresService, type StoresService } from '../stores/index';
import { createCredentialsService, type CredentialsService } from './credentials-service';

/**
 * Wires the keychain (real keytar unless a backend is given), the stores and the credentials service.
 * The cloud client factory is where the key meets the network: it is called only inside the keychain module.
 */
export function createCredentialsFeature(
  deps: { home: string; dataDir: string; env: NodeJS.ProcessEnv; clock: () => Date; log: Logger },
  events: EventHub,
  settings: () => SettingsService,
  overrides: { backend?: () => Promise<SecretBackend>; clientFactory?: (baseUrl: string, apiKey: string) => CloudClient } = {},
): { keychain: KeychainService<CloudClient>; stores: StoresService; credentials: CredentialsService } {
  const keychain = createKeychainService<CloudClient>({
    backend: overrides.backend ?? (() => loadKeytarBackend(deps.env)),
    clientFactory: overrides.clientFactory ?? ((baseUrl, apiKey) => createCloudClient({ baseUrl, apiKey })),
    env: deps.env,
    log: deps.log,
  });
  const stores = createStoresService({ home: deps.home, clock: deps.clock, log: deps.log });
  const credentials = createCredentialsService({ keychain, stores, settings, events, env: deps.env, dataDir: deps.dataDir, clock: deps.clock, log: deps.log });
  return { keychain, stores, credentials };
}
