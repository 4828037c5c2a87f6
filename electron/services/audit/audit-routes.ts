import { historyChannels } from '../../../shared/contract/history';
import type { Router } from '../router';
import type { Services } from '../core';

export function registerHistoryRoutes(router: Router, services: Pick<Services, 'audit'>): void {
  router
    .route(historyChannels.list, (filter) => services.audit.list(filter))
    .route(historyChannels.export, ({ format, ...filter }) => services.audit.export(format, filter))
    .route(historyChannels.syncStatus, () => services.audit.syncStatus());
}
