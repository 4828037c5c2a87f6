import { execFile, spawn } from 'node:child_process';
import { chmod, copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, deviceAddress, labDevice, labFault, labHeal, readLabState, requireLabWorkstation, scratchEntries } from '../../lab/lab';
import { makeLabCertificates, pws, type LabCertificates } from './lab-certificates';

/**
 * A door killed mid-run (kill -9: no cleanup runs) leaves certificates staged on its devices. The next start
 * finds the run in its journal, cleans the devices it can reach and says which it could not.
 */
const run = promisify(execFile);
const DEVS = [1, 2];
let certs: LabCertificates;
let dataDir: string;
const utility = (n: number) => join(labDevice(n).root, 'opt', 'arm', 'pelion-provisioning-util');
const saved = (n: number) => join(labDevice(n).root, 'opt', 'arm', '.pelion-provisioning-util.orig');
const leftovers = (n: number) => scratchEntries(n).filter((e) => e.includes('provisioning-certs'));

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  requireLabWorkstation();
  for (const d of readLabState()!.devices) if (d.faults.length) await Promise.all(d.faults.map((f) => labHeal(d.index, f)));
  await run('node', ['scripts/build.mjs', 'node'], { cwd: REPO_ROOT });
  certs = await makeLabCertificates();
  dataDir = await mkdtemp(join(tmpdir(), 'pws-crash-data-'));
  for (const n of DEVS) await copyFile(utility(n), saved(n));
}, 120_000);

afterAll(async () => {
  for (const n of DEVS)
    await copyFile(saved(n), utility(n))
      .then(() => rm(saved(n), { force: true }))
      .catch(() => undefined);
  await labHeal(2, 'offline').catch(() => undefined);
  if (certs?.home) await rm(certs.home, { recursive: true, force: true });
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a door killed mid-run is cleaned up after at the next start (lab)', () => {
  it('kill -9 during provisioning leaves folders; the next web host start removes them where it can and names the device it could not', async () => {
    // the utility takes its time, so the run is caught with the certificates in place
    for (const n of DEVS) {
      await writeFile(utility(n), '#!/bin/sh\nsleep 30\n');
      await chmod(utility(n), 0o755);
    }
    const env = { ...process.env, HOME: certs.home, PWS_DATA_DIR: dataDir };
    const cli = spawn(process.execPath, ['bin/pws.cjs', 'provision', certs.devName, certs.updateName, ...DEVS.flatMap((n) => ['--device', deviceAddress(n)])], {
      cwd: REPO_ROOT,
      env,
      stdio: 'ignore',
    });
    await until('both devices to hold the certificates', () => DEVS.every((n) => leftovers(n).includes('provisioning-certs')));
    expect(await readdir(join(dataDir, 'runs'))).toHaveLength(1);
    cli.kill('SIGKILL');
    await new Promise((r) => cli.once('exit', r));
    for (const n of DEVS) await copyFile(saved(n), utility(n));
    for (const n of DEVS)
      expect(leftovers(n), `device ${n} after the kill`).toEqual(expect.arrayContaining(['provisioning-certs', '.provisioning-certs.lock']));

    await labFault(2, 'offline');
    const host = spawn(process.execPath, ['dist/host/web.cjs'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const lines: string[] = [];
    createInterface({ input: host.stderr! }).on('line', (l) => lines.push(l));
    try {
      await until(
        'the host to report both devices',
        () => lines.some((l) => l.includes(`from ${deviceAddress(1)}`)) && lines.some((l) => l.includes(`could not clean up on ${deviceAddress(2)}`)),
      );
    } finally {
      host.kill();
    }
    expect(leftovers(1)).toEqual([]);
    expect(lines.find((l) => l.includes(`could not clean up on ${deviceAddress(2)}`))).toMatch(/unreachable|could not|timed out/i);
    expect(leftovers(2)).not.toEqual([]);

    // device 2 back: the next start (here the CLI's) cleans it too, then provisions normally
    await labHeal(2, 'offline');
    const again = await pws(certs.home, ['provision', certs.devName, certs.updateName, '--device', deviceAddress(2)], { PWS_DATA_DIR: dataDir });
    expect(again.stderr).toContain(`removed its staged certificates from ${deviceAddress(2)}`);
    expect(again.code, again.stderr).toBe(0);
    expect(leftovers(2)).toEqual([]);
    expect(await readdir(join(dataDir, 'runs'))).toEqual([]);
  }, 240_000);

  it('a closed output (`pws provision … 2>&1 | head`) cancels the run and cleans up, instead of ending the process mid-run', async () => {
    // device 1 finishes after 3 s and so writes its next lines into the closed pipe; device 2 is still in its utility
    await writeFile(utility(1), '#!/bin/sh\nsleep 3\nexec /opt/arm/.pelion-provisioning-util.orig "$@"\n');
    await writeFile(utility(2), '#!/bin/sh\nsleep 30\n');
    for (const n of DEVS) await chmod(utility(n), 0o755);
    const env = { ...process.env, HOME: certs.home, PWS_DATA_DIR: dataDir };
    try {
      const cli = spawn(
        process.execPath,
        ['bin/pws.cjs', 'provision', certs.devName, certs.updateName, ...DEVS.flatMap((n) => ['--device', deviceAddress(n)])],
        {
          cwd: REPO_ROOT,
          env,
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve));
      let seen = '';
      cli.stderr!.on('data', (b: Buffer) => (seen += b));
      await until('both devices to run the utility', () => DEVS.every((n) => seen.includes(`${deviceAddress(n)}: provision…`)));
      await until('device 2 to hold the certificates', () => leftovers(2).includes('provisioning-certs'));
      cli.stderr!.destroy(); // the reader goes away, as `head` does
      expect(await exited).toBe(1);
      expect(leftovers(2), 'device 2 after the cancelled run').toEqual([]);
      expect(await readdir(join(dataDir, 'runs')), 'no run is left for the next start to recover').toEqual([]);
    } finally {
      for (const n of DEVS) await copyFile(saved(n), utility(n));
    }
  }, 120_000);
});
