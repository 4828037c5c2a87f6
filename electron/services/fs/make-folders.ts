import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p` that always ends. Node's `mkdir(path, { recursive: true })` spins for ever where a folder exists but
 * answers ENOENT for a child (anything under /proc): it takes ENOENT to mean "the parent is missing", makes the
 * parent (which exists) and tries again. Here each parent is made at most once, so a second ENOENT is the answer.
 * Answers the first folder it made, as Node's does, or undefined when the folder was there.
 */
export async function makeFolders(path: string, mode?: number): Promise<string | undefined> {
  const target = resolve(path);
  const made = await makeOne(target, mode);
  if (made !== 'missing-parent') return made;
  const first = await makeFolders(dirname(target), mode);
  const again = await makeOne(target, mode);
  if (again === 'missing-parent') throw Object.assign(new Error(`ENOENT: no such file or directory, mkdir '${target}'`), { code: 'ENOENT', path: target });
  return first ?? again;
}

async function makeOne(folder: string, mode: number | undefined): Promise<string | undefined | 'missing-parent'> {
  try {
    await mkdir(folder, mode === undefined ? {} : { mode });
    return folder;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && dirname(folder) !== folder) return 'missing-parent';
    if (code === 'EEXIST' && (await stat(folder).catch(() => null))?.isDirectory()) return undefined;
    throw err;
  }
}
