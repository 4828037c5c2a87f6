import { devicesChannels } from '../../../shared/contract/devices';
import type { Router } from '../router';
import type { Services } from '../core';

export function registerDiscoveryRoutes(router: Router, services: Pick<Services, 'discovery'>): void {
  const d = services.discovery;
  router
    .route(devicesChannels.list, () => d.list())
    .route(devicesChannels.refresh, () => d.refresh())
    .route(devicesChannels.addManual, (req) => d.addManual(req))
    .route(devicesChannels.removeManual, (req) => d.removeManual(req))
    .route(devicesChannels.setNickname, (req) => d.setNickname(req))
    .route(devicesChannels.setFavourite, (req) => d.setFavourite(req));
}
