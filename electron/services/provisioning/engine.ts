import type { HostKeyFacts, ProvisioningErrorCode, ProvisioningStage, StageTiming } from '../../../shared/contract/provisioning';
import type { Result } from '../../../shared/contract/result';
import { saysDiskFull, SshOpError, type DeviceConnection, type DeviceEndpoint, type SshConnector, type UploadFile } from '../ssh/connection';
import { LOCK_STALE_MS, lockDirFor, newStagingDirFor, shq, type DeviceProfile } from './device-profile';
import { EndedBeforeMarker, marker as printMarker, runMarked, type MarkedExec } from './marked-exec';
import { deviceWhere } from '../../../shared/domain/devices';

/** One certificate from the Team Store, as the engine needs it: its name and its `.bin` files. */
export interface CertificateBundle {
  name: string;
  kind: 'developer' | 'update';
  files: ReadonlyArray<{ name: string; data: Uint8Array }>;
  fingerprint?: string;
  notAfter?: string;
}

/** Where the engine's bundles come from (the Team Store in the app; fakes in tests). */
export interface CertificateSource {
  /** `expected` only words the message about a missing certificate. */
  read(name: string, expected?: CertificateBundle['kind']): Promise<Result<CertificateBundle>>;
  /** The developer certificates' names (own identities take their account settings from one). */
  developerNames?(): Promise<Result<string[]>>;
}

/** What the engine knows of a device once connected, for making its own item set. */
export interface ConnectedDevice {
  hostKeyFingerprint: string | undefined;
  /** The name the device gives itself (`hostname`), asked only when wanted. */
  hostname(): Promise<string | undefined>;
}

/**
 * A device's certificates: the same bundles for every device (a shared developer certificate), or bundles made
 * for this device once it is connected (its own identity), before anything is left on it; a refusal fails the
 * device with that code and nothing staged.
 */
export type DeviceCertificates =
  readonly CertificateBundle[] | ((device: ConnectedDevice, signal: AbortSignal) => Promise<Result<readonly CertificateBundle[], ProvisioningErrorCode>>);
type MakeCertificates = Exclude<DeviceCertificates, readonly CertificateBundle[]>;

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

type StageName = Exclude<ProvisioningStage, 'queued' | 'done'>;

/** One step of the pipeline: its name (for timeouts, progress and the result) and its work on the device. */
interface Stage {
  name: StageName;
  run(session: DeviceSession, signal: AbortSignal): Promise<void>;
  /** Runs to its own timeout even when the run is cancelled (cleanup must still happen). */
  ignoresCancel?: true;
}

type StageFailure = { code: ProvisioningErrorCode; message: string };

/**
 * What one device's provisioning holds while the stages run: the connection, whether the device lock is ours,
 * what was left on the device, the running device script, and what the result will report.
 */
class DeviceSession {
  readonly stages: StageTiming[] = [];
  readonly notes: string[] = [];
  readonly timeouts: StageTimeouts;
  /** `hostname (address)` or the address, for messages. */
  readonly where: string;
  readonly staging: string;
  readonly lock: string;
  files: UploadFile[] = [];
  /** Makes the device's own certificates once it is connected (an own identity), instead of `files` given up front. */
  makeCertificates: MakeCertificates | undefined;
  conn: DeviceConnection | undefined;
  /** The stage running now, or where the session stopped. */
  current: StageName = 'connect';
  /** True once the device-side lock is ours (or may be: its creation was cut off by a lost link). */
  lockHeld = false;
  /** From the staging folder's creation on, cleanup must run (a lost reply may still have created it). */
  stagedSomething = false;
  leftOnDevice = false;
  /** The device has the cloud client's systemd unit (the device script says so). */
  hasUnit = false;
  script: MarkedExec | undefined;
  hostKeyFingerprint: string | undefined;
  hostKeyNewlyPinned = false;
  hostKey: HostKeyFacts | undefined;

  constructor(
    readonly device: DeviceEndpoint,
    readonly opts: EngineOptions,
  ) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    this.where = deviceWhere(device);
    this.staging = newStagingDirFor(opts.profile);
    this.lock = lockDirFor(opts.profile);
  }

  get profile(): DeviceProfile {
    return this.opts.profile;
  }

  /** The open connection: every stage after `connect` has one. */
  get connection(): DeviceConnection {
    if (!this.conn) throw new StageError('internal', `${this.where}: no connection to the device`);
    return this.conn;
  }

  log(line: string): void {
    this.opts.onLog?.(line);
  }

  exec(cmd: string, signal: AbortSignal) {
    return this.connection.exec(cmd, { signal });
  }

  /** Runs one stage with its own timeout, linked to the run's signal unless the stage ignores cancel; throws a StageError. */
  async run(stage: Stage): Promise<void> {
    const { name } = stage;
    const { opts } = this;
    this.current = name;
    await opts.onStage?.(name);
    opts.onProgress?.(PROGRESS_AT[name] ?? 0, name);
    const started = Date.now();
    const controller = new AbortController();
    let timedOut = false;
    const limit = this.timeouts[name];
    // connect: SSH's own handshake timeout (same value) fires first and says "unreachable", which is more useful
    const timer = setTimeout(
      () => {
        timedOut = true;
        controller.abort();
      },
      limit + (name === 'connect' ? 2000 : 0),
    );
    const onParentAbort = () => controller.abort();
    if (!stage.ignoresCancel) {
      if (opts.signal?.aborted) controller.abort();
      opts.signal?.addEventListener('abort', onParentAbort, { once: true });
    }
    try {
      await stage.run(this, controller.signal);
      this.stages.push({ stage: name, durationMs: Date.now() - started, ok: true });
    } catch (err) {
      this.stages.push({ stage: name, durationMs: Date.now() - started, ok: false });
      if (timedOut)
        throw new StageError(
          'stage-timeout',
          `${this.where}: the ${name} stage took longer than ${Math.round(limit / 1000)} s: check the device is responsive and try again`,
        );
      if (err instanceof StageError) throw err;
      if (err instanceof SshOpError) throw new StageError(err.code === 'invalid-address' ? 'invalid-address' : err.code, err.message);
      throw new StageError('internal', `${this.where}: ${name} failed unexpectedly: ${(err as Error)?.message ?? String(err)}`);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onParentAbort);
    }
  }

  /** Lists the files to upload, then runs the stages in order until one fails; answers the failure (a cancel says where it was cancelled). */
  async runPipeline(certs: DeviceCertificates, stages: readonly Stage[]): Promise<StageFailure | undefined> {
    try {
      if (typeof certs === 'function') this.makeCertificates = certs;
      else this.files = filesToUpload(certs);
      for (const stage of stages) await this.run(stage);
      return undefined;
    } catch (err) {
      let failure: StageFailure =
        err instanceof StageError
          ? { code: err.code, message: err.message }
          : { code: 'internal', message: `${this.where}: ${(err as Error)?.message ?? String(err)}` };
      if (failure.code !== 'cancelled' && this.opts.signal?.aborted)
        failure = { code: 'cancelled', message: `${this.where}: cancelled during ${this.current}` };
      this.log(`failed in ${this.current}: ${failure.message}`);
      return failure;
    }
  }

  /** Runs a final step; answers its failure instead of throwing. */
  async runFinal(stage: Stage): Promise<StageFailure | undefined> {
    try {
      await this.run(stage);
      return undefined;
    } catch (err) {
      const e = err instanceof StageError ? err : new StageError('internal', String(err));
      return { code: e.code, message: e.message };
    }
  }

  outcome(failure: StageFailure | undefined, failedAt: ProvisioningStage): DeviceOutcome {
    const keyFacts = {
      hostKeyFingerprint: this.hostKeyFingerprint,
      ...(this.hostKeyNewlyPinned ? { hostKeyNewlyPinned: true } : {}),
      ...(this.hostKey ? { hostKey: this.hostKey } : {}),
      ...(this.leftOnDevice ? { leftOnDevice: true } : {}),
    };
    if (failure) return { ok: false, stage: failedAt, error: failure, stages: this.stages, ...keyFacts, notes: this.notes };
    return { ok: true, stage: 'done', stages: this.stages, ...keyFacts, notes: this.notes };
  }
}

// ---------------------------------------------------------------------------------------------------------
// the stages

async function connect(s: DeviceSession, signal: AbortSignal): Promise<void> {
  const r = await s.opts.connector.connect(s.device, { signal, timeoutMs: s.timeouts.connect, strictHostKeys: s.opts.strictHostKeys });
  if (!r.ok) {
    if (r.details?.presented) s.hostKey = r.details as unknown as HostKeyFacts;
    throw new StageError(r.code, r.message);
  }
  s.conn = r.value;
  s.hostKeyFingerprint = r.value.hostKeyFingerprint;
  s.hostKeyNewlyPinned = r.value.hostKeyNewlyPinned;
  s.log(`connected to ${s.where} (host key ${s.hostKeyFingerprint}${s.hostKeyNewlyPinned ? ': new host key pinned' : ''})`);
}

/** mkdir is atomic on the device: whoever creates the lock folder provisions; a lock left by a dead process (older than LOCK_STALE_MS by the device's clock) is taken over. */
async function takeDeviceLock(s: DeviceSession, signal: AbortSignal): Promise<void> {
  const conn = s.connection;
  try {
    await conn.mkdir(s.lock, { signal });
    s.lockHeld = true;
    return;
  } catch (err) {
    if (!(err instanceof SshOpError) || err.code === 'cancelled') throw err;
    if (err.code === 'connection-lost') {
      s.lockHeld = true;
      throw err;
    }
  }
  const [held, now] = await Promise.all([conn.stat(s.lock, { signal }), conn.stat(s.staging, { signal })]);
  if (!held)
    throw new StageError('upload-failed', `${s.where}: could not create the provisioning lock ${s.lock}: check free space and permissions on the device`);
  const ageMs = (now?.mtimeMs ?? held.mtimeMs) - held.mtimeMs;
  if (ageMs < LOCK_STALE_MS) {
    throw new StageError(
      'device-busy',
      `${s.where} is being provisioned by another workstation or process right now (lock ${s.lock}, ${Math.max(0, Math.round(ageMs / 1000))} s old): wait for it to finish; if that process died, the lock is taken over after ${LOCK_STALE_MS / 60_000} minutes`,
    );
  }
  s.log(`taking over a stale provisioning lock (${Math.round(ageMs / 60_000)} min old)`);
  s.lockHeld = true;
}

/** The staging folder, created over SFTP; SFTP reports ENOSPC as a bare "Failure", so the shell is asked then. */
async function makeStagingFolder(s: DeviceSession, signal: AbortSignal): Promise<void> {
  try {
    await s.connection.mkdir(s.staging, { signal });
  } catch (err) {
    if (!(err instanceof SshOpError) || err.code === 'cancelled' || err.code === 'connection-lost') throw err;
    const mk = await s.exec(`mkdir -p ${shq(s.staging)}`, signal);
    if (mk.code !== 0) {
      if (saysDiskFull(mk.stderr))
        throw new StageError('disk-full', `${s.where}: the device's disk is full (${lastLines(mk.stderr)}): free space on the device and try again`);
      throw new StageError('upload-failed', `${s.where}: could not create ${s.staging}: ${lastLines(mk.stderr) || `exit ${mk.code}`}`);
    }
  }
}

/** Copies the files and checks that each arrived whole (a full disk can cut a file short without an error). */
async function uploadFiles(s: DeviceSession, signal: AbortSignal): Promise<void> {
  const { files } = s;
  try {
    await s.connection.upload(s.staging, files, {
      signal,
      onFile: (_name, done) => s.opts.onProgress?.(0.15 + (0.25 * done) / files.length, `uploaded ${done}/${files.length} files`),
    });
  } catch (err) {
    if (err instanceof SshOpError && (err.code === 'upload-failed' || err.code === 'disk-full')) {
      const df = await s.exec(`df -P ${shq(s.staging)} | tail -1`, signal).catch(() => undefined);
      const avail = df ? Number(df.stdout.trim().split(/\s+/)[3]) : NaN;
      if (err.code === 'disk-full' || avail === 0) {
        throw new StageError('disk-full', `${s.where}: the device's disk is full while uploading the certificates: free space on the device and try again`);
      }
    }
    throw err;
  }
  const sizes = await s.connection.listSizes(s.staging, { signal });
  for (const f of files) {
    const size = sizes.get(f.name);
    if (size !== f.data.length) {
      const short = size === undefined || size < f.data.length;
      throw new StageError(
        short ? 'disk-full' : 'upload-failed',
        `${s.where}: ${f.name} arrived with ${size ?? 'no'} bytes instead of ${f.data.length}: ${short ? 'the device may be out of space; free space and try again' : 'try again'}`,
      );
    }
  }
}

/** The device's own certificates, made now that it is connected (see DeviceCertificates). */
async function certificatesMadeFor(s: DeviceSession, make: MakeCertificates, signal: AbortSignal): Promise<UploadFile[]> {
  const hostname = async () => {
    const r = await s.exec('hostname', signal);
    return r.code === 0 ? r.stdout.trim().split('\n')[0] || undefined : undefined;
  };
  const made = await make({ hostKeyFingerprint: s.hostKeyFingerprint, hostname }, signal);
  if (!made.ok) throw new StageError(made.code, made.message);
  return filesToUpload(made.value);
}

async function stageCertificates(s: DeviceSession, signal: AbortSignal): Promise<void> {
  if (s.makeCertificates) s.files = await certificatesMadeFor(s, s.makeCertificates, signal);
  await s.opts.onStaging?.({ staging: s.staging, lockHeld: false });
  s.stagedSomething = true;
  await makeStagingFolder(s, signal);
  try {
    await takeDeviceLock(s, signal);
  } finally {
    if (s.lockHeld) await s.opts.onStaging?.({ staging: s.staging, lockHeld: true });
  }
  await uploadFiles(s, signal);
  // One shell does the rename, provisioning and verification; markers end each stage (see marked-exec.ts).
  // the script spans three stages, each with its own timeout: the command itself may take their sum
  const { timeouts } = s;
  s.script = runMarked(s.connection, deviceScript(s.profile, s.staging), (line) => s.log(line), {
    timeoutMs: timeouts.stage + timeouts.provision + timeouts.verify,
  });
  try {
    await s.script.waitFor('staged', signal);
    s.hasUnit = (await s.script.waitFor('unit', signal)).value === '1';
  } catch (err) {
    if (!(err instanceof EndedBeforeMarker)) throw err;
    const out = err.output || err.result?.stderr || '';
    throw new StageError(
      saysDiskFull(out) ? 'disk-full' : 'upload-failed',
      `${s.where}: could not move the certificates into ${s.profile.certsDir}: ${lastLines(out) || `exit ${err.result?.code}`}`,
    );
  }
  s.log(`staged ${s.files.length} files in ${s.profile.certsDir}`);
}

/** Exit code and output of one step of the device script, also when the script ended before reaching it. */
async function stepResult(s: DeviceSession, marker: string, signal: AbortSignal): Promise<{ code: number; out: string }> {
  if (!s.script) throw new StageError('internal', `${s.where}: the device script is not running`);
  try {
    const m = await s.script.waitFor(marker, signal);
    return { code: Number(m.value), out: m.output };
  } catch (err) {
    if (!(err instanceof EndedBeforeMarker)) throw err;
    return { code: err.result?.code ?? -1, out: err.output };
  }
}

async function provision(s: DeviceSession, signal: AbortSignal): Promise<void> {
  const { code, out } = await stepResult(s, 'provisioned', signal);
  if (code === 0) return;
  const { utility } = s.profile;
  if (code === 127 || (/not found|No such file or directory/.test(out) && out.includes(utility))) {
    throw new StageError(
      'utility-missing',
      `${s.where}: ${utility} is missing: is this an Mbed Linux OS device (with the Pelion provisioning utility installed)?`,
    );
  }
  if (saysDiskFull(out)) throw new StageError('disk-full', `${s.where}: the device's disk is full (${lastLines(out)}): free space and try again`);
  throw new StageError('utility-failed', `${s.where}: the provisioning utility failed (exit ${code}): ${lastLines(out) || 'no output'}`);
}

async function verify(s: DeviceSession, signal: AbortSignal): Promise<void> {
  const { code, out } = await stepResult(s, 'verified', signal);
  if (code !== 0) {
    throw new StageError(
      'verify-failed',
      `${s.where}: provisioned, but --get-pelion-status reports a problem (exit ${code}): ${lastLines(out) || 'no output'}`,
    );
  }
}

/** On a fresh connection if the first one died; the target folder and the lock only when they are ours (another process may be using them). */
async function cleanUp(s: DeviceSession, signal: AbortSignal): Promise<void> {
  if (!s.conn?.alive) {
    await s.conn?.close();
    s.conn = undefined;
    const r = await s.opts.connector.connect(s.device, {
      signal,
      timeoutMs: Math.min(s.timeouts.connect, s.timeouts.cleanup),
      strictHostKeys: s.opts.strictHostKeys,
    });
    if (!r.ok)
      throw new StageError(
        r.code,
        `${s.where}: could not reconnect to clean up (${r.message}); ${s.profile.certsDir} may still hold the certificates on the device`,
      );
    s.conn = r.value;
  }
  await removeFromDevice(s.connection, s.lockHeld ? [s.staging, s.profile.certsDir, s.lock] : [s.staging], signal, s.where);
}

async function restartCloudClient(s: DeviceSession, signal: AbortSignal): Promise<void> {
  const unit = s.profile.cloudClientUnit;
  if (!unit || !s.hasUnit) {
    s.notes.push(`cloud client restart: skipped (${unit ? `no systemd unit ${unit} on the device` : 'no unit in the profile'})`);
    return;
  }
  const r = await s.exec(`systemctl restart ${shq(unit)} && echo restarted`, signal);
  if (r.code !== 0)
    throw new StageError(
      'utility-failed',
      `${s.where}: provisioned, but restarting ${unit} failed: ${lastLines(r.stderr) || `exit ${r.code}`}; reboot the device`,
    );
  const what = r.stdout.trim().split(/\s+/).pop() ?? 'skipped';
  s.notes.push(`cloud client restart: ${what}`);
  s.log(`${unit}: ${what}`);
}

/** The pipeline: the first failure stops it. */
const PIPELINE: readonly Stage[] = [
  { name: 'connect', run: connect },
  { name: 'stage', run: stageCertificates },
  { name: 'provision', run: provision },
  { name: 'verify', run: verify },
];
/** After the pipeline, whenever something may be on the device: after a failure, a cancel (it ignores the run's signal, but has its own timeout) or a dropped link. */
const CLEANUP: Stage = { name: 'cleanup', run: cleanUp, ignoresCancel: true };
/** Last, and only when everything before it passed. */
const RESTART_CLIENT: Stage = { name: 'restart-client', run: restartCloudClient };

/**
 * Provisions one device: connect → stage → provision → verify, all over one SSH connection, then cleanup and
 * restart-client as explicit final steps. Cleanup always runs once anything may be on the device (on a fresh
 * connection if the first one died). Never throws: every failure comes back as a code and a message that says
 * what to do.
 */
export async function provisionDevice(device: DeviceEndpoint, certs: DeviceCertificates, opts: EngineOptions): Promise<DeviceOutcome> {
  const s = new DeviceSession(device, opts);
  let failure = await s.runPipeline(certs, PIPELINE);
  let failedAt: ProvisioningStage = s.current;

  if (s.stagedSomething) {
    const cleanup = await s.runFinal(CLEANUP);
    if (cleanup) {
      s.log(`cleanup failed: ${cleanup.message}`);
      s.leftOnDevice = true;
      // A passed device whose certificates were left in /scratch is not done: report it.
      if (!failure) {
        failure = cleanup;
        failedAt = 'cleanup';
      }
    }
  }
  if (!failure) {
    failure = await s.runFinal(RESTART_CLIENT);
    failedAt = 'restart-client';
  }

  await s.conn?.close().catch(() => undefined);
  if (failure) return s.outcome(failure, failedAt);
  await opts.onStage?.('done');
  opts.onProgress?.(1, 'done');
  return s.outcome(undefined, 'done');
}
