import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry, HistoryErrorCode, HistoryFilter } from '../../../shared/contract/history';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { isAuditEntry, matches, type AuditStore } from './audit-store';
import { makeFolders } from '../fs/user-paths';

export const AUDIT_FILE = 'audit.jsonl';

/** One line of the audit file as written, and the entry it holds. */
export interface AuditLine {
  text: string;
  entry: AuditEntry;
}

/** Every whole line of an audit file, oldest first; a torn line (power loss) or one that is no entry is skipped, a missing file is empty. */
export async function readAuditLines(file: string): Promise<Result<AuditLine[], HistoryErrorCode>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ok([]);
    return fail('audit-unreadable', `could not read the audit log ${file}: ${(err as Error).message}`);
  }
  const lines: AuditLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue; // a torn line: skip it, keep the rest readable
    }
    if (isAuditEntry(entry)) lines.push({ text: line, entry });
  }
  return ok(lines);
}

/**
 * The default store: append-only JSON lines in `<dataDir>/audit.jsonl`, one per device attempt. Appends are
 * serialised and each is one `write` of a whole line (O_APPEND), so concurrent writers never interleave
 * halves of lines. Its lines carry no station: they are all this station's (`station`).
 */
export function createLocalAuditStore(dataDir: string, station: () => Promise<string>): AuditStore {
  const file = join(dataDir, AUDIT_FILE);
  let queue: Promise<unknown> = Promise.resolve();

  async function hits(filter: HistoryFilter): Promise<Result<AuditLine[], HistoryErrorCode>> {
    await queue;
    const all = await readAuditLines(file);
    if (!all.ok) return all;
    const thisStation = filter.station ? await station() : '';
    const found = all.value.filter((l) => matches(l.entry, filter, thisStation)).reverse();
    return ok(filter.limit ? found.slice(0, filter.limit) : found);
  }

  return {
    kind: 'local',
    location: file,
    append(entry) {
      const run = queue.then(async (): Promise<Result<void, HistoryErrorCode>> => {
        try {
          await makeFolders(dataDir);
          const fh = await open(file, 'a', 0o600);
          try {
            await fh.appendFile(`${JSON.stringify(entry)}\n`);
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
    async list(filter) {
      const found = await hits(filter);
      return found.ok ? ok(found.value.map((l) => l.entry)) : found;
    },
    async listJson(filter) {
      const found = await hits(filter);
      return found.ok ? ok(found.value.map((l) => l.text)) : found;
    },
    waitingToSync: async () => 0,
  };
}
