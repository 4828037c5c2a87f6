import { lstat, open, readFile, rename, rm, rmdir, chmod, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { makeFolders } from '../fs/user-paths';

export interface FileToWrite {
  /** Absolute path. */
  path: string;
  data: string | Uint8Array;
  mode: number;
}

export interface WriteFsOps {
  rename: typeof rename;
}

type Previous = { path: string; data: Buffer; mode: number } | { path: string; data: undefined };

async function readPrevious(path: string): Promise<Previous> {
  try {
    const st = await lstat(path);
    if (!st.isFile()) throw new Error(`${path} exists and is not a regular file: move it away first`);
    return { path, data: await readFile(path), mode: st.mode & 0o777 };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return { path, data: undefined };
  }
}

async function writeFlushed(tmp: string, f: FileToWrite): Promise<void> {
  const fh = await open(tmp, 'wx', f.mode);
  try {
    await fh.writeFile(f.data);
    await fh.chmod(f.mode); // the umask must not loosen or tighten what the format asks for
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Like Promise.all, but rejects only once every promise has settled, so nothing is still writing during a rollback. */
async function allSettledOrThrow(promises: Array<Promise<unknown>>): Promise<void> {
  const failed = (await Promise.allSettled(promises)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Writes several files as one change: every new file is written in full and flushed beside its target
 * first (all at once), then each is renamed into place. If anything fails, files already replaced get their
 * old content back, new ones and new folders are removed, so the folder is left as it was.
 */
export async function writeFilesTogether(files: readonly FileToWrite[], ops: WriteFsOps = { rename }): Promise<void> {
  const previous = await Promise.all(files.map((f) => readPrevious(f.path)));
  const createdDirs: string[] = [];
  const temps = files.map((f) => join(dirname(f.path), `.${basename(f.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`));
  const renamed: Previous[] = [];
  try {
    for (const folder of new Set(files.map((f) => dirname(f.path)))) {
      const made = await makeFolders(folder);
      if (made) createdDirs.push(made);
    }
    await allSettledOrThrow(files.map((f, i) => writeFlushed(temps[i]!, f)));
    for (const [i, f] of files.entries()) {
      await ops.rename(temps[i]!, f.path);
      renamed.push(previous[i]!);
    }
  } catch (err) {
    for (const p of renamed.reverse()) {
      if (p.data === undefined) await rm(p.path, { force: true });
      else await writeFile(p.path, p.data, { mode: p.mode }).then(() => chmod(p.path, p.mode));
    }
    for (const t of temps) await rm(t, { force: true });
    for (const d of createdDirs.reverse()) await rm(d, { recursive: true, force: true }).catch(() => rmdir(d).catch(() => undefined));
    throw err;
  }
}
