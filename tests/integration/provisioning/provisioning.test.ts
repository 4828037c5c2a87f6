import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisioningStage, RunSnapshot } from '../../../shared/contract/provisioning';
import { createCore, defaultCoreDeps, type Core } from '../../../electron/services/composition';
import type { SshConnector } from '../../../electron/services/ssh/connection';
import {
  REPO_ROOT,
  deviceAddress,
  deviceStorage,
  labFault,
  labHeal,
  readLabState,
  requireLabWorkstation,
  scratchEntries,
  type LabState,
  labDevice,
} from '../../lab/lab';
import { hashTree, pws, setUpLabCredentials, teamStoreFiles, type LabCredentialsSetup } from './lab-certificates';

const run = promisify(execFile);

/** compat-formats §3.3: which Team Store file ends up as which secure-storage item. */
const ITEM_OF: Record<string, string> = {
  MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME: 'mbed.EndpointName',
  MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE: 'mbed.BootstrapDeviceCert',
  MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE: 'mbed.BootstrapServerCACert',
  MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY: 'mbed.BootstrapDevicePrivateKey',
  MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI: 'mbed.BootstrapServerURI',
  MBED_CLOUD_DEV_MANUFACTURER: 'mbed.Manufacturer',
  MBED_CLOUD_DEV_MODEL_NUMBER: 'mbed.ModelNumber',
  MBED_CLOUD_DEV_SERIAL_NUMBER: 'mbed.SerialNumber',
  MBED_CLOUD_DEV_DEVICE_TYPE: 'mbed.DeviceType',
  MBED_CLOUD_DEV_HARDWARE_VERSION: 'mbed.HardwareVersion',
  MBED_CLOUD_DEV_MEMORY_TOTAL_KB: 'mbed.MemoryTotalKB',
  arm_uc_default_certificate: 'mbed.UpdateAuthCert',
  arm_uc_vendor_id: 'mbed.VendorId',
  arm_uc_class_id: 'mbed.ClassId',
};

const hasProvisioningLeftovers = (dev: number) => scratchEntries(dev).filter((e) => e.includes('provisioning-certs'));

/** Kills the sshd processes still serving sessions in a device's namespace (the lab's sshd-down fault stops only the listener). */
async function dropSshSessions(dev: number): Promise<void> {
  const { stdout } = await run('ip', ['netns', 'pids', labDevice(dev).namespace]);
  for (const pid of stdout.split(/\s+/).filter(Boolean)) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'sshd' || comm.trim().startsWith('sshd-')) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

let lab: LabState;
let setup: LabCredentialsSetup;
/** Filled by the first provisioning test (`-c -p` put both certificates into the Team Store). */
const certs = {
  home: '',
  teamDir: '',
  devName: 'lab-dev',
  updateName: 'lab-update',
  devFiles: new Map<string, Buffer>(),
  updateFiles: new Map<string, Buffer>(),
};
const all = () => lab.devices.map((d) => d.index);

beforeAll(async () => {
  lab = requireLabWorkstation();
  const shape = lab.devices.map((d) => `${d.index}:${d.mode}:${d.ipv4 ? 'v4' : 'v6only'}`);
  if (lab.devices.length !== 10) {
    throw new Error(
      `these tests need the 10-device lab (lab.sh up 10 --non-mbl 10 --ipv6-only 9 --key-only 8); found ${lab.devices.length}: ${shape.join(' ')}`,
    );
  }
  for (const d of lab.devices) if (d.faults.length) await Promise.all(d.faults.map((f) => labHeal(d.index, f)));
  // factory-fresh boards: empty secure storage (as after reflashing), so "not provisioned" and byte checks mean something
  for (const d of lab.devices) await rm(join(d.root, 'config', 'user', 'pal'), { recursive: true, force: true });
  await run('node', ['scripts/build.mjs', 'node'], { cwd: REPO_ROOT });
  setup = await setUpLabCredentials();
  certs.home = setup.home;
  certs.teamDir = join(setup.home, '.mbl-store', 'team');
  // key-only device 8 logs in with the lab's client key, set the way a user would
  const set = await pws(certs.home, ['settings', 'set', 'sshKeyPath', lab.clientKeyPath]);
  expect(set.code, set.stderr).toBe(0);
});

describe('pws status and pws provision on the lab', () => {
  it('status: a fresh device is not provisioned; an unreachable address is a clear error', async () => {
    const fresh = await pws(certs.home, ['status', '--device', deviceAddress(1), '--json']);
    expect(fresh.code, fresh.stderr).toBe(0);
    const doc = JSON.parse(fresh.stdout) as { results: Array<{ device: string; ok: boolean; provisioned?: boolean; message: string }> };
    expect(doc.results).toEqual([expect.objectContaining({ device: deviceAddress(1), ok: true, provisioned: false })]);
    expect(doc.results[0]!.message).toMatch(/missing item/);

    const gone = await pws(certs.home, ['status', '--device', '169.254.20.200']);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toMatch(/169\.254\.20\.200: error \[unreachable\]/);
    expect(gone.stderr).toMatch(/^pws: 1 of 1 device could not be asked \(first: 169\.254\.20\.200 is unreachable over SSH .*check the cable or network/m);
  });

  it('provision -c -p: creates the developer certificate, imports the update one, provisions all 10 devices (IPv4, IPv6-only, key-only, non-MBL)', async () => {
    const args = [
      'provision',
      certs.devName,
      certs.updateName,
      '-c',
      '-p',
      setup.updateCFile,
      ...all().flatMap((n) => ['--device', deviceAddress(n)]),
      '--json',
    ];
    const r = await pws(certs.home, args, setup.cloudEnv);
    expect(r.code, r.stderr).toBe(0);
    certs.devFiles = await teamStoreFiles(certs.home, certs.devName);
    certs.updateFiles = await teamStoreFiles(certs.home, certs.updateName);
    expect(certs.devFiles.size).toBeGreaterThanOrEqual(11);
    expect(certs.updateFiles.has('arm_uc_default_certificate.bin')).toBe(true);
    const doc = JSON.parse(r.stdout) as { results: Array<{ device: string; ok: boolean; stage: string; durationMs: number }>; passed: number; failed: number };
    expect(doc.passed).toBe(10);
    expect(doc.failed).toBe(0);
    expect(doc.results.map((x) => x.device)).toEqual(all().map((n) => deviceAddress(n)));
    for (const x of doc.results) expect(x).toMatchObject({ ok: true, stage: 'done' });
    expect(r.stderr).toMatch(/Provisioning 10 devices/);

    for (const n of all()) {
      const storage = deviceStorage(n);
      for (const [file, data] of [...certs.devFiles, ...certs.updateFiles]) {
        const item = ITEM_OF[file.replace(/\.bin$/, '')];
        if (item) expect(storage[item]?.equals(data), `device ${n} ${item}`).toBe(true);
      }
      expect(storage['mbed.UseBootstrap']?.equals(Buffer.from([1, 0, 0, 0]))).toBe(true);
      expect(hasProvisioningLeftovers(n), `device ${n} /scratch`).toEqual([]);
    }

    const status = await pws(certs.home, ['status', ...all().flatMap((n) => ['--device', deviceAddress(n)]), '--json']);
    expect(status.code, status.stderr).toBe(0);
    const st = JSON.parse(status.stdout) as { results: Array<{ provisioned: boolean; message: string }> };
    expect(st.results.map((x) => x.provisioned)).toEqual(all().map(() => true));
    expect(st.results[0]!.message).toBe('Device is configured correctly. You can connect to Pelion Cloud!');

    const audit = (await readFile(join(certs.home, 'data', 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit).toHaveLength(10);
    for (const e of audit) {
      expect(e).toMatchObject({ result: 'passed', devCert: { name: certs.devName }, updateCert: { name: certs.updateName } });
      expect(e.hostKeyFingerprint).toBe(lab.devices.find((d) => deviceAddress(d) === e.device.name)?.hostKeyFingerprint);
      expect(e.stages.map((s: { stage: string }) => s.stage)).toEqual(['connect', 'stage', 'provision', 'verify', 'cleanup', 'restart-client']);
    }
    const text = await readFile(join(certs.home, 'data', 'audit.jsonl'), 'utf8');
    expect(text).not.toMatch(/PRIVATE|BEGIN|ak_/);

    const pins = JSON.parse(await readFile(join(certs.home, 'data', 'known_hosts.json'), 'utf8')) as {
      devices: Array<{ fingerprint: string; identities: string[] }>;
    };
    for (const d of lab.devices) {
      const address = d.ipv4 ? `addr:${d.ipv4}:22` : `addr:[${d.ipv6}%${lab.iface}]:22`;
      expect(pins.devices.find((p) => p.identities.includes(address))?.fingerprint).toBe(d.hostKeyFingerprint);
    }
  });

  it('status --all asks every MBL device discovery finds (the non-MBL device 10 is not listed)', async () => {
    const r = await pws(certs.home, ['status', '--all', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { results: Array<{ device: string; provisioned?: boolean }> };
    const names = doc.results.map((x) => x.device).sort();
    expect(names).toEqual(
      lab.devices
        .filter((d) => d.isMbl)
        .map((d) => expect.stringContaining(d.hostname))
        .sort(),
    );
    expect(doc.results.every((x) => x.provisioned === true)).toBe(true);
  });

  it('status --all in text names each board by its host name and address, not its discovery id', async () => {
    const r = await pws(certs.home, ['status', '--all']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.slice(0, l.indexOf(' ('))).sort()).toEqual(
      lab.devices
        .filter((d) => d.isMbl)
        .map((d) => d.hostname)
        .sort(),
    );
    for (const line of lines) expect(line).toMatch(/^[\w-]+ \([0-9a-f.:%\w]+\): provisioned: /);
    expect(r.stdout).not.toContain('mdns:');
  });

  it('status --device NAME.local reaches a board by its mDNS name, though this namespace has no nss-mdns', async () => {
    const board = lab.devices.find((d) => d.isMbl && d.mode === 'dev')!;
    const r = await pws(certs.home, ['status', '--device', `${board.hostname}.local`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ results: [expect.objectContaining({ device: `${board.hostname}.local`, ok: true, provisioned: true })] });

    const nowhere = await pws(certs.home, ['status', '--device', 'no-such-board.local']);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stdout).toMatch(/no-such-board\.local: error \[unreachable\]/);
    expect(nowhere.stderr).toMatch(
      /"no-such-board\.local" does not resolve: the operating system's resolver says \w+ and no device answered an mDNS query for it within 2 s/,
    );
  });

  it('provision --device ADDRESS --device NAME.local of one board: provisioned once, and the run says so', async () => {
    const board = labDevice(4);
    const r = await pws(certs.home, ['provision', certs.devName, certs.updateName, '--device', board.ipv4!, '--device', `${board.hostname}.local`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { results: Array<{ device: string; ok: boolean }>; passed: number; failed: number };
    expect(doc.results).toEqual([expect.objectContaining({ device: board.ipv4, ok: true })]);
    expect(r.stderr).toContain(`was selected twice (also as ${board.hostname}.local): it is provisioned once`);
  });

  it('enroll export refuses devices given the developer certificate, with the reason, and writes nothing', async () => {
    const csv = join(certs.home, 'enrollment.csv');
    const r = await pws(certs.home, ['enroll', 'export', '--out', csv, '--device', deviceAddress(1), '--device', deviceAddress(9)]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(
      lines.filter((l) => /provisioned with the developer certificate "lab-dev" .*does not accept First-to-Claim for developer credentials/.test(l)),
    ).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/^pws: 2 devices gave no enrollment identity; nothing was written/);
    await expect(readFile(csv)).rejects.toThrow();
    const unknown = await pws(certs.home, ['enroll', 'export', '--out', csv, '--device', '169.254.20.200']);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringMatching(/169\.254\.20\.200 has no identity in the registry/) });
  });

  it('a device another process is provisioning (its lock on the device) is busy, and its files are left alone', async () => {
    const root = lab.devices[0]!.root;
    await mkdir(join(root, 'scratch', '.provisioning-certs.lock'));
    try {
      const r = await pws(certs.home, ['provision', certs.devName, certs.updateName, '--device', deviceAddress(1), '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).results[0]).toMatchObject({ ok: false, stage: 'stage', code: 'device-busy' });
      expect(scratchEntries(1)).toEqual(['.provisioning-certs.lock']);
    } finally {
      await rm(join(root, 'scratch', '.provisioning-certs.lock'), { recursive: true, force: true });
    }
  });

  it('status --strict-host-keys refuses a board whose key is not pinned yet, with its fingerprint; without the flag the key is pinned', async () => {
    const fresh = { PWS_DATA_DIR: join(certs.home, 'data-strict') };
    const status = (...flags: string[]) => pws(certs.home, ['status', '--device', deviceAddress(1), ...flags, '--json'], fresh);
    const pins = async () => JSON.parse((await pws(certs.home, ['known-hosts', 'list', '--json'], fresh)).stdout) as unknown[];
    const strict = await status('--strict-host-keys');
    expect(strict.code, strict.stderr).toBe(1);
    expect(JSON.parse(strict.stdout).results).toEqual([
      expect.objectContaining({ device: deviceAddress(1), ok: false, code: 'host-key-unknown', message: expect.stringMatching(/SHA256:/) }),
    ]);
    expect(await pins()).toEqual([]);
    const pinning = await status();
    expect(pinning.code, pinning.stderr).toBe(0);
    expect(await pins()).toHaveLength(1);
    const pinned = await status('--strict-host-keys');
    expect(pinned.code, pinned.stderr).toBe(0);
  });

  it('without the key, the key-only device refuses the login with a clear error', async () => {
    const r = await pws(certs.home, ['status', '--device', deviceAddress(8)], { PWS_DATA_DIR: join(certs.home, 'data-nokey') });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error \[auth-refused\].*production image/);
  });

  it('with a key set that cannot be read, the refusal says so instead of asking for a key to be set', async () => {
    const dataDir = join(certs.home, 'data-missing-key');
    const missing = join(certs.home, 'no-such-key');
    expect((await pws(certs.home, ['settings', 'set', 'sshKeyPath', missing], { PWS_DATA_DIR: dataDir })).code).toBe(0);
    const r = await pws(certs.home, ['status', '--device', deviceAddress(8)], { PWS_DATA_DIR: dataDir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `error [auth-refused]: ${deviceAddress(8)} refused the SSH login as root, and the SSH key ${missing} set in Settings (sshKeyPath) could not be read (no such file): fix the path`,
    );
    expect(r.stdout).not.toContain('production image');
  });

  it('with a key the device does not accept, the refusal names that key', async () => {
    const dataDir = join(certs.home, 'data-wrong-key');
    const wrong = join(certs.home, 'wrong_ed25519');
    await rm(wrong, { force: true });
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrong]);
    expect((await pws(certs.home, ['settings', 'set', 'sshKeyPath', wrong], { PWS_DATA_DIR: dataDir })).code).toBe(0);
    const r = await pws(certs.home, ['status', '--device', deviceAddress(8)], { PWS_DATA_DIR: dataDir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `error [auth-refused]: ${deviceAddress(8)} refused the SSH login as root with the key ${wrong} set in Settings (sshKeyPath): add its public key (${wrong}.pub) to the device's /root/.ssh/authorized_keys, or set the key the device accepts`,
    );
  });
});

describe('faults on the same lab', () => {
  let core: Core;
  let teamHashBefore: Record<string, string>;
  const entered: Array<[string, ProvisioningStage]> = [];
  /** Faults fire once, in the first run only; the retry must find healed devices. */
  let injectMidRun = true;
  /** The core's SSH connector, to count the connections a run opens. */
  let connector: SshConnector;

  beforeAll(async () => {
    teamHashBefore = await hashTree(certs.teamDir);
    const deps = defaultCoreDeps({ home: certs.home, dataDir: join(certs.home, 'data'), door: 'test' });
    // The same core, with a stage hook that injects lab faults and short timeouts so dead links fail fast.
    core = createCore(deps, {
      sshConnector: (c) => (connector = c),
      provisioning: {
        timeouts: { connect: 4000, cleanup: 6000 },
        onStage: async (_runId, device, stage) => {
          entered.push([device.device, stage]);
          if (stage !== 'stage' || !injectMidRun) return;
          if (device.device === deviceAddress(2)) {
            await labFault(2, 'sshd-down');
            await dropSshSessions(2);
          }
          if (device.device === deviceAddress(5)) await labFault(5, 'offline');
        },
      },
    });
  });

  it('each faulty device fails with its own code, the others pass, cleanup leaves nothing, retry-failed heals them', async () => {
    await labFault(7, 'utility-fails');
    await labFault(4, 'host-key-changed');
    await labFault(6, 'disk-full');
    const svc = core.services.provisioning;
    const started = await svc.start({ devices: all().map((n) => deviceAddress(n)), devCert: certs.devName, updateCert: certs.updateName });
    if (!started.ok) throw new Error(started.message);
    const done = await svc.wait(started.value.runId);
    if (!done.ok) throw new Error(done.message);
    const run1: RunSnapshot = done.value;
    injectMidRun = false;
    const byIndex = (n: number) => run1.devices.find((d) => d.address === deviceAddress(n))!;

    expect(byIndex(2)).toMatchObject({ state: 'failed', stage: 'stage', error: { code: 'connection-lost' } });
    expect(byIndex(7)).toMatchObject({ state: 'failed', stage: 'provision', error: { code: 'utility-failed' } });
    expect(byIndex(7).error!.message).toMatch(/KCM_STATUS_STORAGE_ERROR/);
    expect(byIndex(4)).toMatchObject({ state: 'failed', stage: 'connect', error: { code: 'host-key-changed' } });
    expect(byIndex(4).error!.message).toContain(lab.devices[3]!.hostKeyFingerprint); // the pinned (old) one
    expect(byIndex(4).error!.message).toMatch(/pws known-hosts forget/);
    expect(byIndex(5)).toMatchObject({ state: 'failed', stage: 'stage', error: { code: 'connection-lost' } });
    expect(byIndex(6)).toMatchObject({ state: 'failed', stage: 'stage', error: { code: 'disk-full' } });
    for (const n of [1, 3, 8, 9, 10]) expect(byIndex(n).state, `device ${n}: ${byIndex(n).error?.message}`).toBe('passed');
    expect(run1.passed).toBe(5);
    expect(run1.failed).toBe(5);

    // cleanup: no staging or target folder wherever the device stayed reachable
    for (const n of [1, 3, 4, 7, 8, 9, 10]) expect(hasProvisioningLeftovers(n), `device ${n}`).toEqual([]);

    await labHeal(2, 'sshd-down');
    await labHeal(7, 'utility-fails');
    await labHeal(5, 'offline');
    await labHeal(6, 'disk-full');
    const forgot = await svc.forgetHostKey(deviceAddress(4));
    // the pin goes with every identity the board was seen with (by address here, by name in `status --all`)
    expect(forgot).toMatchObject({ ok: true, value: { forgotten: expect.arrayContaining([`${deviceAddress(4)}:22`, 'mbed-linux-os-4 (hostname)']) } });

    entered.length = 0;
    const opened = connector.stats.opened;
    const retry = svc.retryFailed(run1.runId);
    if (!retry.ok) throw new Error(retry.message);
    const done2 = await svc.wait(retry.value.runId);
    if (!done2.ok) throw new Error(done2.message);
    expect(done2.value.retryOf).toBe(run1.runId);
    expect(connector.stats.opened - opened).toBe(5); // one SSH connection per device for the whole pipeline
    expect(done2.value.devices.map((d) => d.address).sort()).toEqual([2, 4, 5, 6, 7].map((n) => deviceAddress(n)).sort());
    for (const d of done2.value.devices) expect(d.state, `${d.device}: ${d.error?.message}`).toBe('passed');
    expect(new Set(entered.map(([dev]) => dev))).toEqual(new Set([2, 4, 5, 6, 7].map((n) => deviceAddress(n))));

    // a lost connection left the target folder behind on 2 and 5; the successful retry removed it
    for (const n of all()) expect(hasProvisioningLeftovers(n), `device ${n}`).toEqual([]);
    for (const n of [2, 4, 5, 6, 7])
      expect(deviceStorage(n)['mbed.EndpointName']?.equals(certs.devFiles.get('MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME.bin')!)).toBe(true);

    expect(await hashTree(certs.teamDir)).toEqual(teamHashBefore);

    const history = await core.services.audit.list({ result: 'failed', runId: run1.runId });
    if (!history.ok) throw new Error(history.message);
    expect(history.value.map((e) => e.error?.code).sort()).toEqual(['connection-lost', 'connection-lost', 'disk-full', 'host-key-changed', 'utility-failed']);
    const report = await svc.report(run1.runId, 'csv');
    expect(report.ok && report.value.text.split('\r\n').filter(Boolean)).toHaveLength(11);
    await core.close();
  }, 180_000);

  afterAll(async () => {
    await setup?.close();
    // whatever happened above, give the lab back healed
    for (const d of readLabState()?.devices ?? []) for (const f of d.faults) await labHeal(d.index, f).catch(() => undefined);
    if (certs.home) await rm(certs.home, { recursive: true, force: true });
  });
});
