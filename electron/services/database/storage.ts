import { join } from 'node:path';
import { createAuditLog, type AuditLog } from '../audit/audit-log';
import type { IdentityStore } from '../identities/identity-store';
import { IDENTITIES_FILE } from '../identities/local-identity-store';
import { createDatabasePasswords } from '../keychain/database-passwords';
import { loadKeytarBackend } from '../keychain/keytar-backend';
import type { SecretBackend } from '../keychain/secret-backend';
import type { Logger } from '../log';
import { EventHub } from '../events';
import { createSettingsService, type SettingsService } from '../settings/settings-service';
import { stationName } from '../who';
import { createDatabaseService, type DatabaseService } from './database-service';
import { createSelectedIdentityStore } from './selected-identity-store';

/**
 * The store choice, and the audit log and the identity registry on it: local files unless PWS_DATABASE_URL or the
 * `database.url` setting names a PostgreSQL database. The database password comes from the OS keychain (keytar, loaded lazily).
 */
export function createStorageFeature(
  deps: { dataDir: string; env: NodeJS.ProcessEnv; clock: () => Date; log: Logger },
  settings: () => SettingsService,
  overrides: { backend?: () => Promise<SecretBackend> } = {},
): { database: DatabaseService; audit: AuditLog; identityStore: IdentityStore } {
  const passwords = createDatabasePasswords({ backend: overrides.backend ?? (() => loadKeytarBackend(deps.env)), log: deps.log });
  const database = createDatabaseService({ dataDir: deps.dataDir, env: deps.env, settings, passwords, log: deps.log });
  const audit = createAuditLog(deps.dataDir, deps.clock, { store: () => database.auditStore(), station: () => stationName(settings()) });
  const identityStore = createSelectedIdentityStore(() => database.identityStore(), join(deps.dataDir, IDENTITIES_FILE));
  return { database, audit, identityStore };
}

/** History, the store choice and the settings, without the rest of the core: what `pws history` and `pws db` need. */
export interface Storage {
  settings: SettingsService;
  database: DatabaseService;
  audit: AuditLog;
  close(): Promise<void>;
}

export function createStandaloneStorage(deps: { dataDir: string; env: NodeJS.ProcessEnv; clock: () => Date; log: Logger }): Storage {
  const settings = createSettingsService({ dataDir: deps.dataDir, events: new EventHub() });
  const { database, audit } = createStorageFeature(deps, () => settings);
  return { settings, database, audit, close: () => database.close() };
}
