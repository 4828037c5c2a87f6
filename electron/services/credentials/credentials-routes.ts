import { credentialsChannels } from '../../../shared/contract/credentials';
import type { Services } from '../core';
import type { Router } from '../router';

export function registerCredentialsRoutes(router: Router, services: Pick<Services, 'credentials'>): void {
  const c = services.credentials;
  router
    .route(credentialsChannels.apiKeyStatus, (req) => c.apiKeyStatus(req))
    .route(credentialsChannels.apiKeySave, (req) => c.saveApiKey(req))
    .route(credentialsChannels.apiKeyDelete, (req) => c.deleteApiKey(req))
    .route(credentialsChannels.regions, () => c.regions())
    .route(credentialsChannels.migratePlaintextKey, (req) => c.migratePlaintextKey(req));
}
