import { describe, it, expect } from 'vitest';
import type { ProgressEvent, RunSnapshot, RunSummary } from '../../../../../shared/contract/provisioning';
import { ProvisioningRunner, type RunCertificates } from '../../../../../electron/services/provisioning/runner';
import { FakeDeviceConnector } from './fake-device';

const certs: RunCertificates = {
  dev: { name: 'dev1', kind: 'developer', files: [{ name: 'MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME.bin', data: new Uint8Array([1, 2, 3]) }] },
  update: { name: 'upd1', kind: 'update', files: [{ name: 'arm_uc_vendor_id', data: new Uint8Array(16) }] },
};
const addrs = (n: number) => Array.from({ length: n }, (_, i) => ({ address: `169.254.20.${i + 1}` }));

function setup(opts: { throttleMs?: number } = {}) {
  const fake = new FakeDeviceConnector();
  const progress: ProgressEvent[] = [];
  const finished: RunSummary[] = [];
  const deviceDone: string[] = [];
  const runner = new ProvisioningRunner({
    connector: fake,
    throttleMs: opts.throttleMs ?? 100,
    listener: {
      progress: (e) => progress.push(e),
      deviceFinished: (_r, d) => deviceDone.push(`${d.device}:${d.state}`),
      runFinished: (_r: RunSnapshot, s) => finished.push(s),
    },
  });
  return { fake, runner, progress, finished, deviceDone };
}

async function startAndWait(runner: ProvisioningRunner, devices: Array<{ address: string }>, concurrency: number) {
  const r = runner.start({ devices, certs, concurrency });
  if (!r.ok) throw new Error(r.message);
  const summary = await runner.wait(r.value.runId)!;
  return { runId: r.value.runId, summary };
}

async function until(condition: () => boolean) {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('condition never held');
}

function unwrapRun(runner: ProvisioningRunner, runId: string): RunSnapshot {
  const r = runner.run(runId);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('ProvisioningRunner (against a fake device connection)', () => {
  it('provisions every device, never more than `concurrency` at once, over one connection each', async () => {
    const { fake, runner, finished } = setup();
    const { summary } = await startAndWait(runner, addrs(12), 3);
    expect(summary.passed).toBe(12);
    expect(summary.failed).toBe(0);
    expect(fake.maxParallel).toBe(3);
    for (const d of fake.devices.values()) {
      expect(d.connects).toBe(1);
      expect([...d.files.keys()].filter((p) => p.startsWith('/scratch'))).toEqual([]);
      expect(d.commands.some((c) => c.includes('--get-pelion-status'))).toBe(true);
    }
    expect(finished).toHaveLength(1);
  });

  it('stages into a temporary folder beside the target, renames it into place, then removes both', async () => {
    const { fake, runner } = setup();
    await startAndWait(runner, addrs(1), 1);
    const cmds = fake.device('169.254.20.1').commands;
    expect(cmds[0]).toMatch(/^sftp mkdir \/scratch\/\.provisioning-certs\.[0-9a-f]{12}$/);
    // the device-side lock against other workstations and processes
    expect(cmds[1]).toBe('sftp mkdir /scratch/.provisioning-certs.lock');
    cmds.splice(1, 1);
    // one shell for rename + provision + verify (markers separate the stages) …
    expect(cmds[1]).toMatch(
      /^IFS= read -r pws_nonce \|\| exit 91\n\{ rm -rf '\/scratch\/provisioning-certs' && mv '\/scratch\/\.provisioning-certs\.[0-9a-f]+' '\/scratch\/provisioning-certs'; \} 2>&1 \|\| exit 90\n/,
    );
    expect(cmds[1]).toContain("'/opt/arm/pelion-provisioning-util' --provision </dev/null 2>&1");
    expect(cmds[1]).toContain("'/opt/arm/pelion-provisioning-util' --get-pelion-status </dev/null 2>&1");
    // … and cleanup over SFTP, both folders
    expect(cmds[2]).toMatch(/^sftp remove \/scratch\/\.provisioning-certs\.[0-9a-f]+ \/scratch\/provisioning-certs \/scratch\/\.provisioning-certs\.lock$/);
    // no systemd unit on this device: the restart is skipped without another round trip
    expect(cmds).toHaveLength(3);
  });

  it('merges a device given twice in one run and refuses a device busy in another run', async () => {
    const { fake, runner } = setup();
    fake.device('169.254.20.1').delayMs = 40;
    const a = runner.start({ devices: [{ address: '169.254.20.1' }, { address: '169.254.20.1' }], certs, concurrency: 4 });
    const b = runner.start({ devices: [{ address: '169.254.20.1' }], certs, concurrency: 4 });
    if (!a.ok || !b.ok) throw new Error('start failed');
    const [sa, sb] = await Promise.all([runner.wait(a.value.runId)!, runner.wait(b.value.runId)!]);
    expect(runner.run(a.value.runId).ok && (runner.run(a.value.runId) as { value: RunSnapshot }).value.devices).toHaveLength(1);
    expect(sa.passed).toBe(1);
    expect(sb.failed).toBe(1);
    expect(sb.failures[0]?.code).toBe('device-busy');
    expect(fake.device('169.254.20.1').maxOpen).toBe(1);
  });

  it('knows a board given by discovery and by its address as one, within a run and across runs', async () => {
    const { fake, runner } = setup();
    const announced = { address: '169.254.20.1', id: 'mdns:board-1@br0', hostname: 'board-1', addresses: ['fe80::1%br0', '169.254.20.1'] };
    const byName = { address: 'board-1.local', addresses: ['169.254.20.1'] };
    fake.device('169.254.20.1').delayMs = 40;
    const a = runner.start({ devices: [announced, byName], certs, concurrency: 4 });
    const b = runner.start({ devices: [{ address: 'fe80::1%br0' }], certs, concurrency: 4 });
    if (!a.ok || !b.ok) throw new Error('start failed');
    const [sa, sb] = await Promise.all([runner.wait(a.value.runId)!, runner.wait(b.value.runId)!]);
    expect(unwrapRun(runner, a.value.runId).devices.map((d) => d.device)).toEqual(['mdns:board-1@br0']);
    expect(sa.passed).toBe(1);
    expect(sb.failures[0]?.code).toBe('device-busy');
    expect(fake.devices.has('fe80::1%br0')).toBe(false);
  });

  it('cancels one device, still cleans it up, and leaves the others alone', async () => {
    const { fake, runner } = setup();
    for (const d of addrs(3)) fake.device(d.address).delayMs = 30;
    const r = runner.start({ devices: addrs(3), certs, concurrency: 3 });
    if (!r.ok) throw new Error(r.message);
    await new Promise((res) => setTimeout(res, 50));
    expect(runner.cancel(r.value.runId, '169.254.20.2').ok).toBe(true);
    const s = await runner.wait(r.value.runId)!;
    expect(s.passed).toBe(2);
    expect(s.cancelled).toBe(1);
    expect(s.failures[0]).toMatchObject({ device: '169.254.20.2', code: 'cancelled' });
    const cancelled = fake.device('169.254.20.2');
    expect(cancelled.commands.at(-1)).toMatch(/^sftp remove /);
    expect([...cancelled.files.keys()].filter((p) => p.startsWith('/scratch'))).toEqual([]);
  });

  it('cancel-all stops queued devices before they connect', async () => {
    const { fake, runner } = setup();
    for (const d of addrs(6)) fake.device(d.address).delayMs = 20;
    const r = runner.start({ devices: addrs(6), certs, concurrency: 2 });
    if (!r.ok) throw new Error(r.message);
    await new Promise((res) => setTimeout(res, 10));
    runner.cancel(r.value.runId);
    const s = await runner.wait(r.value.runId)!;
    expect(s.cancelled).toBe(6);
    expect(fake.stats.opened).toBeLessThanOrEqual(4); // 2 first connects + at most 2 cleanup reconnects
    expect([...fake.devices.values()].filter((d) => d.connects > 0).length).toBe(2);
  });

  it('an open run starts each device as it is added, merges one added twice, and finishes only after end, in the given order', async () => {
    const { fake, runner, deviceDone } = setup();
    const r = runner.start({ devices: [], certs, concurrency: 2, open: true });
    if (!r.ok) throw new Error(r.message);
    const { runId } = r.value;
    let finished = false;
    void runner.wait(runId)!.then(() => (finished = true));
    const [a, b, c] = [
      { address: '169.254.20.1', id: 'mdns:b@eth0' },
      { address: '169.254.20.2', id: 'mdns:a@eth0' },
      { address: '169.254.20.3', id: 'mdns:c@eth0' },
    ];
    expect(runner.add(runId, a)).toBe(true);
    await until(() => deviceDone.length === 1); // provisioned while the run is still open
    expect(finished).toBe(false);
    expect(runner.add(runId, b)).toBe(true);
    expect(runner.add(runId, { ...a, address: 'fe80::1%eth0' })).toBe(false); // the same board by its other address
    expect(runner.add(runId, c)).toBe(true);
    runner.end(runId, [b, a, c]);
    expect(runner.add(runId, { address: '169.254.20.4' })).toBe(false);
    const s = await runner.wait(runId)!;
    expect(s.passed).toBe(3);
    expect(fake.device('169.254.20.1').connects).toBe(1);
    expect(fake.maxParallel).toBeLessThanOrEqual(2);
    expect(unwrapRun(runner, runId).devices.map((d) => d.device)).toEqual(['mdns:a@eth0', 'mdns:b@eth0', 'mdns:c@eth0']);
  });

  it('cancelling an open run ends it: a device added afterwards is refused, and the run finishes', async () => {
    const { runner } = setup();
    const r = runner.start({ devices: [], certs, concurrency: 2, open: true });
    if (!r.ok) throw new Error(r.message);
    runner.cancel(r.value.runId);
    expect(runner.add(r.value.runId, { address: '169.254.20.1' })).toBe(false);
    const s = await runner.wait(r.value.runId)!;
    expect(s).toMatchObject({ passed: 0, failed: 0, cancelled: 0 });
  });

  it('retry-failed reruns exactly the failed devices with the same certificates', async () => {
    const { fake, runner } = setup();
    fake.device('169.254.20.2').utilityFails = true;
    fake.device('169.254.20.4').failConnect = 'unreachable';
    const { runId, summary } = await startAndWait(runner, addrs(5), 5);
    expect(summary.failures.map((f) => [f.device, f.code, f.stage])).toEqual([
      ['169.254.20.2', 'utility-failed', 'provision'],
      ['169.254.20.4', 'unreachable', 'connect'],
    ]);
    fake.device('169.254.20.2').utilityFails = false;
    fake.device('169.254.20.4').failConnect = undefined;
    const before = new Map([...fake.devices].map(([a, d]) => [a, d.connects]));
    const retry = runner.retryFailed(runId);
    if (!retry.ok) throw new Error(retry.message);
    const s2 = await runner.wait(retry.value.runId)!;
    expect(s2.passed).toBe(2);
    const snap = runner.run(retry.value.runId);
    if (!snap.ok) throw new Error(snap.message);
    expect(snap.value.devices.map((d) => d.device)).toEqual(['169.254.20.2', '169.254.20.4']);
    expect(snap.value.retryOf).toBe(runId);
    expect(snap.value.devCert.name).toBe('dev1');
    for (const [a, d] of fake.devices) {
      const delta = d.connects - (before.get(a) ?? 0);
      expect(delta).toBe(a === '169.254.20.2' || a === '169.254.20.4' ? 1 : 0);
    }
    expect(runner.retryFailed(retry.value.runId)).toMatchObject({ ok: false, code: 'nothing-to-retry' });
  });

  it('names what went wrong: a missing utility, a failed verification, an unreachable device', async () => {
    const { fake, runner } = setup();
    fake.device('169.254.20.1').utilityMissing = true;
    fake.device('169.254.20.2').verifyFails = true;
    fake.device('169.254.20.3').failConnect = 'auth-refused';
    const { summary } = await startAndWait(runner, addrs(3), 3);
    expect(summary.failures.map((f) => [f.device, f.stage, f.code])).toEqual([
      ['169.254.20.1', 'provision', 'utility-missing'],
      ['169.254.20.2', 'verify', 'verify-failed'],
      ['169.254.20.3', 'connect', 'auth-refused'],
    ]);
    expect(summary.failures[0]?.message).toMatch(/is this an Mbed Linux OS device/);
    expect(summary.failures[1]?.message).toMatch(/missing item/);
    // nothing left behind where the device was reachable
    for (const a of ['169.254.20.1', '169.254.20.2']) expect([...fake.device(a).dirs].filter((p) => p.includes('provisioning-certs'))).toEqual([]);
  });

  it('a lock held on the device by another process makes the device busy and leaves that process alone', async () => {
    const { fake, runner } = setup();
    const d = fake.device('169.254.20.1');
    d.dirs.add('/scratch/.provisioning-certs.lock');
    d.dirs.add('/scratch/provisioning-certs');
    d.files.set('/scratch/provisioning-certs/theirs.bin', new Uint8Array([9]));
    const { summary } = await startAndWait(runner, addrs(1), 1);
    expect(summary.failures[0]).toMatchObject({ code: 'device-busy', stage: 'stage' });
    expect(summary.failures[0]?.message).toMatch(/another workstation or process/);
    expect(d.dirs.has('/scratch/.provisioning-certs.lock')).toBe(true);
    expect(d.files.has('/scratch/provisioning-certs/theirs.bin')).toBe(true);
    expect([...d.dirs].filter((p) => /\.provisioning-certs\.[0-9a-f]{12}$/.test(p))).toEqual([]);
  });

  it('a stale lock (older than 10 minutes by the device clock) is taken over', async () => {
    const { fake, runner } = setup();
    const d = fake.device('169.254.20.1');
    d.dirs.add('/scratch/.provisioning-certs.lock');
    d.mtimes.set('/scratch/.provisioning-certs.lock', Date.now() - 11 * 60_000);
    const { summary } = await startAndWait(runner, addrs(1), 1);
    expect(summary.passed).toBe(1);
    expect(d.dirs.has('/scratch/.provisioning-certs.lock')).toBe(false);
  });

  it('a lost connection fails the device as connection-lost and cleanup reconnects', async () => {
    const { fake, runner } = setup();
    fake.device('169.254.20.1').dropDuringUpload = true;
    const { summary } = await startAndWait(runner, addrs(1), 1);
    expect(summary.failures[0]).toMatchObject({ code: 'connection-lost', stage: 'stage' });
    const d = fake.device('169.254.20.1');
    expect(d.connects).toBe(2);
    expect([...d.dirs].filter((p) => p.includes('provisioning-certs'))).toEqual([]);
  });

  it('throttles progress to about one event per gap per device, always sending stage changes', async () => {
    const { runner, progress } = setup({ throttleMs: 1000 });
    await startAndWait(runner, addrs(1), 1);
    const stages = progress.map((p) => p.stage);
    for (const s of ['connect', 'stage', 'provision', 'verify', 'cleanup', 'restart-client', 'done']) expect(stages).toContain(s);
    // one event per stage change plus the final one; the many per-file and log lines in between were coalesced
    expect(progress.length).toBeLessThanOrEqual(8);
    expect(progress.at(-1)?.progress).toBe(1);
  });
});
