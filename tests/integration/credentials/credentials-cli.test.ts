import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudEmulator, type CloudEmulator } from '../../cloud-emulator/emulator';
import { buildCli, filesContaining, FIXTURES, pws, REPO, requireKeyring, sandbox, secretToolLookup, type CliRun } from './cli-support';

/**
 * The credentials flows through the built `pws`, against the REAL OS keychain (gnome-keyring in the
 * suite's dbus-run-session) and the cloud emulator. The key must end up in the keychain and nowhere else.
 */
const KEY = 'ak_1MDE3YTkyZGVmMGI0MDI0MjBhMDE0YzExMDAwMDAwMDA01a2b';
const KEY2 = 'ak_2ZWNvbmRrZXlmb3JhcmVwbGFjZW1lbnR0ZXN0MDAwMDAw7e7e';
/** No test saves a key for this URL in the shared keychain session (and nothing listens on it). */
const URL_WITHOUT_A_KEY = 'http://127.0.0.1:9';
const BAD_KEY = 'ak_9Zq0ZmFrZWtleWZvcnRoZXNlY29uZGFjY291bnQwMDAw9c8d';

let emu: CloudEmulator;
/** What a failing run says besides its progress lines: exactly one line is expected. */
const errorLines = (r: CliRun) =>
  r.stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('Creating '));
const outputs: CliRun[] = [];
/** This test's runs, printed when it fails: an exit code alone doesn't say why. */
let runsOfThisTest: string[] = [];
const cli = async (args: string[], env: NodeJS.ProcessEnv, stdin?: string | null) => {
  const r = await pws(args, env, stdin);
  outputs.push(r);
  runsOfThisTest.push(`pws ${args.join(' ')} → ${r.code}\n${r.stderr}`);
  return r;
};

beforeEach(() => {
  runsOfThisTest = [];
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(runsOfThisTest.join('\n'));
});

beforeAll(async () => {
  await requireKeyring();
  await buildCli();
  emu = await startCloudEmulator();
  emu.addAccount({ name: 'Lab bench account', apiKey: KEY });
  emu.addAccount({ name: 'Second account', apiKey: KEY2 });
});
afterAll(async () => {
  await emu?.close();
});

describe('pws api-key with the real keychain', () => {
  it('saves a checked key into the keychain only: secret-tool finds it, HOME, the data dir and all output do not', async () => {
    const sb = sandbox(emu.url);
    const saved = await cli(['api-key', 'save', '--verbose'], sb.env, `${KEY}\n`);
    // --verbose logs the save, masked.
    expect(saved.stderr).toBe(`pws: info: API key for ${emu.url} saved in the OS keychain (ak_…1a2b)\n`);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('ak_…1a2b');
    expect(saved.stdout).toContain('Lab bench account');
    expect(await secretToolLookup(emu.url)).toBe(KEY);
    expect(emu.requests.some((r) => r.method === 'GET' && r.path === '/v3/accounts/me' && r.status === 200)).toBe(true);

    const shown = await cli(['api-key', 'show', '--verbose'], sb.env);
    expect(shown).toMatchObject({ code: 0 });
    expect(shown.stdout.trim()).toBe(`ak_…1a2b for ${emu.url} (account: Lab bench account) in the OS keychain`);
    const json = await cli(['api-key', 'show', '--json'], sb.env);
    expect(JSON.parse(json.stdout)).toMatchObject({ present: true, masked: 'ak_…1a2b', source: 'keychain', apiUrl: emu.url });

    // PWS_API_URL alone does not change the remembered default.
    expect(existsSync(join(sb.dataDir, 'settings.json'))).toBe(false);

    // A list with the key also asks the cloud, with the key in the header only.
    const list = await cli(['certs', 'list', '--json', '--verbose'], sb.env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ team: [], cloud: [], cloudNote: null });

    expect(filesContaining(sb.home, KEY)).toEqual([]);
    expect(filesContaining(sb.dataDir, KEY)).toEqual([]);
    for (const o of outputs) expect(`${o.stdout}${o.stderr}`).not.toContain(KEY);
    // The emulator's own record of requests masks the Authorization header too.
    expect(JSON.stringify(emu.requests)).not.toContain(KEY);
  });

  it('an invalid key exits 1 with a clear line and keeps the previous key; a key on stdin works too', async () => {
    const sb = sandbox(emu.url);
    expect((await cli(['api-key', 'save'], sb.env, `${KEY}\n`)).code).toBe(0);
    const bad = await cli(['api-key', 'save'], sb.env, `${BAD_KEY}\n`);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([
      `pws: the API key was not accepted by ${emu.url} (GET /v3/accounts/me answered HTTP 401): the previous key is kept; check the key and try again`,
    ]);
    expect(await secretToolLookup(emu.url)).toBe(KEY);

    const viaStdin = await cli(['api-key', 'save', '-'], sb.env, `${KEY2}\n`);
    expect(viaStdin.code).toBe(0);
    expect(await secretToolLookup(emu.url)).toBe(KEY2);
    expect((await cli(['api-key', 'show'], sb.env)).stdout).toContain('ak_…7e7e');

    const deleted = await cli(['api-key', 'delete'], sb.env);
    expect(deleted.code).toBe(0);
    expect(await secretToolLookup(emu.url)).toBeNull();
    const none = await cli(['api-key', 'show'], sb.env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`no API key saved for ${emu.url}`);
    for (const o of outputs) expect(`${o.stdout}${o.stderr}`).not.toContain(KEY2);
  });

  it('--api-url wins over PWS_API_URL; a bad URL is a clear failure', async () => {
    const sb = sandbox('https://api.eu-west-1.mbedcloud.com');
    const r = await cli(['api-key', 'save', '--api-url', emu.url], sb.env, `${KEY}\n`);
    expect(r.code).toBe(0);
    expect(await secretToolLookup(emu.url)).toBe(KEY);
    // The API URL given to save is remembered in the settings, and used when neither flag nor env names one.
    expect(JSON.parse(readFileSync(join(sb.dataDir, 'settings.json'), 'utf8')).apiUrl).toBe(emu.url);
    const noEnv = { ...sb.env };
    delete noEnv.PWS_API_URL;
    expect((await cli(['api-key', 'show'], noEnv)).stdout).toContain(`ak_…1a2b for ${emu.url}`);
    const bad = await cli(['api-key', 'show', '--api-url', 'ftp://example.com'], sb.env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/API URL must start with https:\/\//);
  });

  it('PWS_API_KEY works without any keychain session and is never stored', async () => {
    const sb = sandbox(emu.url, { PWS_API_KEY: KEY2, DBUS_SESSION_BUS_ADDRESS: '' });
    const shown = await cli(['api-key', 'show'], sb.env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('ak_…7e7e');
    expect(shown.stdout).toContain('PWS_API_KEY (not stored)');
    const list = await cli(['certs', 'list', '--json'], sb.env);
    expect(JSON.parse(list.stdout).cloud).toEqual([]);
    expect(filesContaining(sb.root, KEY2)).toEqual([]);
  });

  it('without a D-Bus session: the clear error, and nothing written anywhere else', async () => {
    const sb = sandbox(emu.url, { DBUS_SESSION_BUS_ADDRESS: '', DISPLAY: undefined });
    const noSession = 'pws: no OS keychain is available (no D-Bus session): start a desktop session or run inside dbus-run-session';
    for (const [args, message] of [
      [['api-key', 'show'], `${noSession}; on a machine without one (CI), give the key in PWS_API_KEY instead`],
      [['api-key', 'save'], noSession],
    ] as const) {
      const r = await cli([...args], sb.env, `${KEY}\n`);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(message);
    }
    expect(filesContaining(sb.root, KEY)).toEqual([]);
  });

  it('without a D-Bus session, says so before asking for the key, not after it was typed', async () => {
    const sb = sandbox(emu.url, { DBUS_SESSION_BUS_ADDRESS: '', DISPLAY: undefined });
    const r = await cli(['api-key', 'save'], sb.env, null);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('pws: no OS keychain is available (no D-Bus session): start a desktop session or run inside dbus-run-session');
  });
});

/** Runs a script in a private D-Bus session whose keyring starts unlocked and is then locked. */
function lockedSession(script: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'pws-locked-'));
  const lock =
    'dbus-send --session --dest=org.freedesktop.secrets --type=method_call --print-reply /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null';
  const body = `echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1\n${script.replaceAll('@LOCK@', lock)}\n`;
  writeFileSync(join(dir, 'run.sh'), body);
  return new Promise((resolvePromise, reject) => {
    const child = spawn('dbus-run-session', ['--', 'sh', join(dir, 'run.sh')], {
      cwd: REPO,
      env: { ...env, XDG_DATA_HOME: join(dir, 'xdg'), OUT: dir },
      stdio: 'ignore', // a D-Bus-activated helper may outlive the session: don't wait on its pipes
    });
    child.on('error', reject);
    child.on('exit', () => {
      const out: Record<string, string> = {};
      for (const f of readdirSync(dir)) if (f.endsWith('.txt')) out[f.slice(0, -4)] = readFileSync(join(dir, f), 'utf8');
      resolvePromise(out);
    });
  });
}

describe('a locked keychain', () => {
  it('gives "locked: unlock it and retry", not "no key", and saving fails without a fallback', async () => {
    const sb = sandbox(emu.url);
    const P = `node ${join(REPO, 'bin/pws.cjs')}`;
    const out = await lockedSession(
      [
        `echo ${KEY} | ${P} api-key save > "$OUT/save-before.txt" 2>&1; echo $? >> "$OUT/save-before.txt"`,
        '@LOCK@',
        `${P} api-key show > "$OUT/show.txt" 2>&1; echo $? >> "$OUT/show.txt"`,
        `echo ${KEY2} | ${P} api-key save > "$OUT/save.txt" 2>&1; echo $? >> "$OUT/save.txt"`,
        `${P} certs list > "$OUT/list.txt" 2>&1; echo $? >> "$OUT/list.txt"`,
      ].join('\n'),
      sb.env,
    );
    expect(out['save-before']).toMatch(/Saved API key ak_…1a2b[\s\S]*\n0\n$/);
    expect(out.show).toBe('pws: the OS keychain is locked: unlock it and retry\n1\n');
    expect(out.save).toBe('pws: the OS keychain is locked: unlock it and retry\n1\n');
    expect(out.list).toContain('pws: note: the OS keychain is locked: unlock it and retry');
    expect(out.list).toMatch(/\n0\n$/);
    expect(filesContaining(sb.root, KEY)).toEqual([]);
    expect(filesContaining(sb.root, KEY2)).toEqual([]);
  });
});

describe('pws certs with the cloud emulator', () => {
  const der = (team: string, name: string) => readFileSync(join(team, name, 'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE.bin'));

  it('create-dev writes MBED_CLOUD_DEV_*.bin whose device certificate chains to the account CA; a second create reports the 409', async () => {
    const sb = sandbox(emu.url);
    expect((await cli(['api-key', 'save'], sb.env, `${KEY}\n`)).code).toBe(0);
    const r = await cli(['certs', 'create-dev', 'lab-dev-1'], sb.env);
    expect(r.code).toBe(0);
    const files = readdirSync(join(sb.team, 'lab-dev-1')).sort();
    expect(files).toEqual([
      'MBED_CLOUD_DEV_ACCOUNT_ID.bin',
      'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE.bin',
      'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY.bin',
      'MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME.bin',
      'MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE.bin',
      'MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI.bin',
      'MBED_CLOUD_DEV_DEVICE_TYPE.bin',
      'MBED_CLOUD_DEV_HARDWARE_VERSION.bin',
      'MBED_CLOUD_DEV_MANUFACTURER.bin',
      'MBED_CLOUD_DEV_MEMORY_TOTAL_KB.bin',
      'MBED_CLOUD_DEV_MODEL_NUMBER.bin',
      'MBED_CLOUD_DEV_SERIAL_NUMBER.bin',
    ]);
    const cert = new X509Certificate(der(sb.team, 'lab-dev-1'));
    const ca = new X509Certificate(readFileSync(join(FIXTURES, 'account-ca/ca.pem')));
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subject).toContain(`CN=${readFileSync(join(sb.team, 'lab-dev-1/MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME.bin'), 'utf8')}`);
    expect([...readFileSync(join(sb.team, 'lab-dev-1/MBED_CLOUD_DEV_MEMORY_TOTAL_KB.bin'))]).toEqual([0, 0, 0, 0]);
    expect(readFileSync(join(sb.team, 'lab-dev-1/MBED_CLOUD_DEV_MANUFACTURER.bin'), 'utf8')).toBe('dev_manufacturer');
    const cfg = JSON.parse(readFileSync(join(sb.team, 'config.json'), 'utf8'));
    expect(cfg.dev_certs['lab-dev-1']).toEqual(files.map((f) => join(sb.team, 'lab-dev-1', f)));

    const again = await cli(['certs', 'create-dev', 'lab-dev-1'], sb.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('pws: the cloud already has a developer certificate named "lab-dev-1" (HTTP 409)');

    const list = JSON.parse((await cli(['certs', 'list', '--json'], sb.env)).stdout);
    const fp = createHash('sha256').update(der(sb.team, 'lab-dev-1')).digest('hex');
    expect(list.team).toEqual([expect.objectContaining({ name: 'lab-dev-1', kind: 'developer', fingerprint: fp, expiry: 'ok' })]);
    expect(list.cloud).toEqual([expect.objectContaining({ name: 'lab-dev-1', fingerprint: fp, inTeamStore: true })]);

    // Human list: name, kind, fingerprint and expiry.
    const human = await cli(['certs', 'list'], sb.env);
    expect(human.stdout).toMatch(new RegExp(`lab-dev-1\\s+developer\\s+${fp}\\s+\\d{4}-\\d{2}-\\d{2}\\s+valid`));

    const del = await cli(['certs', 'delete', 'lab-dev-1', '--cloud'], sb.env);
    expect(del.code).toBe(0);
    expect(existsSync(join(sb.team, 'lab-dev-1'))).toBe(false);
    expect(emu.requests.some((q) => q.method === 'DELETE' && q.path.startsWith('/v3/trusted-certificates/') && q.status === 204)).toBe(true);
  });

  it('create-dev without a saved key says only that: no "Creating…" line for a call that is never made', async () => {
    const sb = sandbox(URL_WITHOUT_A_KEY);
    const before = emu.requests.length;
    const r = await cli(['certs', 'create-dev', 'no-key-yet'], sb.env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^pws: no API key for .*pws api-key save/)]);
    expect(emu.requests.length).toBe(before);
  });

  it('provision -c without a saved key stops there, in one line, before any "Creating…" line or device', async () => {
    const sb = sandbox(URL_WITHOUT_A_KEY);
    const before = emu.requests.length;
    const r = await cli(['provision', 'no-key-dev', 'no-key-update', '-c', '--device', '192.0.2.1'], sb.env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^pws: -c: no API key for .*; nothing was provisioned$/)]);
    expect(emu.requests.length).toBe(before);
  });

  it('a device, a pipe or a huge file given as FILE is refused in one line, before it is read', async () => {
    const sb = sandbox(URL_WITHOUT_A_KEY);
    const fifo = join(sb.root, 'pipe.c');
    execFileSync('mkfifo', [fifo]);
    const huge = join(sb.root, 'firmware.img');
    writeFileSync(huge, '');
    truncateSync(huge, 64 * 1024 * 1024);
    const cases: Array<[string[], string]> = [
      [['certs', 'import-dev', 'dev', '/dev/zero'], 'pws: could not read /dev/zero: it is a device, not a file: choose the file itself'],
      [['certs', 'import-update', 'upd', fifo], `pws: could not read ${fifo}: it is a pipe, not a file: choose the file itself`],
      [['enroll', 'upload', '/dev/zero'], 'pws: could not read /dev/zero: it is a device, not a file: choose the file itself'],
      [
        ['certs', 'import-dev', 'dev', huge],
        `pws: could not read ${huge}: it is 64.0 MiB, more than the 32.0 MiB a certificate, key, C file or CSV can be: check that this is the right file`,
      ],
    ];
    for (const [args, line] of cases) {
      const r = await cli(args, sb.env);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toBe(`${line}\n`);
    }
  }, 20_000);

  it("import-update stores manifest-tool's arrays byte for byte (file made by pws init)", async () => {
    const sb = sandbox(emu.url);
    const dir = join(sb.root, 'upd');
    const init = await cli(['init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', dir], sb.env);
    expect(init.code).toBe(0);
    const r = await cli(['certs', 'import-update', 'dev-device', join(dir, 'update_default_resources.c')], sb.env);
    expect(r.code).toBe(0);
    const d = join(sb.team, 'dev-device');
    const certDer = readFileSync(join(dir, '.update-certificates/default.der'));
    const bin = (n: string) => readFileSync(join(d, `${n}.bin`));
    expect(readdirSync(d).sort()).toHaveLength(7);
    expect(bin('arm_uc_default_certificate')).toEqual(certDer);
    expect(bin('arm_uc_default_fingerprint')).toEqual(createHash('sha256').update(certDer).digest());
    expect(bin('arm_uc_vendor_id').toString('hex')).toBe('fa6b4a53d5ad5fdfbe9de663e4d41ffe');
    expect(bin('arm_uc_class_id').toString('hex')).toBe('4d131344feab5a2e84a20dccdd905f35');
    const spki = new X509Certificate(certDer).publicKey.export({ type: 'spki', format: 'der' });
    expect(bin('arm_uc_default_subject_key_identifier')).toEqual(createHash('sha256').update(spki).digest().subarray(0, 20));
    expect(bin('arm_uc_default_psk').length).toBe(0);
    expect(bin('arm_uc_default_psk_id').length).toBe(0);

    // A truncated copy: exit 1 naming line and symbol; the store is unchanged.
    const cut = join(sb.root, 'cut.c');
    writeFileSync(cut, readFileSync(join(dir, 'update_default_resources.c'), 'utf8').slice(0, 2000));
    const before = readFileSync(join(sb.team, 'config.json'), 'utf8');
    const bad = await cli(['certs', 'import-update', 'cut', cut], sb.env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`^pws: ${cut.replaceAll('.', '\\.')}, line \\d+: arm_uc_\\w+: unterminated array`));
    expect(existsSync(join(sb.team, 'cut'))).toBe(false);
    expect(readFileSync(join(sb.team, 'config.json'), 'utf8')).toBe(before);

    const usage = await cli(['certs', 'import-update', 'only-name'], sb.env);
    expect(usage.code).toBe(2);
  });

  it('cloud faults: a 429 is retried, a 500 on POST is not, a dropped connection is a clear error; nothing half-stored', async () => {
    const sb = sandbox(emu.url);
    emu.inject({ method: 'GET', path: '/v3/accounts/me', status: 429, retryAfter: 0 });
    expect((await cli(['api-key', 'save'], sb.env, `${KEY}\n`)).code).toBe(0);
    expect(await secretToolLookup(emu.url)).toBe(KEY);

    // Faulted requests are answered before their body is read, so count the POSTs of each step.
    let mark = emu.requests.length;
    const posts = () => {
      const seen = emu.requests.slice(mark).filter((q) => q.method === 'POST' && q.path === '/v3/developer-certificates');
      mark = emu.requests.length;
      return seen;
    };

    posts();
    emu.inject({ method: 'POST', path: '/v3/developer-certificates', status: 429, retryAfter: 0 });
    const limited = await cli(['certs', 'create-dev', 'after-429'], sb.env);
    expect(limited.code).toBe(0);
    expect(posts().map((q) => q.status)).toEqual([429, 201]);
    expect(existsSync(join(sb.team, 'after-429/MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE.bin'))).toBe(true);

    emu.inject({ method: 'POST', path: '/v3/developer-certificates', status: 500 });
    const failed = await cli(['certs', 'create-dev', 'after-500'], sb.env);
    expect(failed.code).toBe(1);
    expect(errorLines(failed)).toHaveLength(1);
    expect(errorLines(failed)[0]).toMatch(/^pws: could not create the developer certificate "after-500": Device Management had a problem \(HTTP 500\)/);
    expect(posts()).toHaveLength(1);
    expect(existsSync(join(sb.team, 'after-500'))).toBe(false);

    emu.inject({ method: 'POST', path: '/v3/developer-certificates', drop: true });
    const dropped = await cli(['certs', 'create-dev', 'after-drop'], sb.env);
    expect(dropped.code).toBe(1);
    expect(errorLines(dropped)).toHaveLength(1);
    expect(errorLines(dropped)[0]).toMatch(
      /^pws: could not create the developer certificate "after-drop": could not reach 127\.0\.0\.1:\d+: check the network or the API URL/,
    );
    expect(posts()).toHaveLength(1);
    expect(existsSync(join(sb.team, 'after-drop'))).toBe(false);
    expect(readdirSync(sb.team).sort()).toEqual(['after-429', 'config.json']);
    emu.clearFaults();
  });
});

describe("an mbl-cli 2.0 user's stores", () => {
  const LEGACY_KEY = 'ak_mblcli_plaintext_legacy_key_9f3e';

  it('are listed as they are, the old plaintext key is offered, moved into the keychain and blanked', async () => {
    emu.addAccount({ name: 'Old mbl-cli account', apiKey: LEGACY_KEY });
    const sb = sandbox(emu.url);
    const store = join(sb.root, 'old-store');
    cpSync(join(FIXTURES, 'mbl-cli-store'), store, { recursive: true });
    for (const kind of ['user', 'team']) {
      const f = join(store, kind, 'config.json');
      writeFileSync(f, readFileSync(f, 'utf8').replaceAll('@STORE@', store));
    }
    writeFileSync(join(sb.home, '.mbl-stores.json'), JSON.stringify({ user: join(store, 'user'), team: join(store, 'team') }));

    const stores = JSON.parse((await cli(['certs', 'stores', '--json'], sb.env)).stdout);
    expect(stores).toEqual({ storesFile: join(sb.home, '.mbl-stores.json'), user: join(store, 'user'), team: join(store, 'team') });

    // The keyring is shared by the whole suite (account = the emulator's URL): start without a key.
    expect((await cli(['api-key', 'delete'], sb.env)).code).toBe(0);
    const shown = await cli(['api-key', 'show'], sb.env);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain('the old mbl-cli User Store still holds a plaintext API key: move it into the OS keychain with `pws api-key migrate`');

    const migrated = await cli(['api-key', 'migrate'], sb.env);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain('ak_…9f3e');
    expect(await secretToolLookup(emu.url)).toBe(LEGACY_KEY);
    expect(JSON.parse(readFileSync(join(store, 'user/config.json'), 'utf8')).api_key).toBe('');
    expect(filesContaining(sb.root, LEGACY_KEY)).toEqual([]);
    expect((await cli(['api-key', 'show'], sb.env)).stderr).toBe('');

    const list = await cli(['certs', 'list', '--json'], sb.env);
    const team = JSON.parse(list.stdout).team;
    expect(team.map((c: { name: string; kind: string; legacy: boolean }) => [c.name, c.kind, c.legacy])).toEqual([
      ['old-dev', 'developer', true],
      ['old-update', 'update', false],
    ]);
    const human = await cli(['certs', 'list'], sb.env);
    expect(human.stdout).toMatch(/old-dev\s+developer\s+[0-9a-f]{64}\s+\S+\s+valid \(mbl-cli\)/);
    expect(human.stderr).toContain('old-dev: written by mbl-cli 2.0');
    for (const o of outputs) expect(`${o.stdout}${o.stderr}`).not.toContain(LEGACY_KEY);
  });

  it('import-dev takes a portal credentials file; fetch-dev copies a cloud certificate back; stores can move', async () => {
    const sb = sandbox(emu.url);
    const imp = await cli(['certs', 'import-dev', 'portal', join(FIXTURES, 'c-files/mbed_cloud_dev_credentials.c')], sb.env);
    expect(imp.code).toBe(0);
    expect(readFileSync(join(sb.team, 'portal/MBED_CLOUD_DEV_MANUFACTURER.bin'), 'utf8')).toBe('ACME Inc. dev_manufacturer');

    expect((await cli(['api-key', 'save'], sb.env, `${KEY}\n`)).code).toBe(0);
    expect((await cli(['certs', 'create-dev', 'roundtrip'], sb.env)).code).toBe(0);
    const original = readFileSync(join(sb.team, 'roundtrip/MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY.bin'));
    expect((await cli(['certs', 'delete', 'roundtrip'], sb.env)).code).toBe(0);
    const fetched = await cli(['certs', 'fetch-dev', 'roundtrip'], sb.env);
    expect(fetched.code).toBe(0);
    expect(readFileSync(join(sb.team, 'roundtrip/MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY.bin')).equals(original)).toBe(true);

    const moved = await cli(['certs', 'stores', '--team', join(sb.root, 'team2'), '--json'], sb.env);
    expect(JSON.parse(moved.stdout).team).toBe(join(sb.root, 'team2'));
    expect(JSON.parse((await cli(['certs', 'list', '--json'], sb.env)).stdout).team).toEqual([]);
  });
});
