import { fail, ok, type Result } from '../../../../../shared/contract/result';
import {
  SshOpError,
  type DeviceConnection,
  type DeviceEndpoint,
  type ExecResult,
  type SshConnector,
  type SshErrorCode,
} from '../../../../../electron/services/ssh/connection';

/**
 * FAKE (unit tests only): an in-process stand-in for SSH devices with a tiny file system, so the runner's
 * scheduling, cancel and retry logic can be tested without the lab. Integration tests use the real lab.
 */
export interface FakeDeviceState {
  files: Map<string, Uint8Array>;
  dirs: Set<string>;
  commands: string[];
  connects: number;
  /** Connections currently open. */
  open: number;
  maxOpen: number;
  failConnect?: SshErrorCode;
  utilityFails?: boolean;
  utilityMissing?: boolean;
  verifyFails?: boolean;
  dropDuringUpload?: boolean;
  /** Folder → modification time (ms, the device's clock); folders without an entry are "now". */
  mtimes: Map<string, number>;
  /** ms each exec and upload takes. */
  delayMs: number;
  /** What `hostname` prints on the device (none: the command is missing). */
  hostname?: string;
  /** Every file uploaded, with its bytes as they arrived. */
  uploaded: Array<{ name: string; data: Uint8Array }>;
}

export class FakeDeviceConnector implements SshConnector {
  readonly devices = new Map<string, FakeDeviceState>();
  readonly stats = { opened: 0, perAddress: new Map<string, number>() };
  /** Highest number of devices with an open connection at the same moment. */
  maxParallel = 0;
  #openDevices = 0;

  device(address: string): FakeDeviceState {
    let d = this.devices.get(address);
    if (!d)
      this.devices.set(
        address,
        (d = { files: new Map(), dirs: new Set(['/scratch']), mtimes: new Map(), commands: [], connects: 0, open: 0, maxOpen: 0, delayMs: 5, uploaded: [] }),
      );
    return d;
  }

  async forget(): Promise<string[]> {
    return [];
  }

  async trust(): Promise<Result<void, never>> {
    return ok(undefined);
  }

  async connect(ep: DeviceEndpoint, opts: { signal?: AbortSignal } = {}): Promise<Result<DeviceConnection, SshErrorCode>> {
    const d = this.device(ep.address);
    this.stats.opened += 1;
    d.connects += 1;
    await sleep(d.delayMs, opts.signal).catch(() => undefined);
    if (opts.signal?.aborted) return fail('cancelled', `${ep.address}: cancelled`);
    if (d.failConnect) return fail(d.failConnect, `${ep.address}: fake ${d.failConnect}`);
    d.open += 1;
    d.maxOpen = Math.max(d.maxOpen, d.open);
    if (d.open === 1) this.maxParallel = Math.max(this.maxParallel, ++this.#openDevices);
    let alive = true;
    const close = async () => {
      if (!alive) return;
      alive = false;
      d.open -= 1;
      if (d.open === 0) this.#openDevices -= 1;
    };
    const conn: DeviceConnection = {
      hostKeyFingerprint: 'SHA256:fake',
      hostKeyNewlyPinned: d.connects === 1,
      get alive() {
        return alive;
      },
      async exec(cmd, o = {}): Promise<ExecResult> {
        if (!alive) throw new SshOpError('connection-lost', 'lost');
        d.commands.push(cmd);
        await sleep(d.delayMs, o.signal);
        return run(d, cmd, o.onOutput, o.stdin);
      },
      async mkdir(dir, o = {}) {
        if (!alive) throw new SshOpError('connection-lost', 'lost');
        d.commands.push(`sftp mkdir ${dir}`);
        await sleep(d.delayMs, o.signal);
        if (d.dirs.has(dir)) throw new SshOpError('upload-failed', `${ep.address}: could not create ${dir}: Failure`);
        d.dirs.add(dir);
      },
      async upload(dir, files, o = {}) {
        if (!alive) throw new SshOpError('connection-lost', 'lost');
        await sleep(d.delayMs, o.signal);
        if (d.dropDuringUpload) {
          await close();
          throw new SshOpError('connection-lost', `${ep.address}: the SSH connection was lost`);
        }
        let n = 0;
        for (const f of files) {
          d.files.set(`${dir}/${f.name}`, f.data);
          d.uploaded.push({ name: f.name, data: Uint8Array.from(f.data) });
          o.onFile?.(f.name, ++n);
        }
      },
      async removeFlatFolders(dirs, o = {}) {
        if (!alive) throw new SshOpError('connection-lost', 'lost');
        d.commands.push(`sftp remove ${dirs.join(' ')}`);
        await sleep(d.delayMs, o.signal);
        for (const dir of dirs) rmTree(d, dir);
      },
      async stat(path) {
        if (!d.dirs.has(path)) return undefined;
        return { mtimeMs: d.mtimes.get(path) ?? Date.now(), isDirectory: true };
      },
      async listSizes(dir) {
        const out = new Map<string, number>();
        for (const [p, data] of d.files) if (p.startsWith(`${dir}/`)) out.set(p.slice(dir.length + 1), data.length);
        return out;
      },
      close,
    };
    return ok(conn);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new SshOpError('cancelled', 'cancelled'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new SshOpError('cancelled', 'cancelled'));
      },
      { once: true },
    );
  });
}

const unq = (s: string) => s.replace(/^'|'$/g, '');

function rmTree(d: FakeDeviceState, path: string) {
  d.dirs.delete(path);
  for (const p of [...d.files.keys()]) if (p.startsWith(`${path}/`)) d.files.delete(p);
}

/** The engine's one-shell device script: nonce from stdin, rename, unit probe, provision, verify, each followed by its marker. */
function script(d: FakeDeviceState, cmd: string, onOutput?: (t: string, s: 'stdout' | 'stderr') => void, stdin = ''): ExecResult {
  const m = /^IFS= read -r pws_nonce \|\| exit 91\n\{ rm -rf (\S+) && mv (\S+) (\S+); \}/.exec(cmd);
  if (!m) return { code: 2, stdout: '', stderr: 'fake: unexpected script' };
  const mark = (name: string, value: string | number) => `@@pws:${stdin.trim()}:${name}=${value}\n`;
  run(d, `rm -rf ${m[1]} && mv ${m[2]} ${m[3]}`);
  let out = mark('staged', 0) + mark('unit', 0);
  const p = run(d, 'util --provision');
  out += `${p.stdout}${p.stderr}\n${mark('provisioned', p.code ?? -1)}`;
  if (p.code !== 0) {
    onOutput?.(out, 'stdout');
    return { code: p.code, stdout: out, stderr: '' };
  }
  const v = run(d, 'util --get-pelion-status');
  out += `${v.stdout}${v.stderr}\n${mark('verified', v.code ?? -1)}`;
  onOutput?.(out, 'stdout');
  return { code: v.code, stdout: out, stderr: '' };
}

function run(d: FakeDeviceState, cmd: string, onOutput?: (t: string, s: 'stdout' | 'stderr') => void, stdin?: string): ExecResult {
  let m;
  if ((m = /^mkdir -p (\S+)$/.exec(cmd))) {
    d.dirs.add(unq(m[1]!));
    return { code: 0, stdout: '', stderr: '' };
  }
  if (cmd.includes('@@pws:')) return script(d, cmd, onOutput, stdin);
  if ((m = /^rm -rf (\S+) && mv (\S+) (\S+)$/.exec(cmd))) {
    const [target, from] = [unq(m[1]!), unq(m[2]!)];
    rmTree(d, target);
    for (const [p, data] of [...d.files]) {
      if (p.startsWith(`${from}/`)) {
        d.files.delete(p);
        d.files.set(`${target}/${p.slice(from.length + 1)}`, data);
      }
    }
    d.dirs.delete(from);
    d.dirs.add(target);
    return { code: 0, stdout: '', stderr: '' };
  }
  if ((m = /^rm -rf (.+)$/.exec(cmd))) {
    for (const p of m[1]!.split(' ')) rmTree(d, unq(p));
    return { code: 0, stdout: '', stderr: '' };
  }
  if (cmd === 'hostname') return d.hostname ? { code: 0, stdout: `${d.hostname}\n`, stderr: '' } : { code: 127, stdout: '', stderr: 'sh: hostname: not found' };
  if (d.utilityMissing && cmd.includes('--')) return { code: 127, stdout: '', stderr: 'sh: 1: /opt/arm/pelion-provisioning-util: not found' };
  if (cmd.endsWith('--provision')) {
    if (d.utilityFails) return { code: 1, stdout: '', stderr: 'Error: KCM_STATUS_STORAGE_ERROR' };
    onOutput?.('Provisioning process completed without error.\n', 'stdout');
    d.files.set('/config/provisioned', new Uint8Array([1]));
    return { code: 0, stdout: 'Provisioning process completed without error.', stderr: '' };
  }
  if (cmd.endsWith('--get-pelion-status')) {
    return d.files.has('/config/provisioned') && !d.verifyFails
      ? { code: 0, stdout: 'Device is configured correctly. You can connect to Pelion Cloud!', stderr: '' }
      : { code: 1, stdout: '', stderr: 'Error: missing item(s) in secure storage: mbed.EndpointName' };
  }
  if (cmd.startsWith('systemctl restart')) return { code: 0, stdout: 'restarted', stderr: '' };
  return { code: 127, stdout: '', stderr: `sh: ${cmd}: not found` };
}
