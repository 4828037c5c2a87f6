/**
 * The device lab itself: state file, SSH logins, the emulated provisioning utility and a few faults.
 *
 * Runs inside the lab's workstation namespace with the lab up:
 *   sudo bash tests/lab/lab.sh up 10 --non-mbl 10 --ipv6-only 9 --key-only 8
 *   sudo ip netns exec pws-ws npx vitest run tests/integration/lab
 * Without the lab every test fails with one clear line (never a silent skip).
 *
 * Empty-password root login: ssh2 (under node-ssh) always opens with the SSH "none" method, and OpenSSH accepts
 * "none" for an account whose password is empty when PasswordAuthentication and PermitEmptyPasswords are yes
 * (sshd logs `Accepted none for root`). So `{ host, username: 'root', password: '' }` works; so would omitting
 * the password.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { NodeSSH } from 'node-ssh';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCloudEmulator } from '../../cloud-emulator/emulator';
import {
  clearDeviceStorage,
  deviceAddress,
  deviceStorage,
  labFault,
  labHeal,
  requireLabWorkstation,
  scratchEntries,
  REPO_ROOT,
  LAB_PREFIX,
  type LabDevice,
  type LabState,
} from '../../lab/lab';

const execFileAsync = promisify(execFile);
const UTIL = '/opt/arm/pelion-provisioning-util';

function lab(): LabState {
  return requireLabWorkstation();
}

function device(state: LabState, index: number): LabDevice {
  const d = state.devices.find((x) => x.index === index);
  if (!d) throw new Error(`lab has no device ${index}: bring it up with 10 devices`);
  return d;
}

function sha256Fingerprint(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

interface Session {
  ssh: NodeSSH;
  hostKey: string | null;
}

const open: NodeSSH[] = [];
afterAll(() => {
  for (const s of open) s.dispose();
});

async function login(d: LabDevice, auth: { password?: string; privateKey?: string }): Promise<Session> {
  const ssh = new NodeSSH();
  open.push(ssh);
  const session: Session = { ssh, hostKey: null };
  await ssh.connect({
    host: deviceAddress(d),
    port: 22,
    username: 'root',
    readyTimeout: 15_000,
    hostVerifier: (key: Buffer) => {
      session.hostKey = sha256Fingerprint(key);
      return true;
    },
    ...auth,
  });
  return session;
}

async function run(s: Session, cmd: string) {
  const r = await s.ssh.execCommand(cmd);
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

describe('device lab', () => {
  it('state file lists the 10 devices in the expected shape', () => {
    const state = lab();
    expect(state.workstationNamespace).toBe(`${LAB_PREFIX}-ws`);
    expect(state.iface).toBe('eth0');
    expect(existsSync(state.clientKeyPath)).toBe(true);
    expect(existsSync(state.accountCaPath)).toBe(true);
    expect(state.devices.map((d) => d.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const d of state.devices) {
      expect(d.namespace).toBe(`${LAB_PREFIX}-d${d.index}`);
      expect(d.ipv6).toMatch(/^fe80::[0-9a-f:]+$/);
      expect(d.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      // the device's /config (its secure storage lives below it; tests empty or remove that as they need)
      expect(existsSync(join(d.root, 'config'))).toBe(true);
      expect(existsSync(join(d.root, 'opt', 'arm', 'pelion-provisioning-util'))).toBe(true);
    }
    expect(device(state, 1)).toMatchObject({ hostname: 'mbed-linux-os-1', isMbl: true, ipv4: '169.254.20.1', mode: 'dev' });
    expect(device(state, 8)).toMatchObject({ mode: 'key-only', isMbl: true });
    expect(device(state, 9)).toMatchObject({ ipv4: null, mode: 'dev', isMbl: true });
    expect(device(state, 10)).toMatchObject({ hostname: 'linux-box-10', isMbl: false, ipv4: '169.254.20.10' });
  });

  it('a dev device accepts root with an empty password and presents the host key in the state file', async () => {
    const d = device(lab(), 1);
    const s = await login(d, { password: '' });
    const r = await run(s, 'hostname; id -u; ls -d /config /opt/arm /scratch');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual(['mbed-linux-os-1', '0', '/config', '/opt/arm', '/scratch']);
    expect(s.hostKey).toBe(d.hostKeyFingerprint);
  });

  it('an IPv6-only device is reachable at fe80::…%eth0 with an empty password', async () => {
    const d = device(lab(), 9);
    expect(deviceAddress(d)).toBe(`${d.ipv6}%eth0`);
    const s = await login(d, { password: '' });
    const r = await run(s, 'ip -4 -o addr show dev eth0 | wc -l');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('0');
  });

  it('the key-only device refuses the empty password', async () => {
    const d = device(lab(), 8);
    await expect(login(d, { password: '' })).rejects.toThrow(/authentication methods failed/i);
  });

  it('the key-only device accepts the lab client key', async () => {
    const state = lab();
    const s = await login(device(state, 8), { privateKey: readFileSync(state.clientKeyPath, 'utf8') });
    const r = await run(s, 'hostname');
    expect(r).toMatchObject({ code: 0, stdout: 'mbed-linux-os-8' });
  });
});

describe('emulated pelion-provisioning-util', () => {
  it('--help exits 0 with usage', async () => {
    const s = await login(device(lab(), 2), { password: '' });
    const r = await run(s, `${UTIL} --help`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--get-pelion-status');
  });

  it('an unknown flag, no flag or two flags exit 2 with usage', async () => {
    const s = await login(device(lab(), 2), { password: '' });
    for (const args of ['--frobnicate', '', '--provision --help']) {
      const r = await run(s, `${UTIL} ${args}`);
      expect(r.code, `args: "${args}"`).toBe(2);
      expect(r.stderr).toMatch(/^Usage: pelion-provisioning-util/);
    }
  });

  it('--get-pelion-status on a fresh device exits 1 and names what is missing', async () => {
    const fresh = device(lab(), 1);
    clearDeviceStorage(fresh.index);
    const s = await login(fresh, { password: '' });
    const r = await run(s, `${UTIL} --get-pelion-status`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('mbed.BootstrapDeviceCert');
    expect(r.stdout).not.toContain('configured correctly. You can connect');
  });

  it('--provision with a missing file prints the original message (sic) and stores nothing', async () => {
    const d = device(lab(), 3);
    const before = Object.keys(deviceStorage(3));
    const s = await login(d, { password: '' });
    const r = await run(
      s,
      `rm -rf /scratch/provisioning-certs && mkdir -p /scratch/provisioning-certs && ${UTIL} --provision; ` +
        `c=$?; rm -rf /scratch/provisioning-certs; exit $c`,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('File with path /scratch/provisioning-certs/MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME.bincould not be opened');
    expect(Object.keys(deviceStorage(3))).toEqual(before);
  });

  it('provisions a full credential set into /config/user/pal and then reports the device configured', async () => {
    const d = device(lab(), 7);
    const creds = await makeCredentials();
    const s = await login(d, { password: '' });
    try {
      await run(s, 'rm -rf /scratch/provisioning-certs /config/user/pal/* && mkdir -p /scratch/provisioning-certs');
      await s.ssh.putFiles(
        Object.keys(creds.files).map((name) => ({
          local: join(creds.dir, name + '.bin'),
          remote: `/scratch/provisioning-certs/${name}.bin`,
        })),
      );
      expect(scratchEntries(7)).toEqual(['provisioning-certs']);
      const p = await run(s, `${UTIL} --provision`);
      expect(p).toMatchObject({ code: 0, stdout: 'Provisioning process completed without error.' });
      const st = await run(s, `${UTIL} --get-pelion-status`);
      expect(st.stderr).toBe('');
      expect(st).toMatchObject({ code: 0, stdout: 'Device is configured correctly. You can connect to Pelion Cloud!' });

      const storage = deviceStorage(7);
      expect(Object.keys(storage)).toHaveLength(15);
      expect(storage['mbed.EndpointName']?.toString()).toBe('lab-test-endpoint');
      expect(storage['mbed.BootstrapDevicePrivateKey']?.equals(creds.files.MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY!)).toBe(true);
      expect(storage['mbed.UseBootstrap']?.equals(Buffer.from([1, 0, 0, 0]))).toBe(true);
      expect(storage['mbed.MemoryTotalKB']?.equals(Buffer.from([0, 0, 0, 0]))).toBe(true);

      // a wrong-length vendor ID makes the status fail with the reason
      await run(s, 'head -c 15 /dev/zero > /config/user/pal/mbed.VendorId');
      const bad = await run(s, `${UTIL} --get-pelion-status`);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('mbed.VendorId must be 16 bytes');
    } finally {
      await run(s, 'rm -rf /scratch/provisioning-certs /config/user/pal/*');
      rmSync(creds.dir, { recursive: true, force: true });
    }
    expect(deviceStorage(7)).toEqual({});
    expect(scratchEntries(7)).toEqual([]);
  });
});

describe('own CAs the account trusts', () => {
  it("a bootstrap certificate from the user's own CA passes --get-pelion-status only while the account trusts that CA", async () => {
    const d = device(lab(), 6);
    const caDir = mkdtempSync(join(tmpdir(), 'pws-own-ca-'));
    await execFileAsync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
        '-days',
        '2',
        '-subj',
        '/O=Lab/CN=Own CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      { cwd: caDir },
    );
    const creds = await makeCredentials({ cert: join(caDir, 'ca.pem'), key: join(caDir, 'ca.key') });
    const s = await login(d, { password: '' });
    const emu = await startCloudEmulator({ trustedCaDir: lab().trustedCaDir });
    try {
      await run(s, 'rm -rf /scratch/provisioning-certs /config/user/pal/* && mkdir -p /scratch/provisioning-certs');
      await s.ssh.putFiles(
        Object.keys(creds.files).map((name) => ({ local: join(creds.dir, `${name}.bin`), remote: `/scratch/provisioning-certs/${name}.bin` })),
      );
      expect((await run(s, `${UTIL} --provision`)).code).toBe(0);
      const untrusted = await run(s, `${UTIL} --get-pelion-status`);
      expect(untrusted.code).toBe(1);
      expect(untrusted.stderr).toContain('mbed.BootstrapDeviceCert is not signed by mbed.BootstrapServerCACert nor by a CA the account trusts');

      const key = 'ak_lab_trusted_ca_0000000001';
      emu.addAccount({ name: 'lab', apiKey: key });
      const r = await fetch(`${emu.url}/v3/trusted-certificates`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'own-ca', certificate: readFileSync(join(caDir, 'ca.pem'), 'utf8'), service: 'bootstrap', status: 'ACTIVE' }),
      });
      expect(r.status).toBe(201);
      const trusted = await run(s, `${UTIL} --get-pelion-status`);
      expect(trusted).toMatchObject({ code: 0, stdout: 'Device is configured correctly. You can connect to Pelion Cloud!' });
    } finally {
      await emu.close();
      await run(s, 'rm -rf /scratch/provisioning-certs /config/user/pal/*');
      rmSync(creds.dir, { recursive: true, force: true });
      rmSync(caDir, { recursive: true, force: true });
    }
    expect(readdirSync(lab().trustedCaDir)).toEqual([]);
  });
});

describe('lab faults', () => {
  it('utility-fails makes --provision exit 1 with a clear message; heal restores it', async () => {
    const d = device(lab(), 4);
    const creds = await makeCredentials();
    clearDeviceStorage(4);
    const s = await login(d, { password: '' });
    const stage = `rm -rf /scratch/provisioning-certs && mkdir -p /scratch/provisioning-certs && cp ${creds.dir}/*.bin /scratch/provisioning-certs/`; // the device shares the host's /tmp
    try {
      await labFault(4, 'utility-fails');
      expect(device(lab(), 4).faults).toContain('utility-fails');
      const r = await run(s, `${stage} && ${UTIL} --provision`);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('utility-fails');
      expect(deviceStorage(4)).toEqual({});
      await labHeal(4, 'utility-fails');
      const ok = await run(s, `${stage} && ${UTIL} --provision`);
      expect(ok.code).toBe(0);
    } finally {
      await labHeal(4, 'utility-fails');
      await run(s, 'rm -rf /scratch/provisioning-certs /config/user/pal/*');
      rmSync(creds.dir, { recursive: true, force: true });
    }
  });

  it('disk-full makes writes to /scratch fail with ENOSPC; heal restores it', async () => {
    const s = await login(device(lab(), 5), { password: '' });
    try {
      await labFault(5, 'disk-full');
      const r = await run(s, 'echo x > /scratch/probe');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('No space left on device');
      await labHeal(5, 'disk-full');
      const ok = await run(s, 'echo x > /scratch/probe && rm /scratch/probe');
      expect(ok.code).toBe(0);
    } finally {
      await labHeal(5, 'disk-full');
    }
  });

  it('sshd-down refuses connections; heal brings sshd back', async () => {
    const d = device(lab(), 6);
    try {
      await labFault(6, 'sshd-down');
      await expect(login(d, { password: '' })).rejects.toThrow(/ECONNREFUSED/);
      await labHeal(6, 'sshd-down');
      const s = await login(d, { password: '' });
      expect((await run(s, 'true')).code).toBe(0);
    } finally {
      await labHeal(6, 'sshd-down');
    }
  });
});

/** A developer + update credential set as the flat <name>.bin files the utility reads (openssl CLI). */
async function makeCredentials(signer?: { cert: string; key: string }): Promise<{ dir: string; files: Record<string, Buffer> }> {
  const dir = mkdtempSync(join(tmpdir(), 'pws-lab-creds-'));
  const ossl = (...args: string[]) => execFileAsync('openssl', args, { cwd: dir });
  const accountCa = join(REPO_ROOT, 'tests', 'fixtures', 'account-ca');
  const ca = signer ?? { cert: join(accountCa, 'ca.pem'), key: join(accountCa, 'ca.key.pem') };
  const bootstrapCa = join(REPO_ROOT, 'tests', 'fixtures', 'bootstrap-ca', 'ca.pem');
  await ossl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key.pem');
  // note: `openssl pkey -outform DER` writes SEC1 for EC keys; the contract is PKCS#8
  await ossl('pkcs8', '-topk8', '-nocrypt', '-in', 'key.pem', '-outform', 'DER', '-out', 'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY.bin');
  await ossl('req', '-new', '-key', 'key.pem', '-subj', '/CN=lab-test-endpoint', '-out', 'dev.csr');
  await ossl(
    'x509',
    '-req',
    '-in',
    'dev.csr',
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-set_serial',
    '1',
    '-days',
    '2',
    '-outform',
    'DER',
    '-out',
    'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE.bin',
  );
  await ossl('x509', '-in', bootstrapCa, '-outform', 'DER', '-out', 'MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE.bin');
  await ossl('req', '-x509', '-key', 'key.pem', '-subj', '/CN=update', '-days', '2', '-outform', 'DER', '-out', 'arm_uc_default_certificate.bin');
  const text: Record<string, string> = {
    MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME: 'lab-test-endpoint',
    MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI: 'coaps://bootstrap.lab.invalid:5684?aid=0123456789abcdef0123456789abcdef',
    MBED_CLOUD_DEV_MANUFACTURER: 'dev_manufacturer',
    MBED_CLOUD_DEV_MODEL_NUMBER: 'dev_model_num',
    MBED_CLOUD_DEV_SERIAL_NUMBER: '0',
    MBED_CLOUD_DEV_DEVICE_TYPE: 'dev_device_type',
    MBED_CLOUD_DEV_HARDWARE_VERSION: 'dev_hardware_version',
  };
  for (const [name, value] of Object.entries(text)) writeFileSync(join(dir, name + '.bin'), value);
  writeFileSync(join(dir, 'MBED_CLOUD_DEV_MEMORY_TOTAL_KB.bin'), Buffer.from([0, 0, 0, 0]));
  writeFileSync(join(dir, 'arm_uc_vendor_id.bin'), Buffer.alloc(16, 0xab));
  writeFileSync(join(dir, 'arm_uc_class_id.bin'), Buffer.alloc(16, 0xcd));
  for (const f of ['key.pem', 'dev.csr']) rmSync(join(dir, f));
  const files: Record<string, Buffer> = {};
  for (const f of readdirSync(dir)) files[f.replace(/\.bin$/, '')] = readFileSync(join(dir, f));
  return { dir, files };
}
