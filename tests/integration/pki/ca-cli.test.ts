import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudEmulator, type CloudEmulator } from '../../cloud-emulator/emulator';
import { buildCli, pws, REPO } from '../credentials/cli-support';
import { hashTree } from '../provisioning/lab-certificates';
import { makeCaCertificate } from '../../../electron/services/pki/certificate-authority';

/** `pws ca` as a user runs it: a temporary HOME, the cloud emulator as the account (PWS_API_KEY, no keychain). */
const run = promisify(execFile);
let root: string;
let emu: CloudEmulator;
let env: NodeJS.ProcessEnv;
let offline: NodeJS.ProcessEnv;
const API_KEY = 'ak_ca_cli_integration_000000000001';
const team = () => join(root, 'home', '.mbl-store', 'team');

beforeAll(async () => {
  await buildCli();
  root = await mkdtemp(join(tmpdir(), 'pws-ca-it-'));
  emu = await startCloudEmulator();
  emu.addAccount({ name: 'CA tests', apiKey: API_KEY });
  // the suite's keyring session is inherited: "no key" means an empty keychain, not a missing one
  offline = { ...process.env, HOME: join(root, 'home'), PWS_DATA_DIR: join(root, 'data') };
  delete offline.PWS_API_KEY;
  delete offline.PWS_API_URL;
  env = { ...offline, PWS_API_URL: emu.url, PWS_API_KEY: API_KEY };
}, 120_000);
afterAll(async () => {
  await emu?.close();
  await rm(root, { recursive: true, force: true });
});

const json = <T>(text: string) => JSON.parse(text) as T;
type Ca = { name: string; fingerprint: string; subject: string; path: string; trust: { state: string; id?: string; note?: string } };

describe('pws ca', () => {
  it('create: a P-256 CA in the Team Store, key 0600, never printed; mbl-cli and `certs list` do not see it', async () => {
    const r = await pws(['ca', 'create', 'lab-ca', '--organization', 'Example Devices', '--organizational-unit', 'Pilot', '--country', 'gb', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const ca = json<Ca>(r.stdout);
    expect(ca).toMatchObject({
      name: 'lab-ca',
      subject: 'C=GB, O=Example Devices, OU=Pilot, CN=lab-ca',
      path: join(team(), 'lab-ca'),
      trust: { state: 'not-trusted' },
    });
    expect((await stat(join(ca.path, 'ca.key.pem'))).mode & 0o777).toBe(0o600);
    const key = await readFile(join(ca.path, 'ca.key.pem'), 'utf8');
    const body = key.split('\n')[1]!;
    expect(r.stdout + r.stderr).not.toContain(body);
    const cert = new X509Certificate(await readFile(join(ca.path, 'ca.der')));
    expect(cert.ca).toBe(true);
    expect(cert.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(ca.fingerprint);
    const certs = await pws(['certs', 'list', '--json'], offline);
    expect(json<{ team: unknown[] }>(certs.stdout).team).toEqual([]);
    expect(json<{ dev_certs: object }>(await readFile(join(team(), 'config.json'), 'utf8')).dev_certs).toEqual({});
  });

  it('list: fingerprint, expiry and the trust state, unknown (with why) without a key; trust: POST to the account, then listed as trusted', async () => {
    const unknown = await pws(['ca', 'list', '--json'], offline);
    expect(json<{ authorities: Ca[]; cloudNote: string }>(unknown.stdout)).toMatchObject({
      authorities: [{ name: 'lab-ca', trust: { state: 'unknown' } }],
      cloudNote: expect.stringMatching(/no API key saved/),
    });
    expect(json<{ authorities: Ca[] }>((await pws(['ca', 'list', '--json'], env)).stdout).authorities[0]!.trust.state).toBe('not-trusted');

    const t = await pws(['ca', 'trust', 'lab-ca', '--first-to-claim'], env);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(
      /Device Management trusts the CA "lab-ca" for bootstrap and First-to-Claim enrollment\.\n {2}id [0-9a-f]{32}, name "lab-ca", status ACTIVE, subject C=GB, O=Example Devices, OU=Pilot, CN=lab-ca/,
    );
    const sent = emu.requests.find((q) => q.method === 'POST' && q.path === '/v3/trusted-certificates');
    expect(sent?.body).toMatchObject({
      name: 'lab-ca',
      service: 'bootstrap',
      enrollment_mode: true,
      certificate: expect.stringContaining('BEGIN CERTIFICATE'),
    });
    expect(JSON.stringify(sent?.body)).not.toContain('PRIVATE KEY');
    const listed = await pws(['ca', 'list'], env);
    expect(listed.stdout).toMatch(/lab-ca\s+[0-9a-f]{64}\s+\d{4}-\d\d-\d\d\s+trusted \(First-to-Claim\)/);
    // trusting it again answers with the record the account already has
    const again = await pws(['ca', 'trust', 'lab-ca', '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(json<{ cloud: { id: string } }>(again.stdout).cloud.id).toBe(
      json<{ authorities: Ca[] }>((await pws(['ca', 'list', '--json'], env)).stdout).authorities[0]!.trust.id,
    );
    expect(emu.responseViolations).toEqual([]);
  });

  it('trust again: said to be trusted already; with --first-to-claim, First-to-Claim is turned on for it', async () => {
    expect((await pws(['ca', 'create', 'second-ca', '--json'], env)).code).toBe(0);
    const first = await pws(['ca', 'trust', 'second-ca'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Device Management trusts the CA "second-ca" for bootstrap\.\n/);

    const again = await pws(['ca', 'trust', 'second-ca'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Device Management already trusted the CA "second-ca" for bootstrap: nothing changed\.\n {2}id [0-9a-f]{32}/);

    const withFtc = await pws(['ca', 'trust', 'second-ca', '--first-to-claim', '--json'], env);
    expect(withFtc.code, withFtc.stderr).toBe(0);
    const answer = json<{ outcome: string; cloud: { id: string; firstToClaim: boolean } }>(withFtc.stdout);
    expect(answer).toMatchObject({ outcome: 'first-to-claim-turned-on', cloud: { firstToClaim: true } });
    const put = emu.requests.find((q) => q.method === 'PUT' && q.path === `/v3/trusted-certificates/${answer.cloud.id}`);
    expect(put?.body).toEqual({ enrollment_mode: true });
    expect((await pws(['ca', 'list'], env)).stdout).toMatch(/second-ca\s+[0-9a-f]{64}\s+\d{4}-\d\d-\d\d\s+trusted \(First-to-Claim\)/);
    expect(emu.responseViolations).toEqual([]);
  });

  it('import: accepts a CA and its key; refuses each bad input with the reason and writes nothing', async () => {
    const dir = await mkdtemp(join(root, 'import-'));
    const good = makeCaCertificate({ name: 'Imported', notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000 * 90) });
    const other = makeCaCertificate({ name: 'Other', notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000 * 90) });
    const old = makeCaCertificate({ name: 'Old', notBefore: new Date(Date.now() - 86_400_000 * 9), notAfter: new Date(Date.now() - 86_400_000) });
    await writeFile(join(dir, 'ca.der'), good.der);
    await writeFile(join(dir, 'ca.key.pem'), good.keyPem);
    await writeFile(join(dir, 'other.key.pem'), other.keyPem);
    await writeFile(join(dir, 'old.pem'), new X509Certificate(Buffer.from(old.der)).toString());
    await writeFile(join(dir, 'old.key.pem'), old.keyPem);
    await run(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:1024',
        '-nodes',
        '-keyout',
        'rsa.key',
        '-out',
        'rsa.pem',
        '-days',
        '9',
        '-subj',
        '/CN=weak',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
      ],
      { cwd: dir },
    );
    const fixtures = join(REPO, 'tests/fixtures/update-cert');
    const before = await hashTree(team());
    const cases: Array<[string[], RegExp]> = [
      [
        ['--cert', join(fixtures, 'default.der'), '--key', join(fixtures, 'default.key.pem')],
        /default\.der is not a CA certificate \(it has no basicConstraints CA:TRUE/,
      ],
      [['--cert', join(dir, 'ca.der'), '--key', join(dir, 'other.key.pem')], /other\.key\.pem is not the private key of ca\.der/],
      [['--cert', join(dir, 'rsa.pem'), '--key', join(dir, 'rsa.key')], /rsa\.pem holds an RSA 1024 key: a CA needs at least RSA 2048/],
      [['--cert', join(dir, 'old.pem'), '--key', join(dir, 'old.key.pem')], /old\.pem expired on \d{4}-\d\d-\d\d/],
      [['--cert', join(dir, 'missing.pem'), '--key', join(dir, 'ca.key.pem')], /could not read the CA certificate .*missing\.pem: no such file/],
      [
        ['--cert', '/dev/zero', '--key', join(dir, 'ca.key.pem')],
        /could not read the CA certificate \/dev\/zero: it is a device, not a file: choose the file itself/,
      ],
    ];
    for (const [flags, message] of cases) {
      const r = await pws(['ca', 'import', 'bad-ca', ...flags], env);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.match(/nothing was imported/g), r.stderr).toHaveLength(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(await hashTree(team())).toEqual(before);
    expect((await pws(['ca', 'import', 'bad-ca', '--cert', join(dir, 'ca.der')], env)).code).toBe(2);

    const ok = await pws(['ca', 'import', 'imported-ca', '--cert', join(dir, 'ca.der'), '--key', join(dir, 'ca.key.pem'), '--json'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(json<Ca>(ok.stdout)).toMatchObject({ name: 'imported-ca', subject: 'CN=Imported' });
    const taken = await pws(['ca', 'import', 'imported-ca', '--cert', join(dir, 'ca.der'), '--key', join(dir, 'ca.key.pem')], env);
    expect(taken).toMatchObject({ code: 1, stderr: expect.stringMatching(/"imported-ca" is already in the Team Store/) });
  });

  it('a certificate command cannot overwrite or delete a CA; delete removes it', async () => {
    const del = await pws(['certs', 'delete', 'imported-ca'], env);
    expect(del).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/"imported-ca" is a certificate authority: delete it with `pws ca delete imported-ca`/),
    });
    const cfile = join(REPO, 'tests/fixtures/update-cert/expected-update_default_resources.c');
    const over = await pws(['certs', 'import-update', 'imported-ca', cfile], env);
    expect(over).toMatchObject({ code: 1, stderr: expect.stringMatching(/"imported-ca" in the Team Store is a certificate authority: pick another name/) });
    expect((await pws(['ca', 'delete', 'imported-ca'], env)).code).toBe(0);
    await expect(stat(join(team(), 'imported-ca'))).rejects.toThrow();
    expect(await pws(['ca', 'delete', 'imported-ca'], env)).toMatchObject({ code: 1, stderr: expect.stringMatching(/no CA "imported-ca"/) });
  });

  it('usage errors exit 2 and name the flag', async () => {
    expect(await pws(['ca', 'create', 'x', '--country', 'Germany'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--country: use a two-letter ISO 3166 country code/),
    });
    expect(await pws(['ca', 'create', 'x', '--days', 'ten'], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/--days/) });
    expect(await pws(['ca', 'frobnicate'], env)).toMatchObject({ code: 2 });
    expect(await pws(['ca', 'create'], env)).toMatchObject({ code: 2 });
  });
});
