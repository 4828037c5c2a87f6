import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base } from '@playwright/test';

export interface RunningHost {
  url: string;
  /** The temporary HOME and app-data folder the host was started with. */
  home: string;
  dataDir: string;
  stderr: string[];
  stop(): Promise<void>;
}

/** Starts `node dist/host/web.cjs` (what `npm run web` runs) with a private HOME and data folder. */
export async function startHost(env: NodeJS.ProcessEnv = {}): Promise<RunningHost> {
  const home = mkdtempSync(join(tmpdir(), 'pws-e2e-home-'));
  const dataDir = join(home, 'data');
  mkdirSync(dataDir);
  const child: ChildProcess = spawn(process.execPath, ['dist/host/web.cjs'], {
    env: { ...process.env, HOME: home, PWS_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${stderr.join('\n')}`)), 15_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}: ${stderr.join('\n')}`)));
  });
  return {
    url,
    home,
    dataDir,
    stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A Playwright test with a fresh web host per test: `test('…', async ({ page, host }) => …)`. */
export const test = base.extend<{ hostEnv: NodeJS.ProcessEnv; host: RunningHost }>({
  hostEnv: [{}, { option: true }],
  host: async ({ hostEnv }, use) => {
    const host = await startHost(hostEnv);
    await use(host);
    await host.stop();
  },
});
export { expect } from '@playwright/test';
