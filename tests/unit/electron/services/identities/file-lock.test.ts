import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withFileLock } from '../../../../../electron/services/identities/file-lock';

const tempDir = () => mkdtemp(join(tmpdir(), 'pws-file-lock-'));

describe('withFileLock', () => {
  it('holds the lock, named after its pid, while the work runs, and leaves nothing behind', async () => {
    const dir = await tempDir();
    const lock = join(dir, 'registry.lock');
    const seen = await withFileLock(lock, () => readdir(lock));
    expect(seen).toEqual([expect.stringMatching(new RegExp(`^${process.pid}\\.`))]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("removes the staging folders of takers that died mid-take, and keeps a live taker's", async () => {
    const dir = await tempDir();
    const lock = join(dir, 'registry.lock');
    const deadPid = 2 ** 22 + 1; // above Linux's pid_max ceiling: no process can have it
    await mkdir(join(dir, `registry.lock.${deadPid}.aB3xYz`));
    await mkdir(join(dir, `registry.lock.${process.pid}.Qw9ErT`));
    await withFileLock(lock, async () => undefined);
    expect(await readdir(dir)).toEqual([`registry.lock.${process.pid}.Qw9ErT`]);
  });

  it('removes the pid-less staging folders older versions left behind, once they are a minute old', async () => {
    const dir = await tempDir();
    const lock = join(dir, 'registry.lock');
    await mkdir(join(dir, 'registry.lock.Old9xZ'));
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(dir, 'registry.lock.Old9xZ'), anHourAgo, anHourAgo);
    await mkdir(join(dir, 'registry.lock.New4aB')); // may be an older version's take in progress
    await mkdir(join(dir, 'registry.lock.notes')); // not a staging name
    await utimes(join(dir, 'registry.lock.notes'), anHourAgo, anHourAgo);
    await withFileLock(lock, async () => undefined);
    expect((await readdir(dir)).sort()).toEqual(['registry.lock.New4aB', 'registry.lock.notes']);
  });

  it('takes over an empty lock file, as an older version killed between creating it and writing its pid left it', async () => {
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

describe('withFileLock across processes', () => {
  const CONTENDER = fileURLToPath(new URL('./file-lock-contender.ts', import.meta.url));
  const start = (lock: string, journal: string) => {
    const child = fork(CONTENDER, [lock, journal], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    const next = () =>
      new Promise<string>((resolve, reject) => {
        child.once('message', (m) => resolve(String(m)));
        child.once('exit', (code) => reject(new Error(`contender ${child.pid} exited (${code})`)));
      });
    return { child, next };
  };

  it("lets one process at a time in when several take over the same dead holder's lock at once", async () => {
    const dir = await tempDir();
    const lock = join(dir, 'registry.lock');
    const journal = join(dir, 'journal');
    await writeFile(journal, '');
    const contenders = Array.from({ length: 4 }, () => start(lock, journal));
    try {
      await Promise.all(contenders.map((c) => c.next()));
      for (let round = 0; round < 15; round++) {
        const holder = start(lock, journal);
        await holder.next();
        const died = once(holder.child, 'exit');
        holder.child.send('die-holding');
        await died;
        const answers = contenders.map((c) => c.next());
        contenders.forEach((c) => c.child.send('contend'));
        expect(await Promise.all(answers)).toEqual(contenders.map(() => 'done'));
      }
    } finally {
      contenders.forEach((c) => c.child.kill());
    }
    const lines = (await readFile(journal, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(15 * 4 * 2);
    for (let i = 0; i < lines.length; i += 2) {
      const [enter, leave] = [lines[i]!, lines[i + 1]!];
      expect(`${enter} / ${leave}`).toMatch(/^enter (\d+) \/ leave \1$/);
    }
  }, 120_000);
});
