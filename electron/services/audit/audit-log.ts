import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AuditEntry, HistoryErrorCode, HistoryFilter, HistorySyncStatus } from '../../../shared/contract/history';
import { ok, type Result } from '../../../shared/contract/result';
import type { AuditStore } from './audit-store';
import { createLocalAuditStore } from './local-audit-store';

export { AUDIT_FILE } from './local-audit-store';

export interface AuditLog {
  append(entry: AuditEntry): Promise<Result<void, HistoryErrorCode>>;
  /** Newest first. */
  list(filter?: HistoryFilter): Promise<Result<AuditEntry[], HistoryErrorCode>>;
  /** The same, each entry as its stored JSON text (see `AuditStore.listJson`). */
  listJson(filter?: HistoryFilter): Promise<Result<string[], HistoryErrorCode>>;
  export(format: 'csv' | 'json', filter?: HistoryFilter): Promise<Result<{ format: 'csv' | 'json'; text: string; fileName: string }, HistoryErrorCode>>;
  syncStatus(): Promise<Result<HistorySyncStatus, HistoryErrorCode>>;
}

/** Fields a line may hold; anything else (a future bug leaking a secret into an entry) is dropped on write. */
const ALLOWED_KEYS: ReadonlyArray<keyof AuditEntry> = [
  'id',
  'time',
  'station',
  'runId',
  'operator',
  'door',
  'device',
  'hostKeyFingerprint',
  'hostKeyNote',
  'devCert',
  'identity',
  'updateCert',
  'stages',
  'result',
  'stage',
  'error',
  'durationMs',
];

export function sanitizeAuditEntry(entry: AuditEntry): AuditEntry {
  const out: Record<string, unknown> = {};
  for (const k of ALLOWED_KEYS) if (entry[k] !== undefined) out[k] = entry[k];
  out.devCert = { name: entry.devCert.name, fingerprint: entry.devCert.fingerprint };
  out.updateCert = { name: entry.updateCert.name, fingerprint: entry.updateCert.fingerprint };
  if (entry.identity) {
    const { endpointName, enrollmentIdentity, ca } = entry.identity;
    out.identity = { endpointName, enrollmentIdentity, ca: { name: ca.name, fingerprint: ca.fingerprint } };
  }
  return out as unknown as AuditEntry;
}

const CSV_COLUMNS = [
  'time',
  'runId',
  'operator',
  'device',
  'hostname',
  'addresses',
  'hostKeyFingerprint',
  'devCert',
  'devCertFingerprint',
  'updateCert',
  'updateCertFingerprint',
  'result',
  'stage',
  'errorCode',
  'error',
  'durationMs',
  'stages',
  'station',
  'hostKeyNote',
  'endpointName',
  'enrollmentIdentity',
  'ca',
] as const;

const csvCell = (v: unknown) => {
  const s = v === undefined || v === null ? '' : String(v);
  // Quote always; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

export function toCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((e) =>
    [
      e.time,
      e.runId,
      e.operator,
      e.device.name,
      e.device.hostname,
      e.device.addresses.join(' '),
      e.hostKeyFingerprint,
      e.devCert.name,
      e.devCert.fingerprint,
      e.updateCert.name,
      e.updateCert.fingerprint,
      e.result,
      e.stage,
      e.error?.code,
      e.error?.message,
      e.durationMs,
      e.stages.map((s) => `${s.stage}:${s.durationMs}ms${s.ok ? '' : '!'}`).join(' '),
      e.station,
      e.hostKeyNote,
      e.identity?.endpointName,
      e.identity?.enrollmentIdentity,
      e.identity?.ca.name,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

/**
 * The audit trail service: writes each entry, with only the allowed fields, to the store in use (the local file
 * by default, the shared database when one is configured); lists, filters and exports the same on either.
 * Entries for the database are stamped with a unique id (sent at most once) and the station; the local file
 * keeps its lines exactly as before, all of them this station's.
 */
export function createAuditLog(
  dataDir: string,
  clock: () => Date = () => new Date(),
  options: { store?: () => Promise<AuditStore>; station?: () => Promise<string> } = {},
): AuditLog {
  const station = options.station ?? (async () => hostname());
  const local = createLocalAuditStore(dataDir, station);
  const store = options.store ?? (async () => local);

  const log: AuditLog = {
    async append(entry) {
      const s = await store();
      const stamped = s.kind === 'database' ? { ...entry, id: entry.id ?? randomUUID(), station: entry.station ?? (await station()) } : entry;
      return s.append(sanitizeAuditEntry(stamped));
    },
    async list(filter = {}) {
      return (await store()).list(filter);
    },
    async listJson(filter = {}) {
      return (await store()).listJson(filter);
    },
    async export(format, filter = {}) {
      const listed = await log.list(filter);
      if (!listed.ok) return listed;
      const stamp = clock().toISOString().replace(/[:.]/g, '-');
      const text = format === 'json' ? `${JSON.stringify(listed.value, null, 2)}\n` : toCsv(listed.value);
      return ok({ format, text, fileName: `provisioning-history-${stamp}.${format}` });
    },
    async syncStatus() {
      const s = await store();
      return ok({ store: s.kind, location: s.location, waitingToSync: await s.waitingToSync() });
    },
  };
  return log;
}
