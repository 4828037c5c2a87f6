import { caChannels } from '../../../shared/contract/ca';
import type { Router } from '../router';
import type { CaService } from './ca-service';

export function registerCaRoutes(router: Router, services: { ca: CaService }): void {
  const ca = services.ca;
  router
    .route(caChannels.list, (req) => ca.list(req))
    .route(caChannels.create, (req) => ca.create(req))
    .route(caChannels.import, (req) =>
      ca.import({
        name: req.name,
        certificate: Buffer.from(req.certificate.base64, 'base64'),
        key: Buffer.from(req.key.base64, 'base64'),
        fileNames: { certificate: req.certificate.fileName || 'the certificate file', key: req.key.fileName || 'the key file' },
      }),
    )
    .route(caChannels.delete, (req) => ca.delete(req))
    .route(caChannels.trust, (req) => ca.trust(req));
}
