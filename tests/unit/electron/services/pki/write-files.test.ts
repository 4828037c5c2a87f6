import { mkdtemp, readdir, readFile, rename, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFilesTogether } from '../../../../../electron/services/pki/write-files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pws-write-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function listing(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const p = join(entry.parentPath, entry.name);
    out[p.slice(root.length)] = entry.isFile() ? `${await readFile(p, 'utf8')}|${((await stat(p)).mode & 0o777).toString(8)}` : 'dir';
  }
  return out;
}

describe('writeFilesTogether', () => {
  it('writes every file with its mode, creating folders', async () => {
    await writeFilesTogether([
      { path: join(dir, 'sub/a.txt'), data: 'a', mode: 0o600 },
      { path: join(dir, 'b.txt'), data: 'b', mode: 0o644 },
    ]);
    expect(await listing(dir)).toEqual({ '/sub': 'dir', '/sub/a.txt': 'a|600', '/b.txt': 'b|644' });
  });

  it('puts everything back when a rename fails halfway', async () => {
    await writeFile(join(dir, 'b.txt'), 'old b', { mode: 0o640 });
    const before = await listing(dir);
    let renames = 0;
    const failing = (async (from: string, to: string) => {
      if (++renames === 3) throw new Error('disk full');
      return rename(from, to);
    }) as typeof rename;
    await expect(
      writeFilesTogether(
        [
          { path: join(dir, 'new/a.txt'), data: 'a', mode: 0o600 },
          { path: join(dir, 'b.txt'), data: 'b', mode: 0o644 },
          { path: join(dir, 'c.txt'), data: 'c', mode: 0o644 },
        ],
        { rename: failing },
      ),
    ).rejects.toThrow('disk full');
    expect(await listing(dir)).toEqual(before);
  });

  it('refuses to replace a folder and changes nothing', async () => {
    await mkdir(join(dir, 'x.txt'));
    await expect(
      writeFilesTogether([
        { path: join(dir, 'y.txt'), data: 'y', mode: 0o644 },
        { path: join(dir, 'x.txt'), data: 'x', mode: 0o644 },
      ]),
    ).rejects.toThrow(/not a regular file/);
    expect(await listing(dir)).toEqual({ '/x.txt': 'dir' });
  });
});
