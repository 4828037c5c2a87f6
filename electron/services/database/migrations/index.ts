import { auditMigration } from './001-audit';
import { identitiesMigration } from './002-identities';

export interface Migration {
  version: number;
  name: string;
  /** Plain SQL, run inside the migration's transaction. A released migration is never edited: add the next one. */
  sql: string;
}

/**
 * Every schema version, in order. `pws db migrate` applies the ones a database lacks and records each in
 * `pws_schema_migrations`.
 */
export const MIGRATIONS: readonly Migration[] = [auditMigration, identitiesMigration];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
