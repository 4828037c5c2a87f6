import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { Logger } from '../log';
import { sshFingerprint, sshKeyType, type KnownHostsStore } from './known-hosts';
import { hostKeyId, parseAddress, type SshTarget } from './target';
import { identityFileFromSshConfig } from './ssh-config';

export type SshErrorCode =
  | 'invalid-address'
  | 'unreachable'
  | 'auth-refused'
  | 'host-key-changed'
  | 'connection-lost'
  | 'disk-full'
  | 'upload-failed'
  | 'cancelled'
  | 'stage-timeout';

/** An expected failure of an operation on an open connection; the engine maps `code` to its own errors. */
export class SshOpError extends Error {
  constructor(
    readonly code: SshErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  signal?: AbortSignal;
  /** Each chunk of output as it arrives (for live device logs). */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
}

export interface UploadFile {
  name: string;
  data: Uint8Array;
}

/** One open SSH session to a device. The real one wraps node-ssh; unit tests use a fake with the same shape. */
export interface DeviceConnection {
  readonly hostKeyFingerprint: string;
  readonly alive: boolean;
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Creates one remote folder over SFTP (no shell on the device); fails if it exists. */
  mkdir(dir: string, opts?: { signal?: AbortSignal; mode?: number }): Promise<void>;
  /** Writes files into an existing remote folder over SFTP; calls `onFile` after each. */
  upload(dir: string, files: readonly UploadFile[], opts?: { signal?: AbortSignal; onFile?: (name: string, done: number) => void }): Promise<void>;
  /**
   * Removes folders that hold only files, over SFTP (no shell); a missing folder is fine. A folder with a
   * sub-folder fails with `upload-failed` so the caller can fall back to `rm -rf`.
   */
  removeFlatFolders(dirs: readonly string[], opts?: { signal?: AbortSignal }): Promise<void>;
  /** A remote path's modification time (the device's clock) and type, or undefined when it does not exist. */
  stat(path: string, opts?: { signal?: AbortSignal }): Promise<{ mtimeMs: number; isDirectory: boolean } | undefined>;
  /** Sizes of the regular files in a remote folder, by name. */
  listSizes(dir: string, opts?: { signal?: AbortSignal }): Promise<Map<string, number>>;
  close(): Promise<void>;
}

export interface DeviceEndpoint {
  address: string;
  hostname?: string;
}

export interface ConnectOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface SshConnector {
  connect(device: DeviceEndpoint, opts?: ConnectOptions): Promise<Result<DeviceConnection, SshErrorCode>>;
  /** Connections attempted, in total and per address (benchmarks count SSH round trips with it). */
  readonly stats: { opened: number; perAddress: Map<string, number> };
  /** Drops a pinned key for an ADDRESS or hostname; returns the keys removed. */
  forget(device: string): Promise<string[]>;
}

export interface SshConnectorDeps {
  home: string;
  knownHosts: KnownHostsStore;
  /** settings.sshKeyPath, read at each connect so a change applies to the next run. */
  sshKeyPath: () => Promise<string>;
  clock: () => Date;
  log: Logger;
  /** SSH keepalive; a dead link is noticed after interval × count. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
}

const USERNAME = 'root';

/** Why a connect failed, from ssh2's errors, as a code and a message that says what to check. */
export function classifyConnectError(err: unknown, target: SshTarget): { code: SshErrorCode; message: string } {
  const e = err as NodeJS.ErrnoException & { level?: string };
  const msg = e?.message ?? String(err);
  const where = target.address;
  if (e?.level === 'client-authentication' || /authentication methods failed/i.test(msg)) {
    return {
      code: 'auth-refused',
      message: `${where} refused the SSH login as root: a development image accepts root with an empty password; for a production image set the key in Settings (sshKeyPath) or as IdentityFile of host "mbl-device" in ~/.ssh/config`,
    };
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(`${e?.code} ${msg}`)) {
    return { code: 'unreachable', message: `${where} does not resolve: check the hostname or use the device's IP address` };
  }
  if (e?.code === 'ECONNREFUSED') {
    return {
      code: 'unreachable',
      message: `${where} answers but nothing accepts SSH on port ${target.port} (ECONNREFUSED): wait until the device has finished booting, check that its SSH server runs, and the address/port`,
    };
  }
  return {
    code: 'unreachable',
    message: `${where} is unreachable over SSH (${e?.code ?? msg}): check the cable or network, that the device is powered and booted, and the address`,
  };
}

async function readKey(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

/**
 * Builds connections: lazy node-ssh, login as root via SSH "none", an empty password, or a key (settings, then
 * ~/.ssh/config host `mbl-device`), host key pinned on first use and checked afterwards.
 */
export function createSshConnector(deps: SshConnectorDeps): SshConnector {
  const stats = { opened: 0, perAddress: new Map<string, number>() };

  async function authMethods(): Promise<Array<Record<string, unknown>>> {
    const methods: Array<Record<string, unknown>> = [{ type: 'none', username: USERNAME }];
    const configured = (await deps.sshKeyPath()).trim();
    const keyPath = configured || (await identityFileFromSshConfig(deps.home, 'mbl-device'));
    if (keyPath) {
      const resolved = keyPath.startsWith('~/') ? join(deps.home, keyPath.slice(2)) : keyPath;
      const key = await readKey(resolved);
      if (key) methods.push({ type: 'publickey', username: USERNAME, key });
      else deps.log.warn(`SSH key ${resolved} could not be read; trying password login only`);
    }
    methods.push({ type: 'password', username: USERNAME, password: '' });
    return methods;
  }

  async function connect(device: DeviceEndpoint, opts: ConnectOptions = {}): Promise<Result<DeviceConnection, SshErrorCode>> {
    const parsed = parseAddress(device.address);
    if (!parsed.ok) return parsed;
    const target = parsed.value;
    if (opts.signal?.aborted) return fail('cancelled', `${target.address}: cancelled before connecting`);
    stats.opened += 1;
    stats.perAddress.set(target.address, (stats.perAddress.get(target.address) ?? 0) + 1);

    const pinKey = hostKeyId(target, device.hostname);
    let pinned;
    try {
      pinned = await deps.knownHosts.get(pinKey);
    } catch (err) {
      return fail('host-key-changed', (err as Error).message);
    }
    let seen: { fingerprint: string; keyType: string } | undefined;
    const { NodeSSH } = await import('node-ssh');
    const ssh = new NodeSSH();
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const onAbort = () => ssh.connection?.end();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await ssh.connect({
        host: target.host,
        port: target.port,
        username: USERNAME,
        readyTimeout: timeoutMs,
        keepaliveInterval: deps.keepaliveIntervalMs ?? 1000,
        keepaliveCountMax: deps.keepaliveCountMax ?? 3,
        authHandler: (await authMethods()) as never,
        hostVerifier: ((key: Buffer) => {
          seen = { fingerprint: sshFingerprint(key), keyType: sshKeyType(key) };
          return !pinned || pinned.fingerprint === seen.fingerprint;
        }) as never,
      });
    } catch (err) {
      ssh.dispose();
      if (opts.signal?.aborted) return fail('cancelled', `${target.address}: cancelled while connecting`);
      if (pinned && seen && pinned.fingerprint !== seen.fingerprint) {
        return fail(
          'host-key-changed',
          `${target.address}: the device's SSH host key changed (pinned ${pinned.fingerprint}, now ${seen.fingerprint}) for "${pinKey}". If the board was reflashed, forget the old key (pws known-hosts forget ${pinKey}, or Forget host key in the app) and try again; otherwise check that nothing else answers at this address`,
          { pinned: pinned.fingerprint, presented: seen.fingerprint, key: pinKey },
        );
      }
      const c = classifyConnectError(err, target);
      return fail(c.code, c.message);
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    if (!seen) {
      ssh.dispose();
      return fail('unreachable', `${target.address}: no host key was presented`);
    }
    if (!pinned) await deps.knownHosts.pin(pinKey, { ...seen, pinnedAt: deps.clock().toISOString() });
    return ok(wrapConnection(ssh, target, seen.fingerprint));
  }

  return {
    connect,
    stats,
    async forget(device) {
      const parsed = parseAddress(device);
      const keys = new Set([device.toLowerCase()]);
      if (parsed.ok) keys.add(hostKeyId(parsed.value));
      const removed: string[] = [];
      for (const k of keys) removed.push(...(await deps.knownHosts.forget(k)));
      return removed;
    },
  };
}

type NodeSshInstance = InstanceType<(typeof import('node-ssh'))['NodeSSH']>;

/** The two SFTP calls used (ssh2 ships no types here). */
interface SftpLike {
  writeFile(path: string, data: Buffer, opts: { mode: number }, cb: (err?: Error | null) => void): void;
  readdir(path: string, cb: (err: Error | undefined, list: Array<{ filename: string; attrs: { size: number; mode: number } }>) => void): void;
  unlink(path: string, cb: (err?: Error | null) => void): void;
  rmdir(path: string, cb: (err?: Error | null) => void): void;
  mkdir(path: string, attrs: { mode: number }, cb: (err?: Error | null) => void): void;
  stat(path: string, cb: (err: (Error & { code?: unknown }) | undefined, attrs: { mtime: number; mode: number }) => void): void;
}

const isNoSpace = (text: string) => /ENOSPC|No space left|quota/i.test(text);

function wrapConnection(ssh: NodeSshInstance, target: SshTarget, hostKeyFingerprint: string): DeviceConnection {
  const client = ssh.connection!;
  // Small request/answer exchanges: without TCP_NODELAY each one waits for a delayed ACK (~40 ms).
  (client as unknown as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  let alive = true;
  let lostReason = '';
  const markDead = (why: string) => {
    if (alive) lostReason = why;
    alive = false;
  };
  // After `ready` node-ssh no longer listens for errors; without a listener an error would crash the process.
  client.on('error', (err: Error) => markDead(err.message));
  client.on('close', () => markDead('the connection closed'));
  client.on('end', () => markDead('the connection ended'));

  const lost = () =>
    new SshOpError('connection-lost', `${target.address}: the SSH connection was lost (${lostReason || 'closed'}): check the cable/network and that the device is still powered`);
  const cancelled = () => new SshOpError('cancelled', `${target.address}: cancelled`);

  /** Rejects when the signal aborts or the connection dies, whichever first. */
  function guard<T>(work: Promise<T>, signal: AbortSignal | undefined, onStop?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const stop = (err: Error) => {
        cleanup();
        onStop?.();
        reject(err);
      };
      const onAbort = () => stop(cancelled());
      const onClose = () => stop(lost());
      const cleanup = () => {
        signal?.removeEventListener('abort', onAbort);
        client.off('close', onClose);
      };
      if (signal?.aborted) return onAbort();
      if (!alive) return onClose();
      signal?.addEventListener('abort', onAbort, { once: true });
      client.on('close', onClose);
      work.then(
        (v) => {
          cleanup();
          resolve(v);
        },
        (err) => {
          cleanup();
          reject(err);
        },
      );
    });
  }

  let sftpPromise: Promise<SftpLike> | undefined;
  const sftp = () => (sftpPromise ??= ssh.requestSFTP() as unknown as Promise<SftpLike>);

  return {
    hostKeyFingerprint,
    get alive() {
      return alive;
    },
    async exec(command, opts = {}) {
      if (!alive) throw lost();
      let channel: { close(): void } | undefined;
      try {
        return await guard(
          ssh.execCommand(command, {
            onChannel: (ch) => (channel = ch),
            onStdout: (b) => opts.onOutput?.(b.toString('utf8'), 'stdout'),
            onStderr: (b) => opts.onOutput?.(b.toString('utf8'), 'stderr'),
          }),
          opts.signal,
          () => channel?.close(),
        );
      } catch (err) {
        if (err instanceof SshOpError) throw err;
        if (!alive) throw lost();
        throw new SshOpError('connection-lost', `${target.address}: could not run a command: ${(err as Error).message}`);
      }
    },
    async upload(dir, files, opts = {}) {
      if (!alive) throw lost();
      try {
        const s = await guard(sftp(), opts.signal);
        let done = 0;
        // All writes in flight at once: one round trip per file instead of one after another.
        await guard(
          Promise.all(
            files.map(
              (f) =>
                new Promise<void>((resolve, reject) => {
                  s.writeFile(`${dir}/${f.name}`, Buffer.from(f.data), { mode: 0o600 }, (err?: Error | null) => {
                    if (err) return reject(err);
                    done += 1;
                    opts.onFile?.(f.name, done);
                    resolve();
                  });
                }),
            ),
          ),
          opts.signal,
        );
      } catch (err) {
        if (err instanceof SshOpError) throw err;
        if (!alive) throw lost();
        const text = `${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message}`;
        if (isNoSpace(text) || (err as { code?: unknown }).code === 4) {
          // SFTP reports ENOSPC as a generic failure (status 4); the caller confirms with `df`.
          throw new SshOpError(isNoSpace(text) ? 'disk-full' : 'upload-failed', `${target.address}: upload into ${dir} failed: ${(err as Error).message}`);
        }
        throw new SshOpError('upload-failed', `${target.address}: upload into ${dir} failed: ${(err as Error).message}`);
      }
    },
    async mkdir(dir, opts = {}) {
      if (!alive) throw lost();
      try {
        const s = await guard(sftp(), opts.signal);
        await guard(new Promise<void>((resolve, reject) => s.mkdir(dir, { mode: opts.mode ?? 0o700 }, (err) => (err ? reject(err) : resolve()))), opts.signal);
      } catch (err) {
        if (err instanceof SshOpError) throw err;
        if (!alive) throw lost();
        const text = `${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message}`;
        throw new SshOpError(isNoSpace(text) ? 'disk-full' : 'upload-failed', `${target.address}: could not create ${dir}: ${(err as Error).message}`);
      }
    },
    async removeFlatFolders(dirs, opts = {}) {
      if (!alive) throw lost();
      const s = await guard(sftp(), opts.signal);
      const call = (fn: (cb: (err?: Error | null) => void) => void) => new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
      const isMissing = (err: unknown) => (err as { code?: unknown }).code === 2; // SSH_FX_NO_SUCH_FILE
      for (const dir of dirs) {
        let list: Array<{ filename: string; attrs: { size: number; mode: number } }>;
        try {
          list = await guard(new Promise((resolve, reject) => s.readdir(dir, (err, l) => (err ? reject(err) : resolve(l)))), opts.signal);
        } catch (err) {
          if (err instanceof SshOpError) throw err;
          if (isMissing(err)) continue;
          throw new SshOpError('upload-failed', `${target.address}: could not list ${dir}: ${(err as Error).message}`);
        }
        const entries = list.filter((e) => e.filename !== '.' && e.filename !== '..');
        if (entries.some((e) => (e.attrs.mode & 0o170000) === 0o040000)) throw new SshOpError('upload-failed', `${target.address}: ${dir} holds a folder`);
        try {
          await guard(
            Promise.all(entries.map((e) => call((cb) => s.unlink(`${dir}/${e.filename}`, cb)))).then(() => call((cb) => s.rmdir(dir, cb))),
            opts.signal,
          );
        } catch (err) {
          if (err instanceof SshOpError) throw err;
          if (!alive) throw lost();
          throw new SshOpError('upload-failed', `${target.address}: could not remove ${dir}: ${(err as Error).message}`);
        }
      }
    },
    async stat(path, opts = {}) {
      if (!alive) throw lost();
      const s = await guard(sftp(), opts.signal);
      try {
        const attrs = await guard(
          new Promise<{ mtime: number; mode: number }>((resolve, reject) => s.stat(path, (err, a) => (err ? reject(err) : resolve(a)))),
          opts.signal,
        );
        return { mtimeMs: attrs.mtime * 1000, isDirectory: (attrs.mode & 0o170000) === 0o040000 };
      } catch (err) {
        if (err instanceof SshOpError) throw err;
        if ((err as { code?: unknown }).code === 2) return undefined; // SSH_FX_NO_SUCH_FILE
        if (!alive) throw lost();
        throw new SshOpError('upload-failed', `${target.address}: could not look at ${path}: ${(err as Error).message}`);
      }
    },
    async listSizes(dir, opts = {}) {
      if (!alive) throw lost();
      const s = await guard(sftp(), opts.signal);
      const entries = await guard(
        new Promise<Array<{ filename: string; attrs: { size: number } }>>((resolve, reject) =>
          s.readdir(dir, (err: Error | undefined, list: Array<{ filename: string; attrs: { size: number } }>) => (err ? reject(err) : resolve(list))),
        ),
        opts.signal,
      );
      return new Map(entries.map((e) => [e.filename, e.attrs.size]));
    },
    async close() {
      alive = false;
      ssh.dispose();
    },
  };
}
