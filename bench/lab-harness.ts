/**
 * What the lab benchmarks share: bringing the device lab to a size and back to what it was, and running a
 * worker inside the lab's workstation namespace that answers one JSON line on stdout.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LAB_DIR, LAB_PREFIX, LAB_SCRIPT, LAB_WORKSTATION_NAMESPACE, REPO_ROOT } from '../tests/lab/lab';

const run = promisify(execFile);

export const labIsUp = () => existsSync(`/run/netns/${LAB_PREFIX}-sw`);

export async function lab(args: string[], say: (m: string) => void): Promise<void> {
  say(`lab.sh ${args.join(' ')}`);
  await run('bash', [LAB_SCRIPT, ...args], { cwd: REPO_ROOT, timeout: 600_000, maxBuffer: 16 << 20 });
}

/** The `up` arguments that recreate a lab from its `.lab/shape` line, or null when no lab is up. */
export function currentLabArgs(): string[] | null {
  const shapeFile = join(LAB_DIR, 'shape');
  if (!labIsUp() || !existsSync(shapeFile)) return null;
  return upArgsOfShape(readFileSync(shapeFile, 'utf8'));
}

/** `n=3 non-mbl=[2 3] … ws-avahi=no` → `up 3 --non-mbl 2,3`: lab.sh writes lists with spaces and reads them with commas. */
export function upArgsOfShape(shape: string): string[] | null {
  const n = /n=(\d+)/.exec(shape)?.[1];
  if (!n) return null;
  const args = ['up', n];
  for (const [key, flag] of [
    ['non-mbl', '--non-mbl'],
    ['ipv6-only', '--ipv6-only'],
    ['key-only', '--key-only'],
  ] as const) {
    const list = new RegExp(`${key}=\\[([^\\]]*)\\]`).exec(shape)?.[1]?.trim();
    if (list) args.push(flag, list.replace(/\s+/g, ','));
  }
  if (/ws-avahi=yes/.test(shape)) args.push('--ws-avahi');
  return args;
}

/** Node flags for the workers alone, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile what a bench measures. */
const WORKER_NODE_ARGS = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);

/**
 * Runs `node --import tsx BENCH --worker ARGS…` in the lab's workstation namespace (with BENCH_WORKER_NODE_ARGS);
 * answers its last stdout line, parsed.
 */
export function runWorker<T>(benchFile: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'ip',
      ['netns', 'exec', LAB_WORKSTATION_NAMESPACE, process.execPath, ...WORKER_NODE_ARGS, '--import', 'tsx', benchFile, '--worker', ...args],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker exited ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '[]') as T);
      } catch (err) {
        reject(err);
      }
    });
  });
}
