import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudEmulator, type CloudEmulator } from '../../cloud-emulator/emulator';
import { buildCli, filesContaining, REPO, requireKeyring, secretToolLookup } from './cli-support';

/**
 * `pws api-key save` as the README shows it, through `npx` (whose debug log keeps the whole command line), with
 * HOME and npm's cache and log folders inside one temporary folder: the key must reach the keychain and no file.
 */
// made at run time: npx copies the project (this file too) into its cache, so a literal key would be found there
const KEY = `ak_${randomBytes(24).toString('hex')}`;
const MASKED = `ak_…${KEY.slice(-4)}`;

let emu: CloudEmulator;

beforeAll(async () => {
  await requireKeyring();
  await buildCli();
  emu = await startCloudEmulator();
  emu.addAccount({ name: 'Prompt account', apiKey: KEY });
});
afterAll(async () => {
  await emu?.close();
});

function sandbox() {
  const root = mkdtempSync(join(tmpdir(), 'pws-apikey-'));
  const home = join(root, 'home');
  mkdirSync(home);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    PWS_DATA_DIR: join(root, 'data'),
    npm_config_cache: join(root, 'npm-cache'),
    npm_config_logs_dir: join(root, 'npm-logs'),
    TMPDIR: join(root, 'tmp'),
  };
  mkdirSync(env.TMPDIR!);
  delete env.PWS_API_KEY;
  return { root, env };
}

/** Runs a command, feeding `input` once `waitFor` appears on its output (or at once). */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input: string, waitFor?: RegExp): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let fed = false;
    const feed = () => {
      if (fed) return;
      fed = true;
      child.stdin.end(input);
    };
    const seen = () => waitFor && waitFor.test(out + err) && feed();
    child.stdout.on('data', (d) => {
      out += d;
      seen();
    });
    child.stderr.on('data', (d) => {
      err += d;
      seen();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    if (!waitFor) feed();
  });
}

describe('pws api-key save: the key is never on a command line', () => {
  it('README, the user guide, the CLI reference and --help show only the prompt/stdin form', async () => {
    const help = await run(process.execPath, ['bin/pws.cjs', 'api-key', '--help'], process.env, '');
    for (const [where, text] of [
      ['README.md', readFileSync(join(REPO, 'README.md'), 'utf8')],
      ['docs/user-guide.md', readFileSync(join(REPO, 'docs', 'user-guide.md'), 'utf8')],
      ['docs/cli.md', readFileSync(join(REPO, 'docs', 'cli.md'), 'utf8')],
      ['pws api-key --help', help.out + help.err],
    ]) {
      expect(text, where).toMatch(/pws api-key save(?! (?:KEY|ak_|-(?!-)))/);
      expect(text, where).not.toMatch(/api-key save (?:KEY|ak_|-(?!-))/);
    }
  });

  it('via npx with the key on stdin (the documented form): saved, and no file under HOME or the temp folder holds it', async () => {
    const sb = sandbox();
    const r = await run('npx', ['pws', 'api-key', 'save', '--api-url', emu.url], sb.env, `${KEY}\n`);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`Saved API key ${MASKED}`);
    expect(r.err).not.toMatch(/warning/);
    expect(await secretToolLookup(emu.url)).toBe(KEY);
    expect(filesContaining(sb.root, KEY)).toEqual([]);
    expect(r.out + r.err).not.toContain(KEY);
  }, 60_000);

  it('at a terminal it asks without echoing what is typed', async () => {
    const sb = sandbox();
    // `script` gives pws a real pseudo-terminal; the key is typed only once the prompt is up
    const r = await run(
      'script',
      ['-qfec', `${process.execPath} bin/pws.cjs api-key save --api-url ${emu.url}`, '/dev/null'],
      sb.env,
      `${KEY}\r`,
      /not shown as you type/,
    );
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`Saved API key ${MASKED}`);
    expect(r.out).not.toContain(KEY);
    expect(filesContaining(sb.root, KEY)).toEqual([]);
  }, 60_000);

  it('KEY on the command line still works for old scripts, but warns why it is unsafe (and npm did log it)', async () => {
    const sb = sandbox();
    const r = await run('npx', ['pws', 'api-key', 'save', KEY, '--api-url', emu.url], sb.env, '');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: an API key given on the command line is visible .* process list.*shell history.*npm's logs/);
    // the search above can find it: this form leaves the key in npm's debug log
    expect(filesContaining(sb.root, KEY).some((f) => f.includes('npm-logs') || f.includes('_logs'))).toBe(true);
  }, 60_000);
});
