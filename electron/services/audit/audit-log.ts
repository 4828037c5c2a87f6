import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry, HistoryErrorCode, HistoryFilter } from '../../../shared/contract/history';
import { fail, ok, type Result } from '../../../shared/contract/result';

export const AUDIT_FILE = 'audit.jsonl';

export interface AuditLog {
  readonly file: string;
  append(entry: AuditEntry): Promise<Result<void, HistoryErrorCode>>;
  /** Newest first. */
  list(filter?: HistoryFilter): Promise<Result<AuditEntry[], HistoryErrorCode>>;
  export(format: 'csv' | 'json', filter?: HistoryFilter): Promise<Result<{ format: 'csv' | 'json'; text: string; fileName: string }, HistoryErrorCode>>;
}

/** Fields a line may hold; anything else (a future bug leaking a secret into an entry) is dropped on write. */
const ALLOWED_KEYS: ReadonlyArray<keyof AuditEntry> = [
  'time', 'runId', 'operator', 'door', 'device', 'hostKeyFingerprint', 'hostKeyNote', 'devCert', 'identity', 'updateCert', 'stages', 'result', 'stage', 'error', 'durationMs',
];

function sanitize(entry: AuditEntry): AuditEntry {
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

export function matches(entry: AuditEntry, filter: HistoryFilter = {}): boolean {
  if (filter.result && entry.result !== filter.result) return false;
  if (filter.runId && entry.runId !== filter.runId) return false;
  if (filter.device) {
    const q = filter.device.toLowerCase();
    const hay = [entry.device.name, entry.device.hostname ?? '', ...entry.device.addresses].map((s) => s.toLowerCase());
    if (!hay.some((h) => h.includes(q))) return false;
  }
  return true;
}

const CSV_COLUMNS = [
  'time', 'runId', 'operator', 'device', 'hostname', 'addresses', 'hostKeyFingerprint', 'devCert', 'devCertFingerprint',
  'updateCert', 'updateCertFingerprint', 'result', 'stage', 'errorCode', 'error', 'durationMs', 'stages', 'hostKeyNote',
  'endpointName', 'enrollmentIdentity', 'ca',
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
      e.time, e.runId, e.operator, e.device.name, e.device.hostname, e.device.addresses.join(' '), e.hostKeyFingerprint, e.devCert.name,
      e.devCert.fingerprint, e.updateCert.name, e.updateCert.fingerprint, e.result, e.stage, e.error?.code, e.error?.message, e.durationMs,
      e.stages.map((s) => `${s.stage}:${s.durationMs}ms${s.ok ? '' : '!'}`).join(' '), e.hostKeyNote,
      e.identity?.endpointName, e.identity?.enrollmentIdentity, e.identity?.ca.name,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

/**
 * The audit trail: append-only JSON lines in `<dataDir>/audit.jsonl`, one per device attempt. Appends are
 * serialised and each is one `write` of a whole line (O_APPEND), so concurrent writers never interleave
 * halves of lines; a torn last line (power loss) is skipped when reading.
 */
export function createAuditLog(dataDir: string, clock: () => Date = () => new Date()): AuditLog {
  const file = join(dataDir, AUDIT_FILE);
  let queue: Promise<unknown> = Promise.resolve();

  async function readAll(): Promise<Result<AuditEntry[], HistoryErrorCode>> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ok([]);
      return fail('audit-unreadable', `could not read the audit log ${file}: ${(err as Error).message}`);
    }
    const entries: AuditEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as AuditEntry);
      } catch {
        // a torn line: skip it, keep the rest readable
      }
    }
    return ok(entries);
  }

  return {
    file,
    append(entry) {
      const run = queue.then(async (): Promise<Result<void, HistoryErrorCode>> => {
        try {
          await mkdir(dataDir, { recursive: true });
          const fh = await open(file, 'a', 0o600);
          try {
            await fh.appendFile(`${JSON.stringify(sanitize(entry))}\n`);
            await fh.sync();
          } finally {
            await fh.close();
          }
          return ok(undefined);
        } catch (err) {
          return fail('audit-unwritable', `could not append to the audit log ${file}: ${(err as Error).message}`);
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async list(filter = {}) {
      await queue;
      const all = await readAll();
      if (!all.ok) return all;
      const hits = all.value.filter((e) => matches(e, filter)).reverse();
      return ok(filter.limit ? hits.slice(0, filter.limit) : hits);
    },
    async export(format, filter = {}) {
      const listed = await this.list(filter);
      if (!listed.ok) return listed;
      const stamp = clock().toISOString().replace(/[:.]/g, '-');
      const text = format === 'json' ? `${JSON.stringify(listed.value, null, 2)}\n` : toCsv(listed.value);
      return ok({ format, text, fileName: `provisioning-history-${stamp}.${format}` });
    },
  };
}
