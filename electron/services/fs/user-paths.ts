import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * File-system calls on paths a person gives (a flag, a setting, a folder picked in the wizard), made so that they
 * always end with an answer: Node's own recursive mkdir spins for ever under /proc, and a plain read of /dev/zero
 * or a named pipe never returns.
 */

/** Certificates, keys and C files are kilobytes; an enrollment CSV of 100,000 identities is about 10 MB. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

class InputFileRefused extends Error {}

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a pipe';
  if (st.isSocket()) return 'a socket';
  return 'a device';
}

export interface InputFileOptions {
  maxBytes?: number;
  /** false: refuse a symbolic link (ELOOP), for folders others can write into, such as a shared Team Store. */
  followLinks?: boolean;
  /** What to tell the user when the path is not a regular file: a file the app writes is moved away, not chosen. */
  notAFileAdvice?: string;
}

const openFlags = (o: InputFileOptions) => constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (o.followLinks === false ? (constants.O_NOFOLLOW ?? 0) : 0);

function refusal(st: Stats, maxBytes: number, notAFileAdvice = 'choose the file itself'): InputFileRefused | undefined {
  if (!st.isFile()) return new InputFileRefused(`it is ${kindOf(st)}, not a file: ${notAFileAdvice}`);
  if (st.size > maxBytes)
    return new InputFileRefused(
      `it is ${mib(st.size)}, more than the ${mib(maxBytes)} a certificate, key, C file or CSV can be: check that this is the right file`,
    );
  return undefined;
}

/**
 * Reads a file the user named (a certificate, key, C file or CSV). What is not a regular file is refused before a
 * byte is read: a device such as /dev/zero never ends, and a FIFO waits for a writer (it is opened non-blocking so
 * that not even the open waits). So is a file over `maxBytes`, rather than filling the memory.
 */
export async function readInputFile(path: string, options: InputFileOptions = {}): Promise<Buffer> {
  const handle = await open(path, openFlags(options));
  try {
    const refused = refusal(await handle.stat(), options.maxBytes ?? MAX_INPUT_BYTES, options.notAFileAdvice);
    if (refused) throw refused;
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** `readInputFile` for code that must stay synchronous (building node-postgres' TLS options). */
export function readInputFileSync(path: string, options: InputFileOptions = {}): Buffer {
  const fd = openSync(path, openFlags(options));
  try {
    const refused = refusal(fstatSync(fd), options.maxBytes ?? MAX_INPUT_BYTES, options.notAFileAdvice);
    if (refused) throw refused;
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Why a file could not be read, in words that follow "could not read FILE: ". */
export function readProblem(err: unknown): string {
  if (err instanceof InputFileRefused) return err.message;
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: check who may read it';
    case 'EISDIR':
      return 'it is a folder, not a file: choose the file itself';
    default:
      return (err as Error).message;
  }
}

/** Why a file or folder of the app's own could not be written, in words that follow "could not write FILE: ". */
export function writeProblem(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: check who owns the folder, or give the app another one with PWS_DATA_DIR';
    case 'ENOSPC':
      return 'the disk is full: free some space and try again';
    case 'EROFS':
      return 'the file system is read-only: give the app a writable folder with PWS_DATA_DIR';
    case 'ENOTDIR':
      return 'a part of its path is a file, not a folder';
    default:
      return (err as Error).message;
  }
}

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
