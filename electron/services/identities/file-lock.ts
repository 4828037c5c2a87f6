import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/*
 * The lock is a directory holding exactly one entry, named `<pid>.<random>` after its holder. Why this shape:
 * - Taking it is one rename of a staged directory that already holds our entry, and a rename onto a directory
 *   that is not empty fails. So the lock is never seen half-made, and two takers can never both get in.
 * - A dead holder's entry is removed by its exact name, which no later holder ever has. A contender that judged
 *   it stale a moment too late removes nothing (the name is gone), so it can never throw out a fresh holder:
 *   the race a single lock file with a pid in it had, where two contenders both read the dead pid, one took over,
 *   and the other then deleted the new holder's lock and took it as well.
 * - An empty directory is a free lock, so removing one (rmdir only removes empty ones) is always safe; that is
 *   how a release, and a taker on a platform that cannot rename onto an existing directory (Windows), clear it.
 * - The staged directory is named `<lock>.<pid>.<random>` too, so a holder can tell which ones a taker killed
 *   mid-take left behind, and remove only those.
 */

const isRunning = (pid: number) => {
  if (!(Number.isInteger(pid) && pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const code = (err: unknown) => (err as NodeJS.ErrnoException).code;

const ignoring =
  (...codes: string[]) =>
  (err: unknown) => {
    if (!codes.includes(code(err) ?? '')) throw err;
  };

/** Moves a staged directory holding our entry into place; false when the lock is there and not empty. */
async function tryTake(lockPath: string, entry: string): Promise<boolean> {
  const staged = await mkdtemp(`${lockPath}.${process.pid}.`);
  try {
    await writeFile(join(staged, entry), '', { flag: 'wx', mode: 0o600 });
    await rename(staged, lockPath);
    return true;
  } catch (err) {
    if (['EEXIST', 'ENOTEMPTY', 'ENOTDIR', 'EISDIR', 'EPERM', 'EACCES'].includes(code(err) ?? '')) return false;
    throw err;
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}

type Holder = { kind: 'free' } | { kind: 'live'; pid: number } | { kind: 'dead'; clear: () => Promise<void> };

/** Who holds the lock now, and for a dead holder how to clear exactly that holder's claim. */
async function inspect(lockPath: string): Promise<Holder> {
  let entries: string[];
  try {
    entries = await readdir(lockPath);
  } catch (err) {
    if (code(err) === 'ENOENT') return { kind: 'free' };
    if (code(err) === 'ENOTDIR') return inspectLegacyFile(lockPath);
    throw err;
  }
  if (!entries.length) return { kind: 'free' };
  const [entry] = entries as [string];
  const pid = Number(entry.split('.')[0]);
  if (isRunning(pid)) return { kind: 'live', pid };
  return { kind: 'dead', clear: () => unlink(join(lockPath, entry)).catch(ignoring('ENOENT')) };
}

/** A lock file with a pid in it, as versions before the lock directory left it when killed. */
async function inspectLegacyFile(lockPath: string): Promise<Holder> {
  const content = await readFile(lockPath, 'utf8').catch(ignoring('ENOENT', 'EISDIR'));
  if (content === undefined) return { kind: 'free' };
  const pid = Number(content.trim());
  if (isRunning(pid)) return { kind: 'live', pid };
  // unlink never removes a directory, so this cannot throw out a lock taken meanwhile.
  return { kind: 'dead', clear: () => unlink(lockPath).catch(ignoring('ENOENT', 'EISDIR', 'EPERM')) };
}

/** Locks whose folder this process has swept: a taker dies mid-take rarely, so once per process is enough. */
const swept = new Set<string>();

/** A take lasts milliseconds: a pid-less staging directory (older versions) this old belongs to no take under way. */
const LEGACY_STAGING_AGE_MS = 60_000;

/** Removes the staging directories of takers that died mid-take (run while holding the lock). */
async function sweepDeadTakers(lockPath: string): Promise<void> {
  if (swept.has(lockPath)) return;
  swept.add(lockPath);
  const [dir, prefix] = [dirname(lockPath), `${basename(lockPath)}.`];
  for (const name of await readdir(dir)) {
    if (!name.startsWith(prefix)) continue;
    const parts = name.slice(prefix.length).split('.');
    if (parts.length === 1 ? await isStaleLegacyStaging(join(dir, name), parts[0]!) : isDeadTakersStaging(parts)) {
      await rm(join(dir, name), { recursive: true, force: true });
    }
  }
}

/** `<pid>.<random>`: staged by a process that is gone. */
const isDeadTakersStaging = ([pid = '', random = '', ...rest]: string[]) => !rest.length && random.length === 6 && /^\d+$/.test(pid) && !isRunning(Number(pid));

/** `<random>` alone (mkdtemp's six characters), as versions before the pid in the name staged: judged by its age. */
async function isStaleLegacyStaging(path: string, random: string): Promise<boolean> {
  if (!/^[A-Za-z0-9]{6}$/.test(random)) return false;
  const info = await stat(path).catch(() => undefined);
  return Boolean(info?.isDirectory() && Date.now() - info.mtimeMs > LEGACY_STAGING_AGE_MS);
}

/** Clears an empty lock directory, which no one holds; a lock taken meanwhile is not empty and stays. */
const clearIfEmpty = (lockPath: string) => rmdir(lockPath).catch(ignoring('ENOENT', 'ENOTEMPTY', 'EEXIST', 'ENOTDIR'));

/**
 * Runs `work` while holding the lock at `lockPath`, so that two processes of this station (the app and `pws`)
 * never interleave a read-check-append. A lock whose holder has died is taken over at once, safely with any number
 * of contenders; one held longer than `timeoutMs` by a live process is an error that names the path.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const entry = `${process.pid}.${randomBytes(6).toString('hex')}`;
  const deadline = Date.now() + timeoutMs;
  while (!(await tryTake(lockPath, entry))) {
    const holder = await inspect(lockPath);
    if (Date.now() > deadline) {
      const by = holder.kind === 'live' ? `process ${holder.pid}` : 'no running process';
      throw new Error(`${lockPath} is held by ${by}: wait for it to finish, or remove it if no pws or app process is running`);
    }
    if (holder.kind === 'live') await pause(10 + Math.random() * 20);
    else {
      if (holder.kind === 'dead') await holder.clear();
      await clearIfEmpty(lockPath);
    }
  }
  try {
    // Housekeeping only: a folder it cannot read or remove must not stop the work.
    await sweepDeadTakers(lockPath).catch(() => undefined);
    return await work();
  } finally {
    await unlink(join(lockPath, entry));
    await clearIfEmpty(lockPath);
  }
}
