import { credentialsChannels } from '../../../shared/contract/credentials';
import { certificatesChannels } from '../../../shared/contract/certificates';
import type { Router } from '../router';
import type { Services } from '../core';

/** The credentials channels and the Team Store section of the certificates channels. */
export function registerCredentialsRoutes(router: Router, services: Pick<Services, 'credentials'>): void {
  const c = () => services.credentials;
  router
    .route(credentialsChannels.apiKeyStatus, (req) => c().apiKeyStatus(req))
    .route(credentialsChannels.apiKeySave, (req) => c().saveApiKey(req))
    .route(credentialsChannels.apiKeyDelete, (req) => c().deleteApiKey(req))
    .route(credentialsChannels.regions, () => c().regions())
    .route(credentialsChannels.migratePlaintextKey, (req) => c().migratePlaintextKey(req))
    .route(certificatesChannels.list, (req) => c().listCertificates(req))
    .route(certificatesChannels.createDev, (req) => c().createDeveloperCertificate(req))
    .route(certificatesChannels.fetchDev, (req) => c().fetchDeveloperCertificate(req))
    .route(certificatesChannels.importUpdate, (req) => c().importUpdateCertificate(req))
    .route(certificatesChannels.importDev, (req) => c().importDeveloperCertificate(req))
    .route(certificatesChannels.delete, (req) => c().deleteCertificate(req))
    .route(certificatesChannels.stores, () => c().stores())
    .route(certificatesChannels.setStores, (req) => c().setStores(req));
}
