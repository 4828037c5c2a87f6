import { randomBytes } from 'node:crypto';
import type { HostKeyFacts, ProvisioningErrorCode, ProvisioningStage, StageTiming } from '../../../shared/contract/provisioning';
import type { Result } from '../../../shared/contract/result';
import { SshOpError, type DeviceConnection, type DeviceEndpoint, type SshConnector, type UploadFile } from '../ssh/connection';
import { LOCK_STALE_MS, lockDirFor, shq, stagingDirFor, type DeviceProfile } from './device-profile';
import { EndedBeforeMarker, marker as printMarker, runMarked, type MarkedExec } from './marked-exec';

/** One certificate from the Team Store, as the engine needs it: its name and its `.bin` files. */
export interface CertificateBundle {
  name: string;
  kind: 'developer' | 'update';
  files: ReadonlyArray<{ name: string; data: Uint8Array }>;
  fingerprint?: string;
  notAfter?: string;
}

/** What the engine knows of a device once connected, for making its own item set. */
export interface ConnectedDevice {
  hostKeyFingerprint: string;
  /** The name the device gives itself (`hostname`), asked only when wanted. */
  hostname(): Promise<string | undefined>;
}

/**
 * A device's certificates: the same bundles for every device (a shared developer certificate), or bundles made
 * for this device once it is connected (its own identity), before anything is left on it; a refusal fails the
 * device with that code and nothing staged.
 */
export type DeviceCertificates =
  | readonly CertificateBundle[]
  | ((device: ConnectedDevice, signal: AbortSignal) => Promise<Result<readonly CertificateBundle[], ProvisioningErrorCode>>);

export interface StageTimeouts {
  connect: number;
  stage: number;
  provision: number;
  verify: number;
  cleanup: number;
  'restart-client': number;
}

export const DEFAULT_TIMEOUTS: StageTimeouts = {
  connect: 15_000,
  stage: 30_000,
  provision: 60_000,
  verify: 30_000,
  cleanup: 15_000,
  'restart-client': 30_000,
};

export interface EngineHooks {
  /** A stage begins (the runner turns this into progress events). Awaited, so a test can inject a lab fault before the stage's work. */
  onStage?(stage: ProvisioningStage): void | Promise<void>;
  onProgress?(progress: number, message: string): void;
  /** Device output and engine notes, line by line. */
  onLog?(line: string): void;
  /**
   * Awaited before anything is left on the device, and again once the device lock is ours: the run journal
   * records it, so that a process killed mid-run can be cleaned up after on the next start.
   */
  onStaging?(left: { staging: string; lockHeld: boolean }): void | Promise<void>;
}

export interface EngineOptions extends EngineHooks {
  connector: SshConnector;
  profile: DeviceProfile;
  timeouts?: Partial<StageTimeouts>;
  signal?: AbortSignal;
  /** Refuse unknown host keys (default: the connector's setting). */
  strictHostKeys?: boolean;
}

export interface DeviceOutcome {
  ok: boolean;
  /** The last stage reached: `done` on success, else where it failed. */
  stage: ProvisioningStage;
  error?: { code: ProvisioningErrorCode; message: string };
  stages: StageTiming[];
  hostKeyFingerprint?: string;
  hostKeyNewlyPinned?: boolean;
  /** Why the host key was refused (both fingerprints, where the old one was pinned). */
  hostKey?: HostKeyFacts;
  /** `restarted` / `skipped` for the cloud client. */
  notes: string[];
  /** Cleanup could not run: the staged certificates may still be on the device. */
  leftOnDevice?: boolean;
}

class StageError extends Error {
  constructor(
    readonly code: ProvisioningErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const PROGRESS_AT: Record<string, number> = { connect: 0.05, stage: 0.15, provision: 0.45, verify: 0.75, cleanup: 0.88, 'restart-client': 0.94, done: 1 };

/**
 * The one shell script per device: rename the staged folder into place, say whether the cloud client unit
 * exists, provision, and (only if that worked) verify. Utility output is merged into stdout so that the lines
 * between two markers are exactly that stage's output (markers: see marked-exec.ts).
 */
export function deviceScript(profile: DeviceProfile, staging: string): string {
  const u = shq(profile.utility);
  const unit = profile.cloudClientUnit;
  return [
    `{ rm -rf ${shq(profile.certsDir)} && mv ${shq(staging)} ${shq(profile.certsDir)}; } 2>&1 || exit 90`,
    printMarker('staged', '0'),
    unit
      ? `if command -v systemctl >/dev/null 2>&1 && systemctl cat ${shq(unit)} >/dev/null 2>&1; then ${printMarker('unit', '1')}; else ${printMarker('unit', '0')}; fi`
      : printMarker('unit', '0'),
    `${u} ${profile.provisionArgs} </dev/null 2>&1; rc=$?; ${printMarker('provisioned', '$rc')}; [ "$rc" -eq 0 ] || exit "$rc"`,
    `${u} ${profile.statusArgs} </dev/null 2>&1; rc=$?; ${printMarker('verified', '$rc')}; exit "$rc"`,
  ].join('\n');
}

/** The files to copy: every `.bin` of both certificates in one flat folder (names get `.bin` if the store gave the symbol only). */
export function filesToUpload(certs: readonly CertificateBundle[]): UploadFile[] {
  const byName = new Map<string, UploadFile>();
  for (const cert of certs) {
    for (const f of cert.files) {
      const name = f.name.endsWith('.bin') ? f.name : `${f.name}.bin`;
      if (name.includes('/')) throw new StageError('certificate-invalid', `certificate "${cert.name}" has a file name with a slash: ${name}`);
      byName.set(name, { name, data: f.data });
    }
  }
  return [...byName.values()];
}

const lastLines = (text: string, n = 6) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .join(' | ');
const noSpace = (text: string) => /No space left|ENOSPC|Disk quota/i.test(text);

/**
 * Removes folders from the device: over SFTP (no shell needed), falling back to `rm -rf` for a folder SFTP can't
 * empty (one with a sub-folder). Throws a StageError that says what is left.
 */
export async function removeFromDevice(conn: DeviceConnection, dirs: readonly string[], signal: AbortSignal, where: string): Promise<void> {
  try {
    await conn.removeFlatFolders(dirs, { signal });
    return;
  } catch (err) {
    if (!(err instanceof SshOpError) || err.code !== 'upload-failed') throw err;
  }
  const r = await conn.exec(`rm -rf ${dirs.map(shq).join(' ')}`, { signal });
  if (r.code !== 0) throw new StageError('upload-failed', `${where}: cleanup failed: ${lastLines(r.stderr) || `exit ${r.code}`}`);
}

/**
 * Provisions one device: connect → stage → provision → verify → cleanup → restart-client, all over one SSH
 * connection. Cleanup always runs (after a failure, a cancel or a dropped link, on a fresh connection if the
 * first one died). Never throws: every failure comes back as a code and a message that says what to do.
 */
export async function provisionDevice(device: DeviceEndpoint, certs: DeviceCertificates, opts: EngineOptions): Promise<DeviceOutcome> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const { profile } = opts;
  const stages: StageTiming[] = [];
  const notes: string[] = [];
  const where = device.hostname ? `${device.hostname} (${device.address})` : device.address;
  const staging = stagingDirFor(profile, randomBytes(6).toString('hex'));
  let conn: DeviceConnection | undefined;
  let hostKeyFingerprint: string | undefined;
  let hostKeyNewlyPinned = false;
  let hostKey: HostKeyFacts | undefined;
  let current: ProvisioningStage = 'connect';
  let failure: { code: ProvisioningErrorCode; message: string } | undefined;
  let failedAt: ProvisioningStage = 'connect';
  let stagedSomething = false;
  let leftOnDevice = false;
  let hasUnit = false;
  let script: MarkedExec | undefined;

  const log = (line: string) => opts.onLog?.(line);
  const lock = lockDirFor(profile);
  /** true once the device-side lock is ours (or may be: its creation was cut off by a lost link). */
  let lockHeld = false;

  /** mkdir is atomic on the device: whoever creates the lock folder provisions; a lock left by a dead process (older than LOCK_STALE_MS by the device's clock) is taken over. */
  async function takeDeviceLock(signal: AbortSignal): Promise<void> {
    try {
      await conn!.mkdir(lock, { signal });
      lockHeld = true;
      return;
    } catch (err) {
      if (!(err instanceof SshOpError) || err.code === 'cancelled') throw err;
      if (err.code === 'connection-lost') {
        lockHeld = true;
        throw err;
      }
    }
    const [held, now] = await Promise.all([conn!.stat(lock, { signal }), conn!.stat(staging, { signal })]);
    if (!held) throw new StageError('upload-failed', `${where}: could not create the provisioning lock ${lock}: check free space and permissions on the device`);
    const ageMs = (now?.mtimeMs ?? held.mtimeMs) - held.mtimeMs;
    if (ageMs < LOCK_STALE_MS) {
      throw new StageError(
        'device-busy',
        `${where} is being provisioned by another workstation or process right now (lock ${lock}, ${Math.max(0, Math.round(ageMs / 1000))} s old): wait for it to finish; if that process died, the lock is taken over after ${LOCK_STALE_MS / 60_000} minutes`,
      );
    }
    log(`taking over a stale provisioning lock (${Math.round(ageMs / 60_000)} min old)`);
    lockHeld = true;
  }

  /** Runs one stage with its own timeout, linked to the run's signal. */
  async function stage(name: Exclude<ProvisioningStage, 'queued' | 'done'>, work: (signal: AbortSignal) => Promise<void>, ignoreCancel = false): Promise<void> {
    current = name;
    await opts.onStage?.(name);
    opts.onProgress?.(PROGRESS_AT[name] ?? 0, name);
    const started = Date.now();
    const controller = new AbortController();
    let timedOut = false;
    // connect: SSH's own handshake timeout (same value) fires first and says "unreachable", which is more useful
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeouts[name] + (name === 'connect' ? 2000 : 0));
    const onParentAbort = () => controller.abort();
    if (!ignoreCancel) {
      if (opts.signal?.aborted) controller.abort();
      opts.signal?.addEventListener('abort', onParentAbort, { once: true });
    }
    try {
      await work(controller.signal);
      stages.push({ stage: name, durationMs: Date.now() - started, ok: true });
    } catch (err) {
      stages.push({ stage: name, durationMs: Date.now() - started, ok: false });
      if (timedOut) throw new StageError('stage-timeout', `${where}: the ${name} stage took longer than ${Math.round(timeouts[name] / 1000)} s: check the device is responsive and try again`);
      if (err instanceof StageError) throw err;
      if (err instanceof SshOpError) throw new StageError(err.code === 'invalid-address' ? 'invalid-address' : err.code, err.message);
      throw new StageError('internal', `${where}: ${name} failed unexpectedly: ${(err as Error)?.message ?? String(err)}`);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onParentAbort);
    }
  }

  async function run(cmd: string, signal: AbortSignal, stream: boolean) {
    return conn!.exec(cmd, {
      signal,
      onOutput: stream
        ? (text) => {
            for (const line of text.split(/\r?\n/)) if (line.trim()) log(line);
          }
        : undefined,
    });
  }

  /** The device's own item set, made now that it is connected (see DeviceCertificates). */
  async function madeFor(make: Exclude<DeviceCertificates, readonly CertificateBundle[]>, signal: AbortSignal): Promise<UploadFile[]> {
    const hostname = async () => {
      const r = await conn!.exec('hostname', { signal });
      return r.code === 0 ? r.stdout.trim().split('\n')[0] || undefined : undefined;
    };
    const made = await make({ hostKeyFingerprint: hostKeyFingerprint!, hostname }, signal);
    if (!made.ok) throw new StageError(made.code, made.message);
    return filesToUpload(made.value);
  }

  try {
    let files = typeof certs === 'function' ? [] : filesToUpload(certs);

    await stage('connect', async (signal) => {
      const r = await opts.connector.connect(device, { signal, timeoutMs: timeouts.connect, strictHostKeys: opts.strictHostKeys });
      if (!r.ok) {
        if (r.details?.presented) hostKey = r.details as unknown as HostKeyFacts;
        throw new StageError(r.code, r.message);
      }
      conn = r.value;
      hostKeyFingerprint = conn.hostKeyFingerprint;
      hostKeyNewlyPinned = conn.hostKeyNewlyPinned;
      log(`connected to ${where} (host key ${hostKeyFingerprint}${hostKeyNewlyPinned ? ': new host key pinned' : ''})`);
    });

    await stage('stage', async (signal) => {
      if (typeof certs === 'function') files = await madeFor(certs, signal);
      await opts.onStaging?.({ staging, lockHeld: false });
      stagedSomething = true; // from here on cleanup runs (a lost reply may still have created the folder)
      try {
        await conn!.mkdir(staging, { signal });
      } catch (err) {
        if (!(err instanceof SshOpError) || err.code === 'cancelled' || err.code === 'connection-lost') throw err;
        // SFTP reports ENOSPC as a bare "Failure": ask the shell, whose message is specific.
        const mk = await run(`mkdir -p ${shq(staging)}`, signal, false);
        if (mk.code !== 0) {
          if (noSpace(mk.stderr)) throw new StageError('disk-full', `${where}: the device's disk is full (${lastLines(mk.stderr)}): free space on the device and try again`);
          throw new StageError('upload-failed', `${where}: could not create ${staging}: ${lastLines(mk.stderr) || `exit ${mk.code}`}`);
        }
      }
      try {
        await takeDeviceLock(signal);
      } finally {
        if (lockHeld) await opts.onStaging?.({ staging, lockHeld: true });
      }
      try {
        await conn!.upload(staging, files, {
          signal,
          onFile: (_name, done) => opts.onProgress?.(0.15 + (0.25 * done) / files.length, `uploaded ${done}/${files.length} files`),
        });
      } catch (err) {
        if (err instanceof SshOpError && (err.code === 'upload-failed' || err.code === 'disk-full')) {
          const df = await run(`df -P ${shq(staging)} | tail -1`, signal, false).catch(() => undefined);
          const avail = df ? Number(df.stdout.trim().split(/\s+/)[3]) : NaN;
          if (err.code === 'disk-full' || avail === 0) {
            throw new StageError('disk-full', `${where}: the device's disk is full while uploading the certificates: free space on the device and try again`);
          }
        }
        throw err;
      }
      const sizes = await conn!.listSizes(staging, { signal });
      for (const f of files) {
        const size = sizes.get(f.name);
        if (size !== f.data.length) {
          throw new StageError(
            size === undefined || size < f.data.length ? 'disk-full' : 'upload-failed',
            `${where}: ${f.name} arrived with ${size ?? 'no'} bytes instead of ${f.data.length}: ${size === undefined || size < f.data.length ? 'the device may be out of space; free space and try again' : 'try again'}`,
          );
        }
      }
      // One shell does the rename, provisioning and verification; markers end each stage (see marked-exec.ts).
      // the script spans three stages, each with its own timeout: the command itself may take their sum
      script = runMarked(conn!, deviceScript(profile, staging), log, { timeoutMs: timeouts.stage + timeouts.provision + timeouts.verify });
      try {
        await script.waitFor('staged', signal);
        hasUnit = (await script.waitFor('unit', signal)).value === '1';
      } catch (err) {
        if (!(err instanceof EndedBeforeMarker)) throw err;
        const out = err.output || err.result?.stderr || '';
        throw new StageError(noSpace(out) ? 'disk-full' : 'upload-failed', `${where}: could not move the certificates into ${profile.certsDir}: ${lastLines(out) || `exit ${err.result?.code}`}`);
      }
      log(`staged ${files.length} files in ${profile.certsDir}`);
    });

    /** Exit code and output of one step of the device shell, also when the shell ended before reaching it. */
    const stepResult = async (marker: string, signal: AbortSignal): Promise<{ code: number; out: string }> => {
      try {
        const m = await script!.waitFor(marker, signal);
        return { code: Number(m.value), out: m.output };
      } catch (err) {
        if (!(err instanceof EndedBeforeMarker)) throw err;
        return { code: err.result?.code ?? -1, out: err.output };
      }
    };

    await stage('provision', async (signal) => {
      const { code, out } = await stepResult('provisioned', signal);
      if (code === 0) return;
      if (code === 127 || (/not found|No such file or directory/.test(out) && out.includes(profile.utility))) {
        throw new StageError('utility-missing', `${where}: ${profile.utility} is missing: is this an Mbed Linux OS device (with the Pelion provisioning utility installed)?`);
      }
      if (noSpace(out)) throw new StageError('disk-full', `${where}: the device's disk is full (${lastLines(out)}): free space and try again`);
      throw new StageError('utility-failed', `${where}: the provisioning utility failed (exit ${code}): ${lastLines(out) || 'no output'}`);
    });

    await stage('verify', async (signal) => {
      const { code, out } = await stepResult('verified', signal);
      if (code !== 0) {
        throw new StageError('verify-failed', `${where}: provisioned, but --get-pelion-status reports a problem (exit ${code}): ${lastLines(out) || 'no output'}`);
      }
    });
  } catch (err) {
    failure =
      err instanceof StageError
        ? { code: err.code, message: err.message }
        : { code: 'internal', message: `${where}: ${(err as Error)?.message ?? String(err)}` };
    if (failure.code !== 'cancelled' && opts.signal?.aborted) failure = { code: 'cancelled', message: `${where}: cancelled during ${current}` };
    failedAt = current as ProvisioningStage;
    log(`failed in ${failedAt}: ${failure.message}`);
  }

  // cleanup: always, even after a cancel (so it ignores the run's signal, but has its own timeout)
  if (stagedSomething) {
    try {
      await stage(
        'cleanup',
        async (signal) => {
          if (!conn?.alive) {
            await conn?.close();
            conn = undefined;
            const r = await opts.connector.connect(device, { signal, timeoutMs: Math.min(timeouts.connect, timeouts.cleanup) });
            if (!r.ok) throw new StageError(r.code, `${where}: could not reconnect to clean up (${r.message}); ${profile.certsDir} may still hold the certificates on the device`);
            conn = r.value;
          }
          // the target folder and the lock only when they are ours: another process may be using them
          await removeFromDevice(conn, lockHeld ? [staging, profile.certsDir, lock] : [staging], signal, where);
        },
        true,
      );
    } catch (err) {
      const e = err instanceof StageError ? err : new StageError('internal', String(err));
      log(`cleanup failed: ${e.message}`);
      leftOnDevice = true;
      // A passed device whose certificates were left in /scratch is not done: report it.
      if (!failure) {
        failure = { code: e.code, message: e.message };
        failedAt = 'cleanup';
      }
    }
  }

  if (!failure) {
    try {
      await stage('restart-client', async (signal) => {
        const unit = profile.cloudClientUnit;
        if (!unit || !hasUnit) {
          notes.push(`cloud client restart: skipped (${unit ? `no systemd unit ${unit} on the device` : 'no unit in the profile'})`);
          return;
        }
        const r = await run(`systemctl restart ${shq(unit)} && echo restarted`, signal, false);
        if (r.code !== 0) throw new StageError('utility-failed', `${where}: provisioned, but restarting ${unit} failed: ${lastLines(r.stderr) || `exit ${r.code}`}; reboot the device`);
        const what = r.stdout.trim().split(/\s+/).pop() ?? 'skipped';
        notes.push(`cloud client restart: ${what}`);
        log(`${unit}: ${what}`);
      });
    } catch (err) {
      const e = err instanceof StageError ? err : new StageError('internal', String(err));
      failure = { code: e.code, message: e.message };
      failedAt = 'restart-client';
    }
  }

  await conn?.close().catch(() => undefined);
  const keyFacts = { hostKeyFingerprint, ...(hostKeyNewlyPinned ? { hostKeyNewlyPinned } : {}), ...(hostKey ? { hostKey } : {}), ...(leftOnDevice ? { leftOnDevice } : {}) };
  if (failure) {
    return { ok: false, stage: failedAt, error: failure, stages, ...keyFacts, notes };
  }
  await opts.onStage?.('done');
  opts.onProgress?.(1, 'done');
  return { ok: true, stage: 'done', stages, ...keyFacts, notes };
}
