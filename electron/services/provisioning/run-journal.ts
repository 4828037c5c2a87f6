import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceRef } from '../../../shared/contract/provisioning';
import { writeJsonAtomic } from '../fs/atomic';
import { makeFolders } from '../fs/user-paths';
import { isStagingDirOf } from './device-profile';
import { isJsonObject } from '../../../shared/domain/json-object';

/**
 * What a run has put on its devices and not yet removed, kept in `<dataDir>/runs/<runId>.json` while it works.
 * If the process dies mid-run (kill -9, a crash, power loss) its cleanup never runs; the next start reads the
 * journals whose process is gone and removes the staged folders from the devices it can reach.
 */
export interface JournalEntry {
  ref: DeviceRef;
  /** The run's staging folder on the device (created, or about to be). */
  staging: string;
  /** The device-side lock is ours: the target folder and the lock are ours to remove too. */
  lockHeld: boolean;
  updatedAt: string;
}

export interface RunJournalFile {
  runId: string;
  pid: number;
  certsDir: string;
  lockDir: string;
  devices: Record<string, JournalEntry>;
}

export interface RunJournal {
  /** Records (awaited, before the device is touched) what is about to be left on a device. */
  staged(runId: string, device: string, entry: Omit<JournalEntry, 'updatedAt'>): Promise<void>;
  /** The device's cleanup ran: nothing of this run is left on it. */
  cleaned(runId: string, device: string): Promise<void>;
  /** Journals of processes that are gone (or that finished with devices they could not clean). */
  leftovers(): Promise<RunJournalFile[]>;
  /** Replaces a leftover journal by what is still left after a recovery (removed when nothing is). */
  settle(file: RunJournalFile): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A journal as this station's runs write it: the target and lock folders of its device profile, and for each
 * device a staging folder of the engine's own naming beside them. Anything else (hand-edited, damaged, or from
 * another profile) is left for a person to look at: a path taken from it would be `rm -rf`'d on the device.
 */
function isOurJournal(j: unknown, paths: { certsDir: string; lockDir: string }): j is RunJournalFile {
  if (!isJsonObject(j) || typeof j.runId !== 'string' || typeof j.pid !== 'number' || !isJsonObject(j.devices)) return false;
  if (j.certsDir !== paths.certsDir || j.lockDir !== paths.lockDir) return false;
  return Object.values(j.devices).every(
    (e) =>
      isJsonObject(e) &&
      isJsonObject(e.ref) &&
      typeof e.ref.address === 'string' &&
      typeof e.staging === 'string' &&
      isStagingDirOf(paths.certsDir, e.staging) &&
      typeof e.lockHeld === 'boolean' &&
      typeof e.updatedAt === 'string',
  );
}

export function createRunJournal(dataDir: string, paths: { certsDir: string; lockDir: string }, clock: () => Date = () => new Date()): RunJournal {
  const dir = join(dataDir, 'runs');
  const open = new Map<string, RunJournalFile>();
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const fileOf = (runId: string) => join(dir, `${runId.replace(/[^\w-]/g, '_')}.json`);
  const write = async (j: RunJournalFile) => {
    if (Object.keys(j.devices).length === 0) return rm(fileOf(j.runId), { force: true });
    await makeFolders(dir, 0o700);
    // written on every device's way in and out, so not flushed: it is for a killed process, whose writes the
    // kernel still has; a power cut also ends the run on the devices' side
    await writeJsonAtomic(fileOf(j.runId), j, 0o600, { flush: false });
  };

  return {
    staged(runId, device, entry) {
      return serial(async () => {
        let j = open.get(runId);
        if (!j) open.set(runId, (j = { runId, pid: process.pid, ...paths, devices: {} }));
        j.devices[device] = { ...entry, updatedAt: clock().toISOString() };
        await write(j);
      });
    },
    cleaned(runId, device) {
      return serial(async () => {
        const j = open.get(runId);
        if (!j || !j.devices[device]) return;
        delete j.devices[device];
        if (Object.keys(j.devices).length === 0) open.delete(runId);
        await write(j);
      });
    },
    async leftovers() {
      let names: string[];
      try {
        names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
      } catch {
        return [];
      }
      const out: RunJournalFile[] = [];
      for (const name of names) {
        try {
          const j = JSON.parse(await readFile(join(dir, name), 'utf8')) as unknown;
          // Only what this station's runs write is acted on: recovery removes these folders on the devices as root.
          if (!isOurJournal(j, paths)) continue;
          if (j.pid !== process.pid && processAlive(j.pid)) continue; // another door is still working on it
          if (open.has(j.runId)) continue;
          out.push(j);
        } catch {
          // a journal that does not parse holds nothing usable; leave it for a person to look at
        }
      }
      return out;
    },
    settle(file) {
      return serial(() => write(file));
    },
  };
}
