import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, clearDeviceStorage, deviceStorage, labDevice, labFault, labHeal, scratchEntries, type LabState } from '../../lab/lab';
import { pws, type LabCertificates } from './lab-certificates';
import { labWithCertificates } from './lab-cli-setup';

const run = promisify(execFile);

interface ProvisionResult {
  device: string;
  address: string;
  ok: boolean;
  stage: string;
  code?: string;
  error?: string;
  hostKeyNote?: string;
}

let lab: LabState;
let certs: LabCertificates;

/** pws as a user runs it, in its own HOME and data dir; `hosts` resolves names the way nss-mdns would. */
async function provision(dataDir: string, deviceArgs: string[], opts: { hosts?: string } = {}) {
  const args = ['provision', certs.devName, certs.updateName, ...deviceArgs, '--json'];
  const env = { PWS_DATA_DIR: dataDir };
  if (!opts.hosts) return parse(await pws(certs.home, args, env));
  // a private /etc/hosts in a private mount namespace: the machine's own file is never touched
  const hostsFile = join(dataDir, 'hosts');
  await writeFile(hostsFile, opts.hosts);
  try {
    const r = await run(
      'unshare',
      ['-m', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hostsFile, process.execPath, join(REPO_ROOT, 'bin', 'pws.cjs'), ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, HOME: certs.home, ...env },
        timeout: 180_000,
      },
    );
    return parse({ code: 0, stdout: r.stdout, stderr: r.stderr });
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return parse({ code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' });
  }
}

function parse(r: { code: number; stdout: string; stderr: string }) {
  let doc: { results: ProvisionResult[]; passed: number; failed: number } | undefined;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    doc = undefined;
  }
  return { ...r, doc };
}

/** A data dir of its own (pins, audit), set up like the user's: the key-only device 8 logs in with the lab's client key. */
async function freshDataDir(): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pws-hk-data-'));
  const set = await pws(certs.home, ['settings', 'set', 'sshKeyPath', lab.clientKeyPath], { PWS_DATA_DIR: dataDir });
  if (set.code !== 0) throw new Error(set.stderr);
  return dataDir;
}

const byHost = (results: ProvisionResult[], dev: number) => results.find((x) => x.device.includes(`${labDevice(dev).hostname}@`));

const shared = labWithCertificates();
beforeAll(() => ({ lab, certs } = shared));

describe('host-key pins follow the device (lab)', () => {
  it('a board pinned through --all and then re-keyed is refused by IPv4, by IPv6 link-local and by hostname; forget drops every alias', async () => {
    const dataDir = await freshDataDir();
    const first = await provision(dataDir, ['--all']);
    expect(first.code, first.stderr).toBe(0);
    // every key was new: the result, the CLI line and the audit entry say so
    for (const x of first.doc!.results) expect(x.hostKeyNote, x.device).toMatch(/^new host key pinned SHA256:/);
    expect(first.stderr).toMatch(/provisioned and verified \(.*; new host key pinned SHA256:/);
    const audit = (await readFile(join(dataDir, 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit.map((e) => e.hostKeyNote)).toEqual(audit.map(() => 'new host key pinned'));

    const old = labDevice(3).hostKeyFingerprint;
    await labFault(3, 'host-key-changed');
    const presented = labDevice(3).hostKeyFingerprint;
    expect(presented).not.toBe(old);

    const d3 = labDevice(3);
    const attempts = [
      ['IPv4', ['--device', d3.ipv4!], {}],
      ['IPv6 link-local', ['--device', `${d3.ipv6}%${lab.iface}`], {}],
      ['hostname', ['--device', `${d3.hostname}.local`], { hosts: `127.0.0.1 localhost\n${d3.ipv4} ${d3.hostname}.local\n` }],
    ] as const;
    for (const [how, args, opts] of attempts) {
      const r = await provision(dataDir, [...args], opts);
      expect(r.code, `${how}: ${r.stderr}`).toBe(1);
      const x = r.doc!.results[0]!;
      expect(x, how).toMatchObject({ ok: false, stage: 'connect', code: 'host-key-changed' });
      expect(x.error, how).toContain(`pinned ${old} under `);
      expect(x.error, how).toContain(`presented ${presented}`);
      expect(x.error, how).toMatch(/forget its key: pws known-hosts forget|forget its key \(pws known-hosts forget/);
    }
    expect(scratchEntries(3).filter((e) => e.includes('provisioning-certs'))).toEqual([]);

    // one forget removes the pin under every identity: then the board pins its new key, whichever form is used
    const forgot = await pws(certs.home, ['known-hosts', 'forget', d3.ipv4!, '--json'], { PWS_DATA_DIR: dataDir });
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(JSON.parse(forgot.stdout).forgotten).toEqual(
      expect.arrayContaining([`${d3.hostname} (mDNS on ${lab.iface})`, `${d3.hostname} (hostname)`, `${d3.ipv4}:22`, `[${d3.ipv6}%${lab.iface}]:22`]),
    );
    const again = await provision(dataDir, ['--device', `${d3.ipv6}%${lab.iface}`]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.doc!.results[0]!.hostKeyNote).toBe(`new host key pinned ${presented}`);
    await rm(dataDir, { recursive: true, force: true });
  }, 240_000);

  it('a spoofed SRV answer that moves a known board to an attacker sshd does not pass, and nothing reaches the attacker', async () => {
    const dataDir = await freshDataDir();
    const pinned = await provision(dataDir, ['--all']);
    expect(pinned.code, pinned.stderr).toBe(0);

    // the attacker: device 10 (its own sshd and host key), on the same link, claims mbed-linux-os-3
    const attacker = labDevice(10);
    // emptied, not removed: the lab keeps every device's storage folder (tests/integration/lab checks it)
    clearDeviceStorage(attacker.index);
    await labFault(3, 'avahi-down'); // the real board is quiet, so only the spoof answers for it
    let spoofer: ChildProcess | undefined;
    try {
      spoofer = spawn(
        'ip',
        [
          'netns',
          'exec',
          attacker.namespace,
          process.execPath,
          join(REPO_ROOT, 'tests', 'lab', 'mdns-spoof.cjs'),
          labDevice(3).hostname,
          'evil-3',
          attacker.ipv4!,
          '60',
        ],
        {
          stdio: 'ignore',
        },
      );
      await new Promise((r) => setTimeout(r, 500));
      const r = await provision(dataDir, ['--all']);
      const moved = byHost(r.doc!.results, 3);
      expect(moved, r.stdout).toBeDefined();
      expect(moved!.address).toBe(attacker.ipv4); // the spoof took effect: the app believes the board moved
      expect(moved).toMatchObject({ ok: false, stage: 'connect', code: 'host-key-changed' });
      expect(moved!.error).toContain(`presented ${attacker.hostKeyFingerprint}`);
      expect(r.code).toBe(1);
      expect(deviceStorage(10)).toEqual({});
      expect(scratchEntries(10).filter((e) => e.includes('provisioning-certs'))).toEqual([]);
    } finally {
      spoofer?.kill();
      await labHeal(3, 'avahi-down');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
