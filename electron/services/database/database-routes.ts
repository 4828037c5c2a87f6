import { databaseChannels } from '../../../shared/contract/database';
import type { Router } from '../router';
import type { Services } from '../core';

export function registerDatabaseRoutes(router: Router, services: Pick<Services, 'database'>): void {
  const { database } = services;
  router
    .route(databaseChannels.status, () => database.status())
    .route(databaseChannels.test, (connection) => database.test(connection))
    .route(databaseChannels.save, (connection) => database.save(connection))
    .route(databaseChannels.forgetPassword, () => database.forgetPassword())
    .route(databaseChannels.migrate, () => database.migrate())
    .route(databaseChannels.consent, ({ migrateOnStart }) => database.consent(migrateOnStart));
}
