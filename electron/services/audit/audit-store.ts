import type { AuditEntry, HistoryErrorCode, HistoryFilter } from '../../../shared/contract/history';
import type { Result } from '../../../shared/contract/result';
import { isJsonObject } from '../../../shared/domain/json-object';

/**
 * The storage seam of the audit trail: where entries are kept. Two implementations: the local JSON-lines file
 * (`local-audit-store.ts`, the default) and the shared PostgreSQL database (`database/postgres-audit-store.ts`,
 * behind a local journal for the times it is unreachable). The audit log service and the screens see only this.
 */
export interface AuditStore {
  readonly kind: 'local' | 'database';
  /** The audit file, or the database URL without its password. */
  readonly location: string;
  append(entry: AuditEntry): Promise<Result<void, HistoryErrorCode>>;
  /** Newest first. */
  list(filter: HistoryFilter): Promise<Result<AuditEntry[], HistoryErrorCode>>;
  /**
   * The same entries as `list`, each as its stored JSON text: output that is JSON anyway (`pws history --json`)
   * is written from it without parsing and serialising every entry again.
   */
  listJson(filter: HistoryFilter): Promise<Result<string[], HistoryErrorCode>>;
  /** Entries kept locally that the store has not received yet (always 0 for the local file). */
  waitingToSync(): Promise<number>;
}

/**
 * Does the entry pass the filter? The local store filters with it; the database store in SQL, to the same rules.
 * An entry without a station (a local line) is `thisStation`'s.
 */
export function matches(entry: AuditEntry, filter: HistoryFilter = {}, thisStation = ''): boolean {
  if (filter.result && entry.result !== filter.result) return false;
  if (filter.runId && entry.runId !== filter.runId) return false;
  if (filter.station && (entry.station ?? thisStation).toLowerCase() !== filter.station.toLowerCase()) return false;
  if (filter.since && Date.parse(entry.time) < Date.parse(filter.since)) return false;
  if (filter.device) {
    const q = filter.device.toLowerCase();
    if (!deviceSearchText(entry).some((h) => h.includes(q))) return false;
  }
  return true;
}

/** What a device filter matches: the device's name, host name and addresses, lower-case. */
export const deviceSearchText = (entry: AuditEntry): string[] =>
  [entry.device.name, entry.device.hostname ?? '', ...entry.device.addresses].map((s) => s.toLowerCase());

const named = (v: unknown) => isJsonObject(v) && typeof v.name === 'string';
const RESULTS = new Set(['passed', 'failed', 'cancelled']);

/**
 * Whether a parsed line has the fields history filters and shows: a line that parses as JSON but is no entry
 * (hand-edited, written by something else) is left out instead of crashing the list. A plain check, not a
 * schema: history reads every line of the file on each request.
 */
export function isAuditEntry(v: unknown): v is AuditEntry {
  if (!isJsonObject(v) || typeof v.time !== 'string' || typeof v.runId !== 'string' || typeof v.operator !== 'string') return false;
  if (!named(v.device) || !Array.isArray((v.device as { addresses?: unknown }).addresses)) return false;
  if (!named(v.devCert) || !named(v.updateCert) || !Array.isArray(v.stages)) return false;
  return (
    RESULTS.has(v.result as string) &&
    typeof v.stage === 'string' &&
    typeof v.durationMs === 'number' &&
    (v.station === undefined || typeof v.station === 'string')
  );
}
