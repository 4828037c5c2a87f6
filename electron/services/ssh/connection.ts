import { networkInterfaces } from 'node:os';
import type { ConnectionErrorCode } from '../../../shared/contract/devices';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { Logger } from '../log';
import type { HostKeyFacts } from '../../../shared/contract/provisioning';
import { sshFingerprint, sshKeyType, type KnownHostsStore, type PinnedHostKey } from './known-hosts';
import { describeIdentity, deviceIdentities, identitiesForQuery, type DeviceIdentitySource } from './host-identity';
import { OutputTail } from './output-tail';
import { parseAddress, type SshTarget } from './target';
import { identityFileFromSshConfig } from './ssh-config';
import { readKeyFile, resolveKeyPath } from './ssh-key-file';

export type SshErrorCode = ConnectionErrorCode;

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
  /** The last MAX_CAPTURED_OUTPUT_BYTES of each stream, trimmed; a note at the start says when output was cut. */
  stdout: string;
  stderr: string;
}

/** Every remote command ends by this time unless told otherwise: a device that hangs must not hold a run forever. */
export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;

export interface ExecOptions {
  signal?: AbortSignal;
  /** Closes the command and fails with `stage-timeout` after this long (default DEFAULT_EXEC_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Written to the command's standard input, which is then closed (keeps a value out of the device's process list). */
  stdin?: string;
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
  /** True when this connection saw the device's key for the first time and pinned it (trust on first use). */
  readonly hostKeyNewlyPinned: boolean;
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

/** Where to connect (`address`) and who the device is (its id, hostname and other addresses key its host-key pin). */
export type DeviceEndpoint = DeviceIdentitySource;

/** What a command asks of host keys for all its connections (`--strict-host-keys`); default: the setting. */
export interface HostKeyPolicy {
  /** Refuse a key no pin vouches for; default: the `strictHostKeys` setting. */
  strictHostKeys?: boolean;
}

export interface ConnectOptions extends HostKeyPolicy {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface SshConnector {
  connect(device: DeviceEndpoint, opts?: ConnectOptions): Promise<Result<DeviceConnection, SshErrorCode>>;
  /** Connections attempted, in total and per address (benchmarks count SSH round trips with it). */
  readonly stats: { opened: number; perAddress: Map<string, number> };
  /**
   * Drops a device's pin with all its identities, found by an ADDRESS, hostname or discovery id (text) or by
   * every identity of a device; returns the identities removed, as a person reads them.
   */
  forget(device: string | DeviceEndpoint): Promise<string[]>;
  /**
   * Pins a key the user checked (after a `host-key-unknown` refusal in strict mode) under the device's identities.
   * Refused while a different key is pinned for the device: that one has to be forgotten first, on purpose.
   */
  trust(device: DeviceEndpoint, key: { fingerprint: string; keyType: string }): Promise<Result<void, 'host-key-changed' | 'invalid-address'>>;
}

export interface SshConnectorDeps {
  home: string;
  knownHosts: KnownHostsStore;
  /** settings.sshKeyPath, read at each connect so a change applies to the next run. */
  sshKeyPath: () => Promise<string>;
  /** settings.strictHostKeys, read at each connect: refuse unknown keys instead of pinning them. */
  strictHostKeys?: () => Promise<boolean>;
  clock: () => Date;
  log: Logger;
  /** SSH keepalive; a dead link is noticed after interval × count. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
}

const USERNAME = 'root';

/** Why a connect failed, from ssh2's errors, as a code and a message that says what to check. */
export function classifyConnectError(
  err: unknown,
  target: SshTarget,
  interfaceNames: () => string[] = () => Object.keys(networkInterfaces()),
): { code: SshErrorCode; message: string } {
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
  const scope = /%([^%]+)$/.exec(target.host)?.[1];
  const names = e?.code === 'EINVAL' && scope ? interfaceNames() : [];
  if (scope && names.length && !names.includes(scope)) {
    return {
      code: 'unreachable',
      message: `${where}: this computer has no network interface "${scope}" (it has ${names.join(', ')}): after the % give the interface the board is connected to`,
    };
  }
  return {
    code: 'unreachable',
    message: `${where} is unreachable over SSH (${e?.code ?? msg}): check the cable or network, that the device is powered and booted, and the address`,
  };
}

/** The key a login offers: from Settings or from ~/.ssh/config, and why it could not be read, if so. */
interface LoginKey {
  path: string;
  from: 'settings' | 'ssh-config';
  problem?: string;
}

/** A refused login when a key was set: the usual advice ("set the key") would send the user where they have been. */
function refusedWithKey(where: string, key: LoginKey): string {
  const setIn = key.from === 'settings' ? 'set in Settings (sshKeyPath)' : 'named by IdentityFile of host "mbl-device" in ~/.ssh/config';
  if (key.problem) return `${where} refused the SSH login as root, and the SSH key ${key.path} ${setIn} could not be read (${key.problem}): fix the path`;
  return `${where} refused the SSH login as root with the key ${key.path} ${setIn}: add its public key (${key.path}.pub) to the device's /root/.ssh/authorized_keys, or set the key the device accepts`;
}

const forgetHint = (target: SshTarget) => `pws known-hosts forget ${target.address}`;

/** The presented key differs from the one pinned under one of the device's identities. */
function hostKeyChanged(target: SshTarget, seen: { fingerprint: string; keyType: string }, pin: PinnedHostKey, identity: string) {
  const details: HostKeyFacts = {
    presented: seen.fingerprint,
    keyType: seen.keyType,
    pinned: pin.fingerprint,
    pinnedUnder: describeIdentity(identity),
    pinnedAt: pin.pinnedAt,
  };
  return fail(
    'host-key-changed' as const,
    `device ${target.address}: host key changed (pinned ${pin.fingerprint} under ${details.pinnedUnder} on ${pin.pinnedAt}, presented ${seen.fingerprint}); if the board was re-flashed, forget its key (${forgetHint(target)}, or "Forget this device's key" in the app) and try again; otherwise something else is answering for this device: do not trust it`,
    { ...details },
  );
}

/** Strict host keys: no pin vouches for the presented key. */
function hostKeyUnknown(target: SshTarget, seen: { fingerprint: string; keyType: string }) {
  const details: HostKeyFacts = { presented: seen.fingerprint, keyType: seen.keyType };
  return fail(
    'host-key-unknown' as const,
    `device ${target.address}: unknown host key ${seen.keyType} ${seen.fingerprint} and "Strict host keys" is on: compare it with the board's own (\`ssh-keygen -lf\` of its host key, on its console), then trust it in the app or with pws known-hosts trust ${target.address} ${seen.fingerprint}`,
    { ...details },
  );
}

/**
 * Builds connections: lazy node-ssh, login as root via SSH "none", an empty password, or a key (settings, then
 * ~/.ssh/config host `mbl-device`), host key pinned on first use and checked afterwards.
 */
export function createSshConnector(deps: SshConnectorDeps): SshConnector {
  const stats = { opened: 0, perAddress: new Map<string, number>() };

  /** The login methods in the order they are tried, and the key among them (said again if the device refuses). */
  async function authMethods(): Promise<{ methods: Array<Record<string, unknown>>; key?: LoginKey }> {
    const methods: Array<Record<string, unknown>> = [{ type: 'none', username: USERNAME }];
    const configured = (await deps.sshKeyPath()).trim();
    const keyPath = configured || (await identityFileFromSshConfig(deps.home, 'mbl-device'));
    let loginKey: LoginKey | undefined;
    if (keyPath) {
      const resolved = resolveKeyPath(keyPath, deps.home);
      const key = await readKeyFile(resolved);
      loginKey = { path: resolved, from: configured ? 'settings' : 'ssh-config' };
      if (typeof key !== 'string') methods.push({ type: 'publickey', username: USERNAME, key });
      else {
        loginKey.problem = key;
        deps.log.warn(`SSH key ${resolved} could not be read (${key}); trying password login only`);
      }
    }
    methods.push({ type: 'password', username: USERNAME, password: '' });
    return { methods, ...(loginKey ? { key: loginKey } : {}) };
  }

  async function connect(device: DeviceEndpoint, opts: ConnectOptions = {}): Promise<Result<DeviceConnection, SshErrorCode>> {
    const parsed = parseAddress(device.address);
    if (!parsed.ok) return parsed;
    const target = parsed.value;
    if (opts.signal?.aborted) return fail('cancelled', `${target.address}: cancelled before connecting`);
    stats.opened += 1;
    stats.perAddress.set(target.address, (stats.perAddress.get(target.address) ?? 0) + 1);

    const identities = deviceIdentities(device);
    let pins;
    try {
      pins = await deps.knownHosts.find(identities);
    } catch (err) {
      return fail('host-key-changed', (err as Error).message);
    }
    const strict = opts.strictHostKeys ?? (await deps.strictHostKeys?.()) ?? false;
    const auth = await authMethods();
    let seen: { fingerprint: string; keyType: string } | undefined;
    const { NodeSSH } = await import('node-ssh');
    const ssh = new NodeSSH();
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const onAbort = () => ssh.connection?.end();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    // Decided before authentication: a refused key never sees a login attempt, let alone an upload.
    const refusal = () => {
      if (!seen) return undefined;
      const conflict = pins.find((m) => m.pin.fingerprint !== seen!.fingerprint);
      if (conflict) return hostKeyChanged(target, seen, conflict.pin, conflict.identity);
      if (strict && pins.length === 0) return hostKeyUnknown(target, seen);
      return undefined;
    };
    try {
      await ssh.connect({
        host: target.host,
        port: target.port,
        username: USERNAME,
        readyTimeout: timeoutMs,
        keepaliveInterval: deps.keepaliveIntervalMs ?? 1000,
        keepaliveCountMax: deps.keepaliveCountMax ?? 3,
        authHandler: auth.methods as never,
        hostVerifier: ((key: Buffer) => {
          seen = { fingerprint: sshFingerprint(key), keyType: sshKeyType(key) };
          return refusal() === undefined;
        }) as never,
      });
    } catch (err) {
      ssh.dispose();
      if (opts.signal?.aborted) return fail('cancelled', `${target.address}: cancelled while connecting`);
      const refused = refusal();
      if (refused) return refused;
      const c = classifyConnectError(err, target);
      return fail(c.code, c.code === 'auth-refused' && auth.key ? refusedWithKey(target.address, auth.key) : c.message);
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    if (!seen) {
      ssh.dispose();
      return fail('unreachable', `${target.address}: no host key was presented`);
    }
    // Every identity this device is seen with joins its pin (a new address or hostname keeps the pin).
    const pinnedUnder = new Set(pins.map((m) => m.identity));
    if (identities.some((id) => !pinnedUnder.has(id))) {
      await deps.knownHosts.pin(identities, { ...seen, pinnedAt: deps.clock().toISOString() });
    }
    return ok(wrapConnection(ssh, target, seen.fingerprint, pins.length === 0));
  }

  async function identitiesToForget(device: string | DeviceEndpoint): Promise<string[]> {
    if (typeof device !== 'string') return deviceIdentities(device);
    const q = identitiesForQuery(device);
    if (!q.instance) return q.exact;
    const instance = `mdns:${q.instance}@`;
    const all = (await deps.knownHosts.list()).flatMap((p) => p.identities);
    return [...q.exact, ...all.filter((id) => id.startsWith(instance))];
  }

  return {
    connect,
    stats,
    async forget(device) {
      const removed = await deps.knownHosts.forget(await identitiesToForget(device));
      return removed.flatMap((p) => p.identities.map(describeIdentity));
    },
    async trust(device, key) {
      const parsed = parseAddress(device.address);
      if (!parsed.ok) return parsed;
      const identities = deviceIdentities(device);
      const other = (await deps.knownHosts.find(identities)).find((m) => m.pin.fingerprint !== key.fingerprint);
      if (other)
        return fail(
          'host-key-changed',
          `device ${parsed.value.address}: another host key is pinned for it (${other.pin.fingerprint} under ${describeIdentity(other.identity)} on ${other.pin.pinnedAt}), so ${key.fingerprint} was not pinned; if the board was re-flashed, forget the old key first (${forgetHint(parsed.value)}), then trust the new one`,
        );
      await deps.knownHosts.pin(identities, { ...key, pinnedAt: deps.clock().toISOString() });
      return ok(undefined);
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

interface ExecChannel {
  close(): void;
  write(data: string): void;
  end(): void;
  on(event: 'data', cb: (chunk: Buffer) => void): void;
  on(event: 'exit', cb: (code: number | null) => void): void;
  on(event: 'close', cb: () => void): void;
  stderr: { on(event: 'data', cb: (chunk: Buffer) => void): void };
}

/** One command over an exec channel, keeping only the tail of each stream (node-ssh's execCommand keeps all of it). */
function execCapped(
  client: NodeSshInstance['connection'] & object,
  command: string,
  opts: ExecOptions,
  onChannel: (ch: ExecChannel) => void,
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    (client as unknown as { exec(cmd: string, cb: (err: Error | undefined, ch: ExecChannel) => void): void }).exec(command, (err, channel) => {
      if (err) return reject(err);
      onChannel(channel);
      const out = { stdout: new OutputTail(), stderr: new OutputTail() };
      let code: number | null = null;
      channel.on('data', (chunk) => {
        out.stdout.push(chunk);
        opts.onOutput?.(chunk.toString('utf8'), 'stdout');
      });
      channel.stderr.on('data', (chunk) => {
        out.stderr.push(chunk);
        opts.onOutput?.(chunk.toString('utf8'), 'stderr');
      });
      channel.on('exit', (c) => (code = c ?? null));
      channel.on('close', () => resolve({ code, stdout: out.stdout.text().trim(), stderr: out.stderr.text().trim() }));
      if (opts.stdin !== undefined) channel.write(opts.stdin);
      channel.end();
    });
  });
}

/** A device's error text that means its disk (or the user's quota) is full: told apart so the user frees space instead of retrying. */
export const saysDiskFull = (text: string) => /ENOSPC|No space left|quota/i.test(text);

function wrapConnection(ssh: NodeSshInstance, target: SshTarget, hostKeyFingerprint: string, hostKeyNewlyPinned: boolean): DeviceConnection {
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
    new SshOpError(
      'connection-lost',
      `${target.address}: the SSH connection was lost (${lostReason || 'closed'}): check the cable/network and that the device is still powered`,
    );
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
    hostKeyNewlyPinned,
    get alive() {
      return alive;
    },
    async exec(command, opts = {}) {
      if (!alive) throw lost();
      let channel: ExecChannel | undefined;
      const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          channel?.close();
          reject(
            new SshOpError(
              'stage-timeout',
              `${target.address}: a command on the device did not finish within ${Math.round(timeoutMs / 1000)} s: check that the device is responsive`,
            ),
          );
        }, timeoutMs);
      });
      timedOut.catch(() => undefined);
      try {
        return await guard(Promise.race([execCapped(client, command, opts, (ch) => (channel = ch)), timedOut]), opts.signal, () => channel?.close());
      } catch (err) {
        if (err instanceof SshOpError) throw err;
        if (!alive) throw lost();
        throw new SshOpError('connection-lost', `${target.address}: could not run a command: ${(err as Error).message}`);
      } finally {
        clearTimeout(timer);
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
        if (saysDiskFull(text) || (err as { code?: unknown }).code === 4) {
          // SFTP reports ENOSPC as a generic failure (status 4); the caller confirms with `df`.
          throw new SshOpError(saysDiskFull(text) ? 'disk-full' : 'upload-failed', `${target.address}: upload into ${dir} failed: ${(err as Error).message}`);
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
        throw new SshOpError(saysDiskFull(text) ? 'disk-full' : 'upload-failed', `${target.address}: could not create ${dir}: ${(err as Error).message}`);
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
