import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry, HistoryErrorCode } from '../../../shared/contract/history';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { writeJsonAtomic } from '../fs/atomic';
import type { Logger } from '../log';
import { isAuditEntry, type AuditStore } from './audit-store';

export const AUDIT_JOURNAL_DIR = 'audit-journal';

/**
 * Where history entries wait while the shared database is unreachable: one file per entry, written atomically,
 * in `<dataDir>/audit-journal/`. One file each means no lock is needed between processes (the app and a `pws`
 * run may both write and send): an entry is removed only after the database has it, and the database keeps
 * each entry id once, so sending one twice (two senders, or a crash between commit and removal) changes nothing.
 */
export interface AuditJournal {
  add(entry: AuditEntry): Promise<Result<void, HistoryErrorCode>>;
  /** Oldest first. */
  read(): Promise<Array<{ file: string; entry: AuditEntry }>>;
  remove(files: readonly string[]): Promise<void>;
  count(): Promise<number>;
}

const isEntryFile = (name: string) => name.endsWith('.json') && !name.startsWith('.');

export function createAuditJournal(dataDir: string, log: Logger): AuditJournal {
  const dir = join(dataDir, AUDIT_JOURNAL_DIR);
  /** The entry files, oldest first; a journal that can't be read is said once per call and counts as empty. */
  const names = async () => {
    try {
      return (await readdir(dir)).filter(isEntryFile).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`could not read the history journal ${dir}: ${(err as Error).message}`);
      return [];
    }
  };
  return {
    async add(entry) {
      // The time first, so the names sort oldest first; ':' and '.' are not allowed in Windows file names.
      const name = `${entry.time.replace(/[:.]/g, '-')}-${entry.id}.json`;
      try {
        await writeJsonAtomic(join(dir, name), entry, 0o600);
        return ok(undefined);
      } catch (err) {
        return fail('audit-unwritable', `could not keep the history entry in the local journal ${dir}: ${(err as Error).message}`);
      }
    },
    async read() {
      const out: Array<{ file: string; entry: AuditEntry }> = [];
      for (const name of await names()) {
        const file = join(dir, name);
        try {
          const entry: unknown = JSON.parse(await readFile(file, 'utf8'));
          if (isAuditEntry(entry)) out.push({ file, entry });
          else log.warn(`skipping ${file} in the history journal: it is not a history entry`);
        } catch (err) {
          // Sent and removed by another process meanwhile, or not ours: leave it and say so once per read.
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`skipping ${file} in the history journal: ${(err as Error).message}`);
        }
      }
      return out;
    },
    async remove(files) {
      await Promise.all(files.map((f) => rm(f, { force: true })));
    },
    count: async () => (await names()).length,
  };
}

/** A store that can take many entries at once and reports how many it did not have yet. */
export interface BatchAuditStore extends AuditStore {
  appendMany(entries: readonly AuditEntry[]): Promise<Result<{ added: number }, HistoryErrorCode>>;
}

/**
 * The database store behind the journal: an entry the database can't take now is kept in the journal and the
 * write counts as done; whatever waits is sent first on the next use (append, list, status), oldest first.
 */
export function createJournaledAuditStore(remote: BatchAuditStore, journal: AuditJournal, log: Logger): AuditStore {
  let sending: Promise<Result<number>> | undefined;

  /** Sends what waits in the journal; one send at a time in this process. */
  function sync(): Promise<Result<number>> {
    sending ??= (async (): Promise<Result<number>> => {
      try {
        const waiting = await journal.read();
        if (waiting.length === 0) return ok(0);
        const sent = await remote.appendMany(waiting.map((w) => w.entry));
        if (!sent.ok) return sent;
        await journal.remove(waiting.map((w) => w.file));
        log.info(`sent ${waiting.length} history entr${waiting.length === 1 ? 'y' : 'ies'} from the local journal to ${remote.location}`);
        return ok(waiting.length);
      } finally {
        sending = undefined;
      }
    })();
    return sending;
  }

  return {
    kind: remote.kind,
    location: remote.location,
    async append(entry) {
      await sync();
      const written = await remote.append(entry);
      if (written.ok) return written;
      const kept = await journal.add(entry);
      if (!kept.ok) return fail(kept.code, `${written.message}; and ${kept.message}`);
      log.warn(`${written.message}: the history entry for ${entry.device.name} waits in the local journal and is sent when the database answers`);
      return ok(undefined);
    },
    async list(filter) {
      await sync();
      return remote.list(filter);
    },
    async listJson(filter) {
      await sync();
      return remote.listJson(filter);
    },
    async waitingToSync() {
      await sync();
      return journal.count();
    },
  };
}
