import { lstat, mkdir, open, readFile, rename, rm, rmdir, chmod, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

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

/**
 * Writes several files as one change: every new file is written in full and flushed beside its target
 * first, then each is renamed into place. If anything fails, files already replaced get their old
 * content back, new ones and new folders are removed, so the folder is left as it was.
 */
export async function writeFilesTogether(files: readonly FileToWrite[], ops: WriteFsOps = { rename }): Promise<void> {
  const previous: Previous[] = [];
  for (const f of files) {
    try {
      const st = await lstat(f.path);
      if (!st.isFile()) throw new Error(`${f.path} exists and is not a regular file: move it away first`);
      previous.push({ path: f.path, data: await readFile(f.path), mode: st.mode & 0o777 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      previous.push({ path: f.path, data: undefined });
    }
  }

  const createdDirs: string[] = [];
  const temps: string[] = [];
  const renamed: Previous[] = [];
  try {
    for (const f of files) {
      const made = await mkdir(dirname(f.path), { recursive: true });
      if (made) createdDirs.push(made);
      const tmp = join(dirname(f.path), `.${basename(f.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      temps.push(tmp);
      await writeFile(tmp, f.data, { mode: f.mode, flag: 'wx' });
      await chmod(tmp, f.mode); // the umask must not loosen or tighten what the format asks for
      const fh = await open(tmp, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
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
