import { certificatesChannels } from '../../../shared/contract/certificates';
import type { Services } from '../core';
import type { Router } from '../router';

/** The Team Store half of the certificates channels (the wizard's half: pki/pki-routes.ts). */
export function registerTeamStoreRoutes(router: Router, services: Pick<Services, 'teamStore'>): void {
  const t = services.teamStore;
  router
    .route(certificatesChannels.list, (req) => t.listCertificates(req))
    .route(certificatesChannels.createDev, (req) => t.createDeveloperCertificate(req))
    .route(certificatesChannels.fetchDev, (req) => t.fetchDeveloperCertificate(req))
    .route(certificatesChannels.importUpdate, (req) => t.importUpdateCertificate(req))
    .route(certificatesChannels.importDev, (req) => t.importDeveloperCertificate(req))
    .route(certificatesChannels.delete, (req) => t.deleteCertificate(req))
    .route(certificatesChannels.stores, () => t.stores())
    .route(certificatesChannels.setStores, (req) => t.setStores(req));
}
