import type { AuditEntry, HistoryErrorCode, HistoryFilter } from '../../../shared/contract/history';
import { ok, type Result } from '../../../shared/contract/result';
import type { BatchAuditStore } from '../audit/audit-journal';
import { deviceSearchText } from '../audit/audit-store';
import type { Database } from './database';
import { databaseFailure } from './database-errors';

/** Rows go in as one JSON array: one statement (and one round trip) however many entries a batch has. */
const INSERT = `
INSERT INTO pws_audit_entries (id, time, station, operator, run_id, result, device_text, entry)
SELECT r.id, r.time, r.station, r.operator, r.run_id, r.result, r.device_text, r.entry
FROM json_to_recordset($1::json) AS r(id uuid, time timestamptz, station text, operator text, run_id text, result text, device_text text, entry json)
ON CONFLICT (id) DO NOTHING`;

const row = (e: AuditEntry) => ({
  id: e.id,
  time: e.time,
  station: e.station ?? '',
  operator: e.operator,
  run_id: e.runId,
  result: e.result,
  device_text: deviceSearchText(e).join('\n'),
  entry: e,
});

/** The history filter as SQL, to the same rules as `matches()` in the audit store. */
function whereOf(filter: HistoryFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const clauses: string[] = [];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (filter.result) add((p) => `result = ${p}`, filter.result);
  if (filter.runId) add((p) => `run_id = ${p}`, filter.runId);
  if (filter.station) add((p) => `lower(station) = lower(${p})`, filter.station);
  if (filter.since) add((p) => `time >= ${p}`, new Date(Date.parse(filter.since)).toISOString());
  if (filter.device) add((p) => `strpos(device_text, lower(${p})) > 0`, filter.device);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * The audit trail in the shared database (table `pws_audit_entries`, migration 1). Each entry is stored once
 * per id: sending it again (from the journal, or an import) adds nothing.
 */
export function createPostgresAuditStore(db: Database): BatchAuditStore {
  async function select<T>(column: string, filter: HistoryFilter): Promise<Result<T[], HistoryErrorCode>> {
    const where = whereOf(filter);
    const limit = filter.limit ? `LIMIT ${Number(filter.limit)}` : '';
    try {
      const r = await db.query<{ entry: T }>(
        `SELECT ${column} AS entry FROM pws_audit_entries ${where.sql} ORDER BY time DESC, seq DESC ${limit}`,
        where.params,
      );
      return ok(r.rows.map((x) => x.entry));
    } catch (err) {
      return databaseFailure(err, db.target);
    }
  }

  const store: BatchAuditStore = {
    kind: 'database',
    location: db.target,
    async append(entry) {
      const r = await store.appendMany([entry]);
      return r.ok ? ok(undefined) : r;
    },
    async appendMany(entries): Promise<Result<{ added: number }, HistoryErrorCode>> {
      try {
        const r = await db.query(INSERT, [JSON.stringify(entries.map(row))]);
        return ok({ added: r.rowCount ?? 0 });
      } catch (err) {
        return databaseFailure(err, db.target);
      }
    },
    list: (filter) => select<AuditEntry>('entry', filter),
    // As text, node-postgres hands the column over as the server sent it, unparsed.
    listJson: (filter) => select<string>('entry::text', filter),
    waitingToSync: async () => 0,
  };
  return store;
}
