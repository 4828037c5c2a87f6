import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock } from '../../../../../electron/services/identities/file-lock';

const tempDir = () => mkdtemp(join(tmpdir(), 'pws-file-lock-'));

describe('withFileLock', () => {
  it('holds the lock with its pid in it while the work runs, and leaves nothing behind', async () => {
    const dir = await tempDir();
    const lock = join(dir, 'registry.lock');
    const seen = await withFileLock(lock, () => readFile(lock, 'utf8'));
    expect(seen).toBe(`${process.pid}\n`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over an empty lock, as a process killed between creating the file and writing its pid left it', async () => {
    const dir = await tempDir();
    const lock = join(dir, 'registry.lock');
    await writeFile(lock, '');
    await expect(withFileLock(lock, async () => 'ran', 300)).resolves.toBe('ran');
  });

  it('waits for a live holder and then names the file and the process', async () => {
    const dir = await tempDir();
    const lock = join(dir, 'registry.lock');
    await writeFile(lock, `${process.pid}\n`);
    await expect(withFileLock(lock, async () => 'ran', 100)).rejects.toThrow(`${lock} is held by process ${process.pid}: wait for it to finish`);
  });
});
