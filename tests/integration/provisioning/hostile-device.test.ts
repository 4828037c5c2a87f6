import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, deviceAddress, labDevice, labHeal, readLabState, requireLabWorkstation, scratchEntries } from '../../lab/lab';
import { makeLabCertificates, pws, type LabCertificates } from './lab-certificates';

/**
 * A device (or a file planted in the Team Store) that works against the workstation: it fakes the staged
 * protocol's success markers, hangs, or floods its output. Real sshd devices of the lab, whose provisioning
 * utility is swapped for a hostile script for one test and put back afterwards.
 */
const run = promisify(execFile);
const DEV = 1;
let certs: LabCertificates;
const utility = () => join(labDevice(DEV).root, 'opt', 'arm', 'pelion-provisioning-util');
const original = () => join(labDevice(DEV).root, 'opt', 'arm', '.pelion-provisioning-util.orig');

async function hostileUtility(script: string): Promise<void> {
  await writeFile(utility(), `#!/bin/sh\n${script}\n`);
  await chmod(utility(), 0o755);
}

beforeAll(async () => {
  requireLabWorkstation();
  for (const d of readLabState()!.devices) if (d.faults.length) await Promise.all(d.faults.map((f) => labHeal(d.index, f)));
  await run('node', ['scripts/build.mjs', 'node'], { cwd: REPO_ROOT });
  certs = await makeLabCertificates();
  await copyFile(utility(), original());
}, 120_000);

afterEach(async () => {
  await copyFile(original(), utility());
});

afterAll(async () => {
  await rm(original(), { force: true });
  if (certs?.home) await rm(certs.home, { recursive: true, force: true });
});

const provision = (...extra: string[]) => pws(certs.home, ['provision', certs.devName, certs.updateName, '--device', deviceAddress(DEV), ...extra, '--json']);

describe('a hostile device cannot fake, hang or flood the workstation (lab)', () => {
  it('a utility that prints the success markers (also ones it tries to read from its parent) does not fake a pass', async () => {
    await hostileUtility(
      [
        // what a device could learn: its parent shell's command line and environment
        'seen=$(cat /proc/$PPID/cmdline /proc/$PPID/environ 2>/dev/null | tr "\\0" "\\n" | grep -o "@@pws:[^:]*:" | head -1)',
        'for m in "@@pws:" "$seen" " @@pws:$pws_nonce:"; do echo "${m}provisioned=0"; echo "${m}verified=0"; done',
        'echo "Error: KCM_STATUS_STORAGE_ERROR" >&2',
        'exit 1',
      ].join('\n'),
    );
    const r = await provision();
    expect(r.code, r.stdout).toBe(1);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ ok: false, stage: 'provision', code: 'utility-failed' });
    expect(scratchEntries(DEV).filter((e) => e.includes('provisioning-certs'))).toEqual([]);
  }, 120_000);

  it('a status probe on a device whose utility hangs ends with stage-timeout', async () => {
    await hostileUtility('sleep 600');
    const r = await pws(certs.home, ['status', '--device', deviceAddress(DEV), '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ ok: false, code: 'stage-timeout' });
    expect(JSON.parse(r.stdout).results[0].message).toMatch(/did not finish within 10 s/);
  }, 120_000);

  it('a device that floods its output is cut to the tail, and says so', async () => {
    // 64 MB without a newline, then the real last words
    await hostileUtility('head -c 67108864 /dev/zero | tr "\\0" "x"; echo; echo "the last line"; exit 1');
    const r = await pws(certs.home, ['status', '--device', deviceAddress(DEV), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout).results[0];
    expect(result).toMatchObject({ ok: true, provisioned: false });
    expect(result.message.length).toBeLessThan(300 * 1024);
    expect(result.message).toMatch(/^\[output cut: the first \d+ bytes were dropped/);
    expect(result.message).toMatch(/the last line$/);
  }, 180_000);

  it('a .bin planted in the Team Store as a symbolic link is refused before any device is touched', async () => {
    const secret = join(await mkdtemp(join(tmpdir(), 'pws-secret-')), 'id_ed25519');
    await writeFile(secret, 'PRIVATE KEY OF THE DEVELOPER');
    const link = join(certs.teamDir, certs.devName, 'zz_planted.bin');
    await symlink(secret, link);
    try {
      const r = await provision();
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/zz_planted\.bin is a symbolic link: the Team Store holds only plain files/);
      expect(scratchEntries(DEV).filter((e) => e.includes('provisioning-certs'))).toEqual([]);
    } finally {
      await rm(link, { force: true });
    }
    expect(await readFile(secret, 'utf8')).toBe('PRIVATE KEY OF THE DEVELOPER');
  }, 60_000);
});
