import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeFolderAtomic } from '../../../../../electron/services/fs/atomic';

const dir = () => mkdtempSync(join(tmpdir(), 'pws-atomic-'));

describe('atomic writes', () => {
  it('replaces a file whole and leaves no temporary file', async () => {
    const d = dir();
    await writeFileAtomic(join(d, 'a.json'), 'one');
    await writeFileAtomic(join(d, 'a.json'), 'two', 0o600);
    expect(readFileSync(join(d, 'a.json'), 'utf8')).toBe('two');
    expect(statSync(join(d, 'a.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(d)).toEqual(['a.json']);
  });

  it('leaves the old file untouched when the write fails', async () => {
    const d = dir();
    writeFileSync(join(d, 'a'), 'old');
    // Writing "under" a file fails part-way.
    await expect(writeFileAtomic(join(d, 'a', 'b'), 'new')).rejects.toThrow();
    expect(readFileSync(join(d, 'a'), 'utf8')).toBe('old');
  });

  it('replaces a folder whole; a failure keeps the old folder and cleans up', async () => {
    const d = dir();
    const target = join(d, 'cert');
    await writeFolderAtomic(target, [
      { name: 'A.bin', data: 'a' },
      { name: 'B.bin', data: 'b' },
    ]);
    expect(readdirSync(target).sort()).toEqual(['A.bin', 'B.bin']);
    await writeFolderAtomic(target, [{ name: 'C.bin', data: 'c' }]);
    expect(readdirSync(target)).toEqual(['C.bin']);
    await expect(
      writeFolderAtomic(target, [
        { name: 'ok.bin', data: 'x' },
        { name: 'sub/a.bin', data: 'y' },
        { name: 'a\0.bin', data: 'z' },
      ]),
    ).rejects.toThrow();
    expect(readdirSync(target)).toEqual(['C.bin']);
    expect(readdirSync(d)).toEqual(['cert']);
  });

  it('refuses file names that would escape the folder, writing nothing', async () => {
    const d = dir();
    await expect(writeFolderAtomic(join(d, 'cert'), [{ name: '../escape.bin', data: 'x' }])).rejects.toThrow(/inside/);
    await expect(writeFolderAtomic(join(d, 'cert'), [{ name: '/etc/x', data: 'x' }])).rejects.toThrow(/inside/);
    expect(readdirSync(d)).toEqual([]);
  });
});
