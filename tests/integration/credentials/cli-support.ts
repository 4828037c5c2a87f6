import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const REPO = resolve(import.meta.dirname, '../../..');
export const FIXTURES = join(REPO, 'tests/fixtures');
const run = promisify(execFile);

export async function buildCli(): Promise<void> {
  await run(process.execPath, ['scripts/build.mjs', 'node'], { cwd: REPO });
}

export type CliRun = { code: number; stdout: string; stderr: string };

/**
 * Runs the built `pws` asynchronously (the emulator answers from this process meanwhile). `stdin: null` is a person
 * who has not typed yet: stdin stays open, and a run still waiting after 10 s is stopped (exit code -1).
 */
export function pws(args: string[], env: NodeJS.ProcessEnv, stdin?: string | null): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/pws.cjs'), ...args], { cwd: REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    const waiting = stdin === null ? setTimeout(() => child.kill(), 10_000) : undefined;
    child.on('close', (code) => {
      clearTimeout(waiting);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
    if (stdin !== null) child.stdin.end(stdin ?? '');
  });
}

/** A fresh HOME and data dir, and the environment the CLI runs with (keychain session inherited, no PWS_API_KEY). */
export function sandbox(apiUrl: string, extra: NodeJS.ProcessEnv = {}) {
  const root = mkdtempSync(join(tmpdir(), 'pws-cred-it-'));
  const home = join(root, 'home');
  const dataDir = join(root, 'data');
  mkdirSync(home, { recursive: true }); // gnome-keyring-daemon needs an existing HOME for its control socket
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, PWS_DATA_DIR: dataDir, PWS_API_URL: apiUrl };
  delete env.PWS_API_KEY;
  Object.assign(env, extra);
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return { root, home, dataDir, env, team: join(home, '.mbl-store/team') };
}

/** Every file under `dir` whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      let s;
      try {
        s = statSync(p);
      } catch {
        continue; // gone meanwhile (a keyring daemon's socket, another test's temp file)
      }
      if (s.isDirectory()) walk(p);
      else if (s.isFile() && readFileSync(p).includes(needle)) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}

export async function secretToolLookup(account: string): Promise<string | null> {
  try {
    const { stdout } = await run('secret-tool', ['lookup', 'service', 'provisioning-workstation', 'account', account]);
    return stdout;
  } catch {
    return null;
  }
}

/**
 * The suite needs a reachable, unlocked keyring: fail with one clear line otherwise (never skip).
 * Writes and deletes a probe item through keytar, as the app does.
 */
export async function requireKeyring(): Promise<void> {
  const recipe =
    "run inside: XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- sh -c 'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec npx vitest run --project integration tests/integration/credentials'";
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error(`no OS keyring reachable (no D-Bus session bus): ${recipe}`);
  try {
    const mod = (await import('keytar')) as typeof import('keytar') & { default?: typeof import('keytar') };
    const keytar = mod.default ?? mod;
    await keytar.setPassword('provisioning-workstation-probe', 'probe', 'probe');
    const back = await keytar.getPassword('provisioning-workstation-probe', 'probe');
    await keytar.deletePassword('provisioning-workstation-probe', 'probe');
    if (back !== 'probe') throw new Error('the probe item did not read back (keyring locked?)');
  } catch (err) {
    throw new Error(`no usable OS keyring (${(err as Error).message}): ${recipe}`, { cause: err });
  }
}
