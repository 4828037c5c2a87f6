import { identitiesChannels } from '../../../shared/contract/identities';
import { ok } from '../../../shared/contract/result';
import type { Router } from '../router';
import type { IdentitiesService } from './identities-service';

export function registerIdentitiesRoutes(router: Router, services: { identities: IdentitiesService }, clock: () => Date): void {
  const ids = services.identities;
  router
    .route(identitiesChannels.list, (filter) => ids.list(filter))
    .route(identitiesChannels.show, (req) => ids.show(req.endpointName))
    .route(identitiesChannels.exportEnrollment, async (filter) => {
      const r = await ids.exportEnrollment({ filter });
      if (!r.ok) return r;
      return ok({ ...r.value, fileName: `enrollment-identities-${clock().toISOString().replace(/[:.]/g, '-')}.csv` });
    });
}
