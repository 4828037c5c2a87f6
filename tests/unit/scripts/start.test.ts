import { describe, it, expect, beforeEach } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `npm start` (scripts/start.mjs) run in a throwaway project whose `electron` package points at a STAND-IN
// binary: a shell script that records its arguments, then exits, crashes or waits to be killed, as told.
let project: string;

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'pws-start-'));
  mkdirSync(join(project, 'scripts'));
  for (const script of ['start.mjs', 'electron-binary.mjs', 'linux-sandbox.mjs']) cpSync(join('scripts', script), join(project, 'scripts', script));
  writeFileSync(join(project, 'scripts', 'build.mjs'), ''); // the build is not what these tests are about
  mkdirSync(join(project, 'node_modules', 'electron'), { recursive: true });
  const standIn = join(project, 'electron-stand-in');
  writeFileSync(
    standIn,
    [
      '#!/bin/sh',
      'echo "$@" > "$(dirname "$0")/args"',
      'case "$STAND_IN" in',
      '  crash) exit 3 ;;',
      '  killed) kill -KILL $$ ;;',
      // bounded, so a failing test leaves no process behind for long
      '  wait) touch "$(dirname "$0")/started"; i=0; while [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done; exit 9 ;;',
      'esac',
      'exit 0',
      '',
    ].join('\n'),
  );
  chmodSync(standIn, 0o755);
  writeFileSync(join(project, 'node_modules', 'electron', 'index.js'), `module.exports = ${JSON.stringify(standIn)};\n`);
});

function start(standIn: string, whileRunning?: (pid: number) => Promise<void>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: project, env: { ...process.env, STAND_IN: standIn } });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  void whileRunning?.(child.pid!);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('npm start (scripts/start.mjs)', () => {
  it('exits 0 when Electron exits 0', async () => {
    expect((await start('ok')).code).toBe(0);
  });

  it('exits with Electron’s own code when it crashes', async () => {
    expect((await start('crash')).code).toBe(3);
  });

  it('exits 1, and says so, when a signal kills Electron', async () => {
    const { code, stderr } = await start('killed');
    expect(code).toBe(1);
    expect(stderr).toContain('Electron was ended by SIGKILL');
  });

  it('passes Ctrl-C or kill on to Electron, and still exits 1', async () => {
    const { code, stderr } = await start('wait', async (pid) => {
      await until(() => existsSync(join(project, 'started')));
      process.kill(pid, 'SIGTERM');
    });
    expect(code).toBe(1);
    expect(stderr).toContain('Electron was ended by SIGTERM');
  });

  it.runIf(process.platform === 'linux' && process.getuid?.() === 0)('as root on Linux, runs Electron with --no-sandbox and says why in one line', async () => {
    const { code, stderr } = await start('ok');
    expect(code).toBe(0);
    expect(readFileSync(join(project, 'args'), 'utf8').trim()).toBe('--no-sandbox .');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^start: running as root.*--no-sandbox/)]);
  });

  it('where no Electron binary exists, points to npm run web in one line and exits 1', async () => {
    writeFileSync(join(project, 'node_modules', 'electron', 'index.js'), 'throw new Error("Electron failed to install correctly");\n');
    const { code, stderr } = await start('ok');
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining('run `npm run web`')]);
  });
});
