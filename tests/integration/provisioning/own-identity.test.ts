/**
 * Own identity per device (issue 10's "Done when"), on the 10-device lab with the cloud emulator as the account:
 * a CA made and trusted, all 10 boards given their own identities in one run, no device key left on the
 * workstation, refusal without --reissue and re-issue with it, a run killed mid-way, the enrollment CSV, and bad
 * input refused before any device is touched.
 */
import { spawn } from 'node:child_process';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityRecord } from '../../../shared/contract/identities';
import { ENROLLMENT_IDENTITY_RE, parseEnrollmentCsv } from '../../../shared/domain/enrollment';
import { startCloudEmulator, type CloudEmulator } from '../../cloud-emulator/emulator';
import { REPO_ROOT, deviceAddress, deviceStorage, requireLabWorkstation, scratchEntries, type LabState } from '../../lab/lab';
import { buildCli } from '../credentials/cli-support';
import { hashTree, pws } from './lab-certificates';

let lab: LabState;
let emu: CloudEmulator;
let home: string;
let env: Record<string, string>;
const all = () => lab.devices.map((d) => d.index);
const devicesFlags = (ns: number[]) => ns.flatMap((n) => ['--device', deviceAddress(n)]);
const json = <T>(text: string) => JSON.parse(text) as T;

type Result = { device: string; ok: boolean; code?: string; error?: string; endpointName?: string; enrollmentIdentity?: string };
type RunDoc = { runId: string; results: Result[]; passed: number; failed: number };

/** What is on every device that provisioning could change: secure storage and /scratch, hashed. */
async function deviceState(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const d of lab.devices) {
    for (const sub of ['config', 'scratch']) for (const [f, h] of Object.entries(await hashTree(join(d.root, sub)))) out[`d${d.index}/${sub}${f}`] = h;
  }
  return out;
}

const bootstrapCert = (n: number) => new X509Certificate(deviceStorage(n)['mbed.BootstrapDeviceCert']!);
const caCert = async () => new X509Certificate(await readFile(join(home, '.mbl-store', 'team', 'lab-ca', 'ca.der')));
const records = async (dataDir = join(home, 'data')) => {
  const r = await pws(home, ['identities', 'list', '--json'], { ...env, PWS_DATA_DIR: dataDir });
  expect(r.code, r.stderr).toBe(0);
  return json<IdentityRecord[]>(r.stdout);
};

beforeAll(async () => {
  lab = requireLabWorkstation();
  if (lab.devices.length !== 10)
    throw new Error(`these tests need the 10-device lab (lab.sh up 10 --non-mbl 10 --ipv6-only 9 --key-only 8); found ${lab.devices.length}`);
  for (const d of lab.devices) await rm(join(d.root, 'config', 'user', 'pal'), { recursive: true, force: true });
  await buildCli();
  home = await mkdtemp(join(tmpdir(), 'pws-own-id-home-'));
  emu = await startCloudEmulator({ trustedCaDir: lab.trustedCaDir });
  const acct = emu.addAccount({ name: 'own identities', apiKey: `ak_own_identity_lab_${Date.now()}` });
  env = { PWS_API_URL: emu.url, PWS_API_KEY: acct.apiKey };
  const wizard = await mkdtemp(join(tmpdir(), 'pws-own-id-update-'));
  for (const args of [
    ['settings', 'set', 'sshKeyPath', lab.clientKeyPath],
    ['init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', wizard],
    ['certs', 'create-dev', 'lab-dev'],
    ['certs', 'import-update', 'lab-update', join(wizard, 'update_default_resources.c')],
  ]) {
    const r = await pws(home, args, env);
    if (r.code !== 0) throw new Error(`pws ${args.join(' ')} failed: ${r.stderr}`);
  }
  await rm(wizard, { recursive: true, force: true });
}, 120_000);

afterAll(async () => {
  await emu?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('own identity per device, on the 10-device lab', () => {
  it('a CA made and trusted in the account: the emulator records it (and signs nothing)', async () => {
    const created = await pws(home, ['ca', 'create', 'lab-ca', '--organization', 'Example Devices', '--organizational-unit', 'Lab'], env);
    expect(created.code, created.stderr).toBe(0);
    const trusted = await pws(home, ['ca', 'trust', 'lab-ca'], env);
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(await readdir(lab.trustedCaDir)).toHaveLength(1);
  });

  it('provisions all 10 in one run: each chains to the CA with its own key and CN = its own endpoint name, all distinct, status passes', async () => {
    const developerCertsBefore = emu.requests.filter((r) => r.method === 'POST' && r.path === '/v3/developer-certificates').length;
    const r = await pws(home, ['provision', '--ca', 'lab-ca', 'lab-update', ...devicesFlags(all()), '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
    const doc = json<RunDoc>(r.stdout);
    expect(doc).toMatchObject({ passed: 10, failed: 0 });
    const ca = await caCert();
    const names = new Set<string>();
    const keys = new Set<string>();
    for (const n of all()) {
      const result = doc.results.find((x) => x.device === deviceAddress(n))!;
      const storage = deviceStorage(n);
      const cert = bootstrapCert(n);
      expect(cert.checkIssued(ca) && cert.verify(ca.publicKey), `device ${n} chains to the CA`).toBe(true);
      const key = createPrivateKey({ key: storage['mbed.BootstrapDevicePrivateKey']!, format: 'der', type: 'pkcs8' });
      expect(cert.checkPrivateKey(key)).toBe(true);
      const endpoint = storage['mbed.EndpointName']!.toString();
      expect(endpoint).toBe(lab.devices.find((d) => d.index === n)!.hostname); // {hostname}, asked from the board
      expect(cert.subject).toBe(`O=Example Devices\nOU=Lab\nCN=${endpoint}`);
      expect(result).toMatchObject({ ok: true, endpointName: endpoint, enrollmentIdentity: `A-${cert.fingerprint256.toLowerCase()}` });
      expect(storage['mbed.SerialNumber']!.toString()).toBe(endpoint);
      names.add(endpoint);
      keys.add(storage['mbed.BootstrapDevicePrivateKey']!.toString('hex'));
      expect(scratchEntries(n).filter((e) => e.includes('provisioning-certs'))).toEqual([]);
    }
    expect(names.size).toBe(10);
    expect(keys.size).toBe(10);
    const status = await pws(home, ['status', ...devicesFlags(all()), '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(json<{ results: Array<{ provisioned: boolean }> }>(status.stdout).results.every((x) => x.provisioned)).toBe(true);
    // the registry: one confirmed record per device, every field the issue lists
    const registry = await records();
    expect(registry).toHaveLength(10);
    for (const rec of registry) {
      expect(rec).toMatchObject({
        state: 'confirmed',
        ca: { name: 'lab-ca' },
        runId: doc.runId,
        operator: expect.any(String),
        station: expect.any(String),
        certificate: { serial: expect.stringMatching(/^[0-9a-f]+$/) },
      });
      expect(rec.device.hostKeyFingerprint).toBe(lab.devices.find((d) => d.hostname === rec.endpointName)!.hostKeyFingerprint);
    }
    // the cloud made nothing for these devices
    expect(emu.requests.filter((q) => q.method === 'POST' && q.path === '/v3/developer-certificates')).toHaveLength(developerCertsBefore);
  });

  it("none of the 10 device keys is anywhere in the workstation's HOME or temporary folders (DER, PEM, raw, hex)", async () => {
    const needles: Array<[string, Buffer]> = [];
    for (const n of all()) {
      const key = createPrivateKey({ key: deviceStorage(n)['mbed.BootstrapDevicePrivateKey']!, format: 'der', type: 'pkcs8' });
      const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
      const sec1 = key.export({ type: 'sec1', format: 'der' });
      const d = Buffer.from(key.export({ format: 'jwk' }).d!, 'base64url');
      needles.push(
        [`d${n} private scalar`, d],
        [`d${n} scalar as hex`, Buffer.from(d.toString('hex'))],
        [`d${n} PKCS#8 DER`, pkcs8],
        [`d${n} SEC1 DER`, sec1],
        [`d${n} PKCS#8 PEM`, Buffer.from(pkcs8.toString('base64').slice(64, 128))],
        [`d${n} SEC1 PEM`, Buffer.from(sec1.toString('base64').slice(0, 64))],
      );
    }
    const hits: string[] = [];
    let files = 0;
    // The lab's device folders are the boards' side, where the keys belong; they sit under the checkout, which
    // may itself be in a temporary folder.
    const deviceSide = new Set(lab.devices.map((d) => resolvePath(d.root)));
    const walk = async (dir: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return; // gone meanwhile, or not ours to read
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (!deviceSide.has(p)) await walk(p);
        } else if (e.isFile()) {
          const data = await readFile(p).catch(() => undefined);
          if (!data) continue;
          files++;
          for (const [what, needle] of needles) if (data.includes(needle)) hits.push(`${what} in ${p}`);
        }
      }
    };
    for (const dir of [home, tmpdir(), '/var/tmp', '/dev/shm']) await walk(dir);
    expect(files).toBeGreaterThan(10);
    expect(hits).toEqual([]);
    // and the lab's own copy (the device side) does hold them, so the search can find what it looks for
    expect((await readFile(join(lab.devices[0]!.root, 'config', 'user', 'pal', 'mbed.BootstrapDevicePrivateKey'))).includes(needles[2]![1])).toBe(true);
  }, 120_000);

  it("the run's enrollment CSV holds exactly its 10 identities (the certificates' fingerprints), and the emulator's bulk upload accepts it", async () => {
    const [first] = await records();
    const csv = join(home, 'enrollment.csv');
    const r = await pws(home, ['enroll', 'export', '--out', csv, '--run', first!.runId, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const ids = parseEnrollmentCsv(await readFile(csv));
    expect(ids.invalid).toEqual([]);
    expect(ids.identities).toHaveLength(10);
    for (const id of ids.identities) expect(id).toMatch(ENROLLMENT_IDENTITY_RE);
    const expected = all().map((n) => `A-${createHash('sha256').update(bootstrapCert(n).raw).digest('hex').match(/../g)!.join(':')}`);
    expect([...ids.identities].sort()).toEqual(expected.sort());
    const up = await pws(home, ['enroll', 'upload', csv, '--json'], env);
    expect(up.code, up.stderr).toBe(0);
    const job = json<{ status: string; total_count: number; errors_count: number; results: Array<{ identity: string; status: string }> }>(up.stdout);
    expect(job).toMatchObject({ status: 'completed', total_count: 10, errors_count: 0 });
    expect(job.results.map((x) => x.status)).toEqual(Array(10).fill('enrolled'));
    expect(emu.responseViolations).toEqual([]);
  });

  it('a second run without --reissue refuses every device and changes nothing; with --reissue each gets a new certificate and the registry keeps both', async () => {
    const before = await deviceState();
    const again = await pws(home, ['provision', '--ca', 'lab-ca', 'lab-update', ...devicesFlags(all()), '--json'], env);
    expect(again.code).toBe(1);
    const doc = json<RunDoc>(again.stdout);
    expect(doc.results.map((x) => x.code)).toEqual(Array(10).fill('identity-exists'));
    expect(doc.results[0]!.error).toMatch(/already holds the identity "mbed-linux-os-1" \(confirmed on .*\): re-issue it/);
    expect(await deviceState()).toEqual(before);
    expect(await records()).toHaveLength(10);

    const oldCerts = new Map(all().map((n) => [n, bootstrapCert(n).fingerprint256]));
    const reissued = await pws(home, ['provision', '--ca', 'lab-ca', 'lab-update', ...devicesFlags(all()), '--reissue', '--json'], env);
    expect(reissued.code, reissued.stderr).toBe(0);
    for (const n of all()) {
      expect(bootstrapCert(n).fingerprint256).not.toBe(oldCerts.get(n));
      expect(deviceStorage(n)['mbed.EndpointName']!.toString()).toBe(lab.devices.find((d) => d.index === n)!.hostname);
    }
    const registry = await records();
    expect(registry).toHaveLength(20);
    for (const d of lab.devices) {
      const mine = registry.filter((x) => x.endpointName === d.hostname);
      expect(mine.map((x) => x.state)).toEqual(['confirmed', 'confirmed']);
      expect(mine[1]!.supersededBy).toBe(mine[0]!.id);
      expect(mine[0]!.seq).toBe(mine[1]!.seq);
      expect(mine[0]!.certificate!.fingerprint).toBe(bootstrapCert(d.index).fingerprint256.replace(/:/g, '').toLowerCase());
    }
    const shown = await pws(home, ['identities', 'show', 'mbed-linux-os-3']);
    expect(shown.stdout).toMatch(/Current record [\s\S]*Earlier record [\s\S]*Re-issued by/);
  });

  it('a run killed mid-way and run again never issues a {seq} twice and leaves no identity unaccounted for', async () => {
    const dataDir = join(home, 'data-kill');
    await cp(join(home, 'data', 'settings.json'), join(dataDir, 'settings.json'), { recursive: true });
    await cp(join(home, 'data', 'known_hosts.json'), join(dataDir, 'known_hosts.json'));
    const killEnv = { ...env, PWS_DATA_DIR: dataDir };
    const args = ['provision', '--ca', 'lab-ca', 'lab-update', ...devicesFlags(all()), '--endpoint-template', 'lab-{seq}', '--concurrency', '2'];
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'pws.cjs'), ...args], {
      env: { ...process.env, HOME: home, ...killEnv },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if ((stderr.match(/^✓ /gm) ?? []).length >= 3 && child.exitCode === null) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    expect(child.signalCode, stderr).toBe('SIGKILL');

    const afterKill = await records(dataDir);
    expect(afterKill.length).toBeGreaterThanOrEqual(3);
    expect(afterKill.length).toBeLessThan(10);
    // run again: done devices refused, the rest issued new names; an identity left issued is never handed to another device
    const again = await pws(home, [...args.slice(0, -2), '--json'], killEnv);
    const doc = json<RunDoc>(again.stdout);
    expect(
      doc.results.filter((x) => !x.ok).every((x) => x.code === 'identity-exists'),
      again.stdout,
    ).toBe(true);
    // the devices the killed run left unconfirmed are offered for re-issue: re-issue exactly those
    const unconfirmed = (await records(dataDir)).filter((x) => !x.supersededBy && x.state !== 'confirmed');
    const retryAddresses = unconfirmed.map((x) => x.device.id);
    if (retryAddresses.length) {
      const retry = await pws(
        home,
        [...args.slice(0, 4), ...retryAddresses.flatMap((a) => ['--device', a]), '--endpoint-template', 'lab-{seq}', '--reissue', '--json'],
        killEnv,
      );
      expect(retry.code, retry.stderr).toBe(0);
    }

    const registry = await records(dataDir);
    const live = registry.filter((x) => !x.supersededBy);
    expect(live).toHaveLength(10);
    expect(live.every((x) => x.state === 'confirmed')).toBe(true);
    // one seq per endpoint name, never two names on one seq
    const seqOf = new Map<string, Set<number>>();
    for (const x of registry) seqOf.set(x.endpointName, new Set([...(seqOf.get(x.endpointName) ?? []), x.seq]));
    expect([...seqOf.values()].every((s) => s.size === 1)).toBe(true);
    const seqs = live.map((x) => x.seq);
    expect(new Set(seqs).size).toBe(10);
    for (const x of live) expect(x.endpointName).toBe(`lab-${x.seq}`);
    // every device holds exactly the identity the registry says it has
    for (const n of all()) {
      const mine = live.find((x) => x.device.id === deviceAddress(n))!;
      expect(deviceStorage(n)['mbed.EndpointName']!.toString()).toBe(mine.endpointName);
      expect(bootstrapCert(n).fingerprint256.replace(/:/g, '').toLowerCase()).toBe(mine.certificate!.fingerprint);
    }
    // and every record is accounted for: confirmed and live, or replaced by a later record of the same device
    for (const x of registry.filter((r) => r.supersededBy)) {
      const by = registry.find((r) => r.id === x.supersededBy)!;
      expect(by.endpointName).toBe(x.endpointName);
      expect(by.device.id).toBe(x.device.id);
    }
    for (const n of all())
      expect(
        scratchEntries(n).filter((e) => e.includes('provisioning-certs')),
        `device ${n}`,
      ).toEqual([]);
  }, 180_000);

  it('bad input is refused with a clear error before any device is touched', async () => {
    const before = await deviceState();
    const registryBefore = await records();
    const team = join(home, '.mbl-store', 'team');
    await cp(join(team, 'lab-dev'), join(team, 'broken-dev'), { recursive: true });
    await rm(join(team, 'broken-dev', 'MBED_CLOUD_DEV_ACCOUNT_ID.bin'));
    const cases: Array<[string[], RegExp]> = [
      [['--endpoint-template', 'lab_{seq}', ...devicesFlags([1])], /the endpoint-name template "lab_\{seq\}" contains "_"/],
      [['--endpoint-template', '{serial}', ...devicesFlags([1])], /uses \{serial\}: only \{hostname\}, \{seq\} and \{uuid\} exist/],
      [
        ['--endpoint-template', 'mbed-linux-os-1', ...devicesFlags([2])],
        /the endpoint name "mbed-linux-os-1" that 169\.254\.20\.2 would get is already the identity of mbed-linux-os-1/,
      ],
      [['--dev-cert', 'broken-dev', ...devicesFlags([1])], /the developer certificate "broken-dev" has no account ID \(MBED_CLOUD_DEV_ACCOUNT_ID\)/],
    ];
    for (const [flags, message] of cases) {
      const r = await pws(home, ['provision', '--ca', 'lab-ca', 'lab-update', ...flags], env);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^pws: /);
    }
    // one fixed name for several devices, or for --all: a usage error before discovery or any device is connected
    for (const flags of [devicesFlags([1, 2]), ['--all']]) {
      const r = await pws(home, ['provision', '--ca', 'lab-ca', 'lab-update', '--endpoint-template', 'lab', ...flags], env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^pws: --endpoint-template: the endpoint-name template "lab" has no placeholder, .*: add \{seq\} or \{uuid\}/);
    }
    // no developer certificate at all: nowhere to take the account ID from
    const bare = await mkdtemp(join(tmpdir(), 'pws-own-id-bare-'));
    try {
      await cp(join(team, 'lab-ca'), join(bare, '.mbl-store', 'team', 'lab-ca'), { recursive: true });
      await cp(join(team, 'lab-update'), join(bare, '.mbl-store', 'team', 'lab-update'), { recursive: true });
      const r = await pws(bare, ['provision', '--ca', 'lab-ca', 'lab-update', ...devicesFlags([1])], env);
      expect(r).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/holds no usable developer certificate: own identities take the account ID.*create or import one developer certificate/),
      });
      // only an unusable one: its reason is said, not just that none is usable
      await cp(join(team, 'broken-dev'), join(bare, '.mbl-store', 'team', 'broken-dev'), { recursive: true });
      const unusable = await pws(bare, ['provision', '--ca', 'lab-ca', 'lab-update', ...devicesFlags([1])], env);
      expect(unusable).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(
          /no developer certificate in the Team Store can give .*\(1 tried; the developer certificate "broken-dev" has no account ID/,
        ),
      });
      // a missing update certificate: how to make one, not how to make a developer certificate
      const noUpdate = await pws(bare, ['provision', '--ca', 'lab-ca', 'no-such-update', ...devicesFlags([1])], env);
      expect(noUpdate.code).toBe(1);
      expect(noUpdate.stderr).toMatch(
        /no update certificate "no-such-update" in the Team Store .*: make it with `pws init` .*then `pws certs import-update no-such-update FILE\.c`/,
      );
      expect(noUpdate.stderr).not.toContain('create-dev');
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
    expect(await deviceState()).toEqual(before);
    expect(await records()).toEqual(registryBefore);
    await rm(join(team, 'broken-dev'), { recursive: true });
    expect((await stat(join(team, 'lab-ca', 'ca.key.pem'))).mode & 0o777).toBe(0o600);
  });

  it('a CA the account does not trust: warned at the start; the status check fails and the identity stays unconfirmed, offered for re-issue', async () => {
    expect((await pws(home, ['ca', 'create', 'untrusted-ca'], env)).code).toBe(0);
    const r = await pws(home, ['provision', '--ca', 'untrusted-ca', 'lab-update', ...devicesFlags([1]), '--reissue', '--json'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^pws: warning: your account does not trust the CA "untrusted-ca" yet: devices cannot bootstrap until it does; trust it with `pws ca trust untrusted-ca`/m,
    );
    expect(json<RunDoc>(r.stdout).results[0]).toMatchObject({ ok: false, code: 'verify-failed', endpointName: 'mbed-linux-os-1' });
    const shown = await pws(home, ['identities', 'show', 'mbed-linux-os-1', '--json']);
    const [current] = json<IdentityRecord[]>(shown.stdout);
    expect(current).toMatchObject({ state: 'unconfirmed', ca: { name: 'untrusted-ca' }, reason: expect.stringMatching(/nor by a CA the account trusts/) });
    const again = await pws(home, ['provision', '--ca', 'lab-ca', 'lab-update', ...devicesFlags([1]), '--json'], env);
    expect(json<RunDoc>(again.stdout).results[0]!.error).toMatch(
      /^mbed-linux-os-1 \(\S+\) already holds the identity "mbed-linux-os-1" \(issued on \S+ in run \S+, never confirmed on the device\): re-issue it .*\. Why it was not confirmed: provisioned, but --get-pelion-status reports a problem .*nor by a CA the account trusts/,
    );
    const fixed = await pws(home, ['provision', '--ca', 'lab-ca', 'lab-update', ...devicesFlags([1]), '--reissue', '--json'], env);
    expect(fixed.code, fixed.stderr).toBe(0);
  });
});
