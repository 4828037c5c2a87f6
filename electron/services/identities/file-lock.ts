import { randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates the lock with our pid already in it, or answers false when it exists. The pid is written to a file of
 * our own first and then hard-linked into place, so the lock never exists empty: a process killed between
 * creating the lock and writing its pid would otherwise leave a lock that no later run could take over.
 */
async function tryCreate(lockPath: string): Promise<boolean> {
  const staged = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(staged, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
  try {
    await link(staged, lockPath);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(staged, { force: true });
  }
}

/**
 * Runs `work` while holding `lockPath`, a file created exclusively and holding our pid, so that two
 * processes of this station (the app and `pws`) never interleave a read-check-append. A lock whose process has
 * died, or with no pid in it (left by an older version killed mid-way), is taken over; one held longer than
 * `timeoutMs` by a live process is an error that names the file.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!(await tryCreate(lockPath))) {
    const content = await readFile(lockPath, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : ''));
    if (content === undefined) continue; // released meanwhile: try again
    const holder = Number(content.trim());
    if (!(Number.isInteger(holder) && holder > 0) || !alive(holder)) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`${lockPath} is held by process ${holder}: wait for it to finish, or remove the file if no pws or app process is running`);
    }
    await pause(10 + Math.random() * 20);
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}
