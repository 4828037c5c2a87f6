import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What the built CLI reads to start: a command should load the bundle's entry and a few of its chunks, never
 * npm packages one file at a time (the cost the bundle removes). Counted files, not timed: speed is measured
 * in bench/init.bench.ts.
 */
const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../../..');
let root: string;

beforeAll(async () => {
  await run(process.execPath, ['scripts/build.mjs', 'node'], { cwd: repo });
  root = await mkdtemp(join(tmpdir(), 'pws-startup-'));
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

/** Runs `pws ARGS` and returns the files it loaded, relative to the repository, each once. */
async function loadsOf(name: string, args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const record = join(root, `${name}.loads`);
  await run(process.execPath, ['--import', join(repo, 'tests/support/record-loads.mjs'), join(repo, 'bin/pws.cjs'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: root, PWS_DATA_DIR: join(root, 'data'), PWS_RECORD_LOADS: record, ...env },
  }).catch((err: { code?: number }) => {
    if (err.code !== 1) throw err; // a command may fail (no server to reach); what it loaded is recorded all the same
  });
  const lines = (await readFile(record, 'utf8')).split('\n').filter(Boolean);
  return [...new Set(lines.map((f) => relative(repo, f)))].filter((f) => !f.startsWith('tests/support/'));
}

/** The npm packages bundled into these files, from their source maps. */
async function bundledPackages(files: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const f of files.filter((file) => file.startsWith('dist/'))) {
    const { sources } = JSON.parse(await readFile(join(repo, `${f}.map`), 'utf8')) as { sources: string[] };
    for (const s of sources) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(s);
      if (m) found.add(m[1]!);
    }
  }
  return [...found];
}

describe('pws start-up: files read', () => {
  it('`pws --help` reads the entry and its shared runtime, and no package', async () => {
    const files = await loadsOf('help', ['--help']);
    expect(files.filter((f) => !f.startsWith('dist/cli/'))).toEqual(['bin/pws.cjs']);
    // bin, the entry, the command table, esbuild's runtime, the logger and shared/domain/mask.ts (what masks
    // secrets in everything the CLI prints; a chunk of its own, as the database URL code shares it)
    expect(files.length).toBeLessThanOrEqual(6);
    expect(await bundledPackages(files)).toEqual([]);
  });

  it('`pws init -q` reads a handful of bundle files: no package, no X.509 library, not the rest of the core', async () => {
    const files = await loadsOf('init', ['init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', join(root, 'out')]);
    expect(files.filter((f) => !f.startsWith('dist/cli/'))).toEqual(['bin/pws.cjs']);
    // bin, the entry, init, the update-certificate service and ten shared chunks (one of them services/fs/user-paths.ts,
    // the file calls that always end, which init needs for its --dir and -c/-k; one shared/domain/mask.ts)
    expect(files.length).toBeLessThanOrEqual(14);
    expect(
      files.some((f) => /\/composition-/.test(f)),
      files.join('\n'),
    ).toBe(false);
    expect(await bundledPackages(files)).toEqual([]);
  });

  it('a command that uses the core still reads one bundle, its npm packages included', async () => {
    const files = await loadsOf('settings', ['settings', 'get', '--json']);
    expect(files.filter((f) => f.includes('node_modules/'))).toEqual([]);
    expect(await bundledPackages(files)).toContain('zod');
  });

  it('`pws history` loads the settings and the history store only: no PostgreSQL client without a database, and it with one', async () => {
    const local = await loadsOf('history-local', ['history', '--json']);
    expect(
      local.some((f) => /\/composition-/.test(f)),
      local.join('\n'),
    ).toBe(false);
    expect(await bundledPackages(local)).not.toContain('pg');
    expect(local.some((f) => /\/pg-database-/.test(f))).toBe(false);
    // A URL nothing listens at: the command fails, but it had to load node-postgres to try.
    const shared = await loadsOf('history-shared', ['history', '--json'], { PWS_DATABASE_URL: `postgres://pws@/pws?host=${join(root, 'no-server')}` });
    expect(await bundledPackages(shared)).toContain('pg');
  });
});
