import { settingsChannels } from '../../../shared/contract/settings';
import type { Router } from '../router';
import type { Services } from '../core';

export function registerSettingsRoutes(router: Router, services: Pick<Services, 'settings'>): void {
  router
    .route(settingsChannels.get, () => services.settings.get())
    .route(settingsChannels.update, (patch) => services.settings.update(patch))
    .route(settingsChannels.checkSshKey, ({ path }) => services.settings.checkSshKey(path));
}
