import { describe, it, expect } from 'vitest';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFolders } from '../../../../../electron/services/fs/make-folders';

const dir = () => mkdtempSync(join(tmpdir(), 'pws-folders-'));

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
