import { appChannels } from '../../shared/contract/app';
import type { Services } from './core';
import type { Router } from './router';

export function registerAppRoutes(router: Router, services: Pick<Services, 'app'>): void {
  router.route(appChannels.info, (_req, ctx) => services.app.info(ctx.door));
}
