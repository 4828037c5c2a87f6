import { createAuditLog, type AuditLog } from '../audit/audit-log';
import { createDatabasePasswords } from '../keychain/database-passwords';
import { loadKeytarBackend, type SecretBackend } from '../keychain/index';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/settings-service';
import { stationName } from '../settings/station';
import { createDatabaseService, type DatabaseService } from './database-service';

/**
 * The store choice and the audit log on it: local files unless PWS_DATABASE_URL or the `database.url`
 * setting names a PostgreSQL database. The database password comes from the OS keychain (keytar, loaded lazily).
 */
export function createStorageFeature(
  deps: { dataDir: string; env: NodeJS.ProcessEnv; clock: () => Date; log: Logger },
  settings: () => SettingsService,
  overrides: { backend?: () => Promise<SecretBackend> } = {},
): { database: DatabaseService; audit: AuditLog } {
  const passwords = createDatabasePasswords({ backend: overrides.backend ?? (() => loadKeytarBackend(deps.env)), log: deps.log });
  const database = createDatabaseService({ dataDir: deps.dataDir, env: deps.env, settings, passwords, log: deps.log });
  const audit = createAuditLog(deps.dataDir, deps.clock, { store: () => database.auditStore(), station: () => stationName(settings()) });
  return { database, audit };
}
