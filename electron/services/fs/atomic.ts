import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join, isAbsolute, normalize, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { makeFolders } from './user-paths';

const tmpName = (target: string) => join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);

/**
 * Write a file so that readers see either the old content or the new, never a half: write a temporary
 * file beside the target, flush it to disk, then rename it over the target (atomic on POSIX and NTFS).
 * `flush: false` skips the flush: still whole after a crash of the process, not after a power cut.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o644, opts: { flush?: boolean } = {}): Promise<void> {
  await makeFolders(dirname(target));
  const tmp = tmpName(target);
  try {
    await writeFile(tmp, data, { mode, flag: 'wx' });
    if (opts.flush !== false) {
      const fh = await open(tmp, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function writeJsonAtomic(target: string, value: unknown, mode = 0o644, opts: { flush?: boolean } = {}): Promise<void> {
  await writeFileAtomic(target, `${JSON.stringify(value, null, 2)}\n`, mode, opts);
}

/**
 * Write several files into a folder as one step: fill a temporary sibling folder, then rename it into
 * place (replacing an existing folder of that name only after the new one is complete).
 */
export async function writeFolderAtomic(
  target: string,
  files: ReadonlyArray<{ name: string; data: string | Uint8Array; mode?: number }>,
  folderMode = 0o755,
): Promise<void> {
  for (const f of files) {
    const n = normalize(f.name);
    if (!f.name || isAbsolute(n) || n === '..' || n.startsWith(`..${sep}`) || f.name.includes('\0')) {
      throw new Error(`refusing to write "${f.name}": file names must stay inside ${target}`);
    }
  }
  await makeFolders(dirname(target));
  const tmp = tmpName(target);
  const old = `${tmp}.old`;
  try {
    await mkdir(tmp, { mode: folderMode });
    for (const f of files) {
      await makeFolders(dirname(join(tmp, f.name)));
      await writeFile(join(tmp, f.name), f.data, { mode: f.mode ?? 0o644 });
    }
    // rename() can't replace a non-empty folder, so move the old one aside first.
    let hadOld = false;
    try {
      await rename(target, old);
      hadOld = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    try {
      await rename(tmp, target);
    } catch (err) {
      if (hadOld) await rename(old, target);
      throw err;
    }
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
