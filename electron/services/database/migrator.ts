import { createHash } from 'node:crypto';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { MigrationReport } from '../../../shared/contract/database';
import type { Database, Queryable } from './database';
import { databaseFailure } from './database-errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index';

/** Any fixed number: the advisory lock that lets one station at a time migrate the shared database. */
const MIGRATION_LOCK = 0x70777331;

const checksum = (m: Migration) => createHash('sha256').update(m.sql).digest('hex');

/** The schema version a database is at: 0 when it has no pws tables yet. */
export async function readSchemaVersion(q: Queryable): Promise<number> {
  const table = await q.query<{ present: boolean }>(`SELECT to_regclass('pws_schema_migrations') IS NOT NULL AS present`);
  if (!table.rows[0]?.present) return 0;
  const v = await q.query<{ version: number }>('SELECT coalesce(max(version), 0)::int AS version FROM pws_schema_migrations');
  return v.rows[0]?.version ?? 0;
}

/**
 * Brings the schema up to `target` (default: the newest this app knows) in one transaction: all the missing
 * migrations are applied and recorded, or none. Stations migrating at once take turns (an advisory lock); a
 * database already newer than this app is left alone, and so is one whose recorded migrations differ from ours.
 */
export async function migrate(db: Database, appliedBy: string, target = LATEST_SCHEMA_VERSION): Promise<Result<MigrationReport>> {
  try {
    return await db.transaction(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await q.query(`CREATE TABLE IF NOT EXISTS pws_schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        checksum   text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        applied_by text NOT NULL
      )`);
      const applied = (await q.query<{ version: number; checksum: string }>('SELECT version, checksum FROM pws_schema_migrations ORDER BY version')).rows;
      const from = applied.length ? applied[applied.length - 1]!.version : 0;
      if (from > LATEST_SCHEMA_VERSION)
        return fail(
          'database-schema-newer',
          `${db.target} is at schema version ${from}, newer than this app's ${LATEST_SCHEMA_VERSION}: update the app on this station`,
        );
      for (const row of applied) {
        const ours = MIGRATIONS.find((m) => m.version === row.version);
        if (ours && checksum(ours) !== row.checksum)
          return fail(
            'database-error',
            `${db.target}: schema migration ${row.version} recorded there differs from this app's: the database was changed by another tool or version; nothing was migrated`,
          );
      }
      const pending = MIGRATIONS.filter((m) => m.version > from && m.version <= target);
      for (const m of pending) {
        await q.query(m.sql);
        await q.query('INSERT INTO pws_schema_migrations (version, name, checksum, applied_by) VALUES ($1, $2, $3, $4)', [
          m.version,
          m.name,
          checksum(m),
          appliedBy,
        ]);
      }
      return ok({ from, to: Math.max(from, ...pending.map((m) => m.version)), applied: pending.map(({ version, name }) => ({ version, name })) });
    });
  } catch (err) {
    return databaseFailure(err, db.target);
  }
}
