import { identitiesChannels } from '../../../shared/contract/identities';
import type { Router } from '../router';
import type { IdentitiesService } from './identities-service';

export function registerIdentitiesRoutes(router: Router, services: { identities: IdentitiesService }): void {
  const ids = services.identities;
  router
    .route(identitiesChannels.list, (filter) => ids.list(filter))
    .route(identitiesChannels.show, (req) => ids.show(req.endpointName))
    .route(identitiesChannels.exportEnrollment, (filter) => ids.exportEnrollment({ filter }));
}
