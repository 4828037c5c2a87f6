import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFolders, readInputFile, readInputFileSync, readProblem, writeProblem } from '../../../../../electron/services/fs/user-paths';

const dir = () => mkdtempSync(join(tmpdir(), 'pws-input-'));
const problemOf = (path: string, maxBytes?: number) =>
  readInputFile(path, { maxBytes }).then(
    () => 'read',
    (err: unknown) => readProblem(err),
  );

describe('readInputFile', () => {
  it('reads a file whole', async () => {
    const f = join(dir(), 'a.csv');
    writeFileSync(f, 'enrollment_identity\n');
    expect((await readInputFile(f)).toString()).toBe('enrollment_identity\n');
  });

  it('says "no such file" for a missing one', async () => {
    expect(await problemOf(join(dir(), 'missing.c'))).toBe('no such file');
  });

  it('refuses a folder', async () => {
    expect(await problemOf(dir())).toBe('it is a folder, not a file: choose the file itself');
  });

  it('refuses a device such as /dev/zero at once instead of reading it for ever', async () => {
    expect(await problemOf('/dev/zero')).toBe('it is a device, not a file: choose the file itself');
  }, 2_000);

  it('refuses a FIFO instead of waiting for a writer', async () => {
    const fifo = join(dir(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(await problemOf(fifo)).toBe('it is a pipe, not a file: choose the file itself');
  }, 2_000);

  it('does the same synchronously', () => {
    const f = join(dir(), 'ca.pem');
    writeFileSync(f, 'pem');
    expect(readInputFileSync(f).toString()).toBe('pem');
    expect(() => readInputFileSync('/dev/zero')).toThrow('it is a device, not a file: choose the file itself');
  }, 2_000);

  it('refuses a file larger than the limit, naming both sizes', async () => {
    const f = join(dir(), 'firmware.bin');
    writeFileSync(f, Buffer.alloc(3 * 1024 * 1024));
    expect(await problemOf(f, 1024 * 1024)).toBe(
      'it is 3.0 MiB, more than the 1.0 MiB a certificate, key, C file or CSV can be: check that this is the right file',
    );
  });
});

describe('makeFolders', () => {
  it('makes the missing folders with the mode given and answers the first one it made', async () => {
    const d = dir();
    expect(await makeFolders(join(d, 'a', 'b', 'c'), 0o700)).toBe(join(d, 'a'));
    for (const p of ['a', 'a/b', 'a/b/c']) expect(statSync(join(d, p)).mode & 0o777).toBe(0o700);
    expect(await makeFolders(join(d, 'a', 'b'))).toBeUndefined();
  });

  it('refuses a path through a file', async () => {
    const d = dir();
    writeFileSync(join(d, 'f'), '');
    await expect(makeFolders(join(d, 'f'))).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(makeFolders(join(d, 'f', 'g'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  // Node's own recursive mkdir spins for ever here (procfs answers ENOENT for a child of a folder that exists).
  it.runIf(process.platform === 'linux')(
    'ends with ENOENT under /proc instead of spinning',
    async () => {
      await expect(makeFolders('/proc/pws-no-such-folder/x')).rejects.toMatchObject({ code: 'ENOENT' });
    },
    2_000,
  );
});

describe('writeProblem', () => {
  it('words what the user can do about a file of the app that cannot be written', () => {
    const err = (code: string) => Object.assign(new Error(`${code}: raw`), { code });
    expect(writeProblem(err('EACCES'))).toBe('permission denied: check who owns the folder, or give the app another one with PWS_DATA_DIR');
    expect(writeProblem(err('ENOSPC'))).toBe('the disk is full: free some space and try again');
    expect(writeProblem(err('EROFS'))).toMatch(/^the file system is read-only/);
    expect(writeProblem(err('EIO'))).toBe('EIO: raw');
  });
});
