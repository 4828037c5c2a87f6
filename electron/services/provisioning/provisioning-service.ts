import type { AuditEntry } from '../../../shared/contract/history';
import {
  HostKeyFingerprintSchema,
  provisioningEvents,
  type DeviceInput,
  type DeviceRef,
  type DeviceRunSnapshot,
  type ProbeStatusEntry,
  type RunSnapshot,
  type StartRunRequest,
} from '../../../shared/contract/provisioning';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { onePerBoard, selectedTwiceNote } from '../../../shared/domain/device-run';
import { deviceKey, deviceWhere } from '../../../shared/domain/devices';
import type { AuditLog } from '../audit/audit-log';
import { toCsv } from '../audit/audit-log';
import type { EventHub } from '../events';
import type { Logger } from '../log';
import type { HostKeyPolicy, SshConnector } from '../ssh/connection';
import type { DevicePin, KnownHostsStore } from '../ssh/known-hosts';
import { parseAddress } from '../ssh/target';
import { LOCK_STALE_MS, MBL_PROFILE, type DeviceProfile } from './device-profile';
import { removeFromDevice, type CertificateBundle, type CertificateSource, type StageTimeouts } from './engine';
import { mapLimit } from './map-limit';
import type { JournalEntry, RunJournal, RunJournalFile } from './run-journal';
import { ProvisioningRunner, type RunCertificates } from './runner';
import { probeStatus } from './status-probe';
import { developerCapCounter, developerCapWarning, developerCertificateReach } from './developer-cap';
import type { OwnIdentityPlanner, RunShape } from './own-identity-plan';
import { operatorName } from '../who';

/** Reads a certificate's `.bin` files from the Team Store by name (the stores service, or a test double). */
export type { CertificateSource } from './engine';

export interface ProvisioningServiceDeps {
  connector: SshConnector;
  /** The pins the connector checks host keys against (listed by `pws known-hosts list`). */
  knownHosts: Pick<KnownHostsStore, 'list'>;
  certificates: CertificateSource;
  audit: AuditLog;
  events: EventHub;
  /** settings.concurrency */
  concurrency: () => Promise<number>;
  clock: () => Date;
  log: Logger;
  door: AuditEntry['door'];
  profile?: DeviceProfile;
  timeouts?: Partial<StageTimeouts>;
  throttleMs?: number;
  /** Tests hook lab faults on stage entry. */
  onStage?: ConstructorParameters<typeof ProvisioningRunner>[0]['onStage'];
  /** What runs have left on devices, for cleaning up after a process that died mid-run. */
  journal?: RunJournal;
  /** Plans runs that give each device its own identity (the CA service and the identity registry behind it). */
  ownIdentity?: OwnIdentityPlanner;
}

/** What the clean-up after interrupted runs did: devices cleaned, and the ones it could not reach. */
export interface RecoveryReport {
  cleaned: string[];
  failed: Array<{ device: string; message: string }>;
}

/** A run whose devices come while it goes (`pws provision --all`: each board as soon as discovery resolves it). */
export interface OpenRun {
  runId: string;
  warnings: string[];
  /**
   * Starts the device as soon as a slot is free; the same device again (by discovery id) is ignored. Answers a
   * warning this device brings (it takes the developer certificate past its cap), also logged, or undefined.
   */
  add(device: DeviceRef): string | undefined;
  /** No more devices will come: the run finishes once those it has are done, listed in `order` (discovery's). */
  end(order?: readonly DeviceRef[]): void;
}

export interface ProvisioningService {
  start(request: StartRunRequest): Promise<Result<{ runId: string; warnings: string[] }>>;
  /**
   * Like `start`, with the certificates checked before any device comes, but the devices are added while the run
   * goes; `wait` resolves once the run has been ended and every device has finished.
   */
  startOpen(request: Omit<StartRunRequest, 'devices'>): Promise<Result<OpenRun>>;
  /** What `start` would refuse or warn about, without starting. */
  preflight(request: StartRunRequest): Promise<Result<{ warnings: string[] }>>;
  cancel(runId: string, device?: string): Result<{ cancelled: string[] }>;
  retryFailed(runId: string): Result<{ runId: string }>;
  runs(): RunSnapshot[];
  run(runId: string): Result<RunSnapshot>;
  /** Resolves when the run has finished, with its final snapshot. */
  wait(runId: string): Promise<Result<RunSnapshot>>;
  /** Every pinned host key, with the identities it is held under. */
  hostKeys(): Promise<Result<DevicePin[]>>;
  forgetHostKey(device: DeviceInput): Promise<Result<{ forgotten: string[] }>>;
  trustHostKey(device: DeviceInput, key: { fingerprint: string; keyType?: string }): Promise<Result<{ trusted: string }>>;
  report(runId: string, format: 'csv' | 'json'): Promise<Result<{ format: 'csv' | 'json'; text: string; fileName: string }>>;
  probeStatus(devices: DeviceInput[], concurrency?: number, hostKeys?: HostKeyPolicy): Promise<Result<ProbeStatusEntry[]>>;
  /**
   * Finds runs a dead process left (kill -9, crash, power loss: their cleanup never ran) and removes their
   * staged folders from every device it can reach; the others stay in the journal for the next start.
   */
  recoverInterruptedRuns(hostKeys?: HostKeyPolicy): Promise<RecoveryReport>;
  close(): Promise<void>;
}

/** A plain ADDRESS or a device reference, checked and canonical. */
export function toDeviceRefs(inputs: readonly DeviceInput[]): Result<DeviceRef[]> {
  const refs: DeviceRef[] = [];
  for (const input of inputs) {
    const ref: DeviceRef = typeof input === 'string' ? { address: input } : input;
    const parsed = parseAddress(ref.address);
    if (!parsed.ok) return parsed;
    refs.push(ref);
  }
  return ok(refs);
}

/** The words a run result, report and audit entry use for a key trusted on first use. */
export const NEW_HOST_KEY_PINNED = 'new host key pinned';

export function auditEntryFor(run: RunSnapshot, d: DeviceRunSnapshot, addresses: string[], door: AuditEntry['door'], time: Date): AuditEntry {
  return {
    time: time.toISOString(),
    runId: run.runId,
    operator: operatorName(),
    door,
    device: { name: d.device, ...(d.hostname ? { hostname: d.hostname } : {}), addresses },
    ...(d.hostKeyFingerprint ? { hostKeyFingerprint: d.hostKeyFingerprint } : {}),
    ...(d.hostKeyNewlyPinned ? { hostKeyNote: NEW_HOST_KEY_PINNED } : {}),
    devCert: { name: run.devCert.name, fingerprint: run.devCert.fingerprint },
    ...(d.identity && run.identity ? { identity: { ...d.identity, ca: { name: run.identity.ca.name, fingerprint: run.identity.ca.fingerprint } } } : {}),
    updateCert: { name: run.updateCert.name, fingerprint: run.updateCert.fingerprint },
    stages: d.stages,
    result: d.state === 'passed' ? 'passed' : d.state === 'cancelled' ? 'cancelled' : 'failed',
    stage: d.stage,
    ...(d.error ? { error: d.error } : {}),
    durationMs: d.durationMs,
  };
}

/**
 * Resolves both certificates once (refusing an expired or missing one before any device is touched), then
 * hands the devices to the runner. Every finished device is appended to the audit trail and pushed as events.
 */
export function createProvisioningService(deps: ProvisioningServiceDeps): ProvisioningService {
  const addressesByRun = new Map<string, Map<string, string[]>>();
  const pendingAudit = new Set<Promise<void>>();
  const runner: ProvisioningRunner = new ProvisioningRunner({
    connector: deps.connector,
    profile: deps.profile ?? MBL_PROFILE,
    timeouts: deps.timeouts,
    throttleMs: deps.throttleMs,
    onStage: deps.onStage,
    journal: deps.journal,
    listener: {
      progress: (e) => deps.events.emit(provisioningEvents.progress, e),
      deviceFinished: (run, device) => {
        const addresses = addressesByRun.get(run.runId)?.get(device.device) ?? [device.address];
        const write = deps.audit.append(auditEntryFor(run, device, addresses, deps.door, deps.clock())).then((r) => {
          if (!r.ok) deps.log.error(r.message);
        });
        pendingAudit.add(write);
        void write.finally(() => pendingAudit.delete(write));
        deps.events.emit(provisioningEvents.deviceFinished, { runId: run.runId, device });
      },
      runFinished: (_run, summary) => deps.events.emit(provisioningEvents.runFinished, summary),
    },
  });

  async function readCertificate(name: string, kind: CertificateBundle['kind']): Promise<Result<CertificateBundle>> {
    const cert = await deps.certificates.read(name, kind);
    if (!cert.ok) return cert;
    if (cert.value.kind !== kind) {
      return fail(
        'certificate-invalid',
        `"${name}" is ${cert.value.kind === 'update' ? 'an update' : 'a developer'} certificate, not ${kind === 'update' ? 'an update' : 'a developer'} certificate: give the developer certificate (or --ca) first, then the update certificate`,
      );
    }
    if (cert.value.notAfter && Date.parse(cert.value.notAfter) < deps.clock().getTime()) {
      return kind === 'update'
        ? fail(
            'certificate-expired',
            `the update certificate "${name}" expired on ${cert.value.notAfter}: a device given it could never be updated; make a new one with \`pws init\` (or the wizard) and import it`,
          )
        : fail('certificate-expired', `the developer certificate "${name}" expired on ${cert.value.notAfter}: create a new one with \`pws certs create-dev\``);
    }
    return cert;
  }

  /** Everything a run needs, resolved and checked before any device is touched, and what to warn about. */
  async function prepare(
    request: StartRunRequest,
    shape: RunShape = { open: false },
  ): Promise<Result<{ refs: DeviceRef[]; certs: RunCertificates; warnings: string[]; audit?: readonly AuditEntry[] }>> {
    const given = toDeviceRefs(request.devices);
    if (!given.ok) return given;
    const refs = onePerBoard(given.value);
    const twice = refs.repeats.map(({ kept, repeat }) => selectedTwiceNote(deviceWhere(kept), repeat.address));
    const update = await readCertificate(request.updateCert, 'update');
    if (!update.ok) return update;
    if (request.identity) {
      if (!deps.ownIdentity) return fail('internal', 'own identities are not available in this build');
      const plan = await deps.ownIdentity(request.identity, refs.refs, shape);
      if (!plan.ok) return plan;
      return ok({
        refs: refs.refs,
        certs: { dev: plan.value.account, update: update.value, identity: plan.value.identity },
        warnings: [...twice, ...plan.value.warnings],
      });
    }
    const dev = await readCertificate(request.devCert!, 'developer');
    if (!dev.ok) return dev;
    // Past the developer certificate's cap, counting the devices earlier runs gave it (from the audit)?
    const audit = await deps.audit.list();
    if (!audit.ok) return ok({ refs: refs.refs, certs: { dev: dev.value, update: update.value }, warnings: twice });
    const cap = developerCapWarning(developerCertificateReach(audit.value, dev.value, refs.refs), dev.value.name);
    return ok({ refs: refs.refs, certs: { dev: dev.value, update: update.value }, warnings: [...twice, ...(cap ? [cap] : [])], audit: audit.value });
  }

  const service: ProvisioningService = {
    async start(request) {
      const prepared = await prepare(request);
      if (!prepared.ok) return prepared;
      const { refs, certs, warnings } = prepared.value;
      logWarnings(warnings);
      const concurrency = request.concurrency ?? (await deps.concurrency());
      const started = runner.start({ devices: refs, certs, concurrency, strictHostKeys: request.strictHostKeys, warnings });
      if (!started.ok) return started;
      rememberAddresses(started.value.runId, refs);
      return ok({ runId: started.value.runId, warnings });
    },
    async startOpen(request) {
      const prepared = await prepare({ ...request, devices: [] }, { open: true });
      if (!prepared.ok) return prepared;
      const { certs, warnings, audit } = prepared.value;
      logWarnings(warnings);
      // The developer certificate's cap counts the run's devices as they come (own identities have no cap).
      const cap = audit && developerCapCounter(audit, certs.dev);
      const concurrency = request.concurrency ?? (await deps.concurrency());
      const started = runner.start({ devices: [], certs, concurrency, strictHostKeys: request.strictHostKeys, warnings, open: true });
      if (!started.ok) return started;
      const { runId } = started.value;
      rememberAddresses(runId, []);
      return ok({
        runId,
        warnings,
        add(device) {
          const ref = toDeviceRefs([device]);
          if (!ref.ok) return void deps.log.warn(`${device.address}: ${ref.message}; not provisioned`);
          if (!runner.add(runId, device)) return undefined;
          addressesByRun.get(runId)!.set(deviceKey(device), device.addresses?.length ? device.addresses : [device.address]);
          const pastCap = cap?.add(device);
          if (pastCap) logWarnings([pastCap]);
          return pastCap;
        },
        end(order) {
          runner.end(runId, order);
        },
      });
    },
    async preflight(request) {
      const prepared = await prepare(request);
      return prepared.ok ? ok({ warnings: prepared.value.warnings }) : prepared;
    },
    cancel: (runId, device) => runner.cancel(runId, device),
    retryFailed(runId) {
      const r = runner.retryFailed(runId);
      if (r.ok) {
        const prev = addressesByRun.get(runId);
        if (prev) addressesByRun.set(r.value.runId, prev);
      }
      return r;
    },
    runs: () => runner.runs(),
    run: (runId) => runner.run(runId),
    async wait(runId) {
      const done = runner.wait(runId);
      if (!done) return fail('run-not-found', `no provisioning run ${runId}`);
      await done;
      await Promise.all([...pendingAudit]);
      return runner.run(runId);
    },
    async hostKeys() {
      try {
        return ok(await deps.knownHosts.list());
      } catch (err) {
        return fail('internal', (err as Error).message);
      }
    },
    async forgetHostKey(device) {
      try {
        const forgotten = await deps.connector.forget(device);
        return ok({ forgotten });
      } catch (err) {
        return fail('internal', (err as Error).message);
      }
    },
    async trustHostKey(device, key) {
      const refs = toDeviceRefs([device]);
      if (!refs.ok) return refs;
      const fingerprint = HostKeyFingerprintSchema.safeParse(key.fingerprint);
      if (!fingerprint.success) return fail('validation', `fingerprint "${key.fingerprint}" ${fingerprint.error.issues[0]!.message}`);
      try {
        const pinned = await deps.connector.trust(refs.value[0]!, { fingerprint: key.fingerprint, keyType: key.keyType ?? 'unknown' });
        return pinned.ok ? ok({ trusted: key.fingerprint }) : pinned;
      } catch (err) {
        return fail('internal', (err as Error).message);
      }
    },
    async report(runId, format) {
      const snap = runner.run(runId);
      if (snap.ok) {
        const run = snap.value;
        const entries = run.devices.map((d) =>
          auditEntryFor(run, d, addressesByRun.get(runId)?.get(d.device) ?? [d.address], deps.door, new Date(run.finishedAt ?? deps.clock())),
        );
        const text = format === 'json' ? `${JSON.stringify({ run: summaryOf(run), devices: entries }, null, 2)}\n` : toCsv(entries);
        return ok({ format, text, fileName: `provisioning-run-${runId}.${format}` });
      }
      // A run from an earlier session: rebuild the report from the audit trail.
      const listed = await deps.audit.list({ runId });
      if (!listed.ok) return listed;
      if (listed.value.length === 0) return snap;
      const text = format === 'json' ? `${JSON.stringify({ run: { runId }, devices: listed.value.reverse() }, null, 2)}\n` : toCsv(listed.value.reverse());
      return ok({ format, text, fileName: `provisioning-run-${runId}.${format}` });
    },
    async probeStatus(devices, concurrency, hostKeys = {}) {
      const refs = toDeviceRefs(devices);
      if (!refs.ok) return refs;
      return ok(
        await probeStatus(refs.value, {
          connector: deps.connector,
          profile: deps.profile ?? MBL_PROFILE,
          concurrency: concurrency ?? (await deps.concurrency()),
          ...hostKeys,
        }),
      );
    },
    async recoverInterruptedRuns(hostKeys = {}) {
      const report: RecoveryReport = { cleaned: [], failed: [] };
      if (!deps.journal) return report;
      for (const file of await deps.journal.leftovers()) {
        await mapLimit(Object.entries(file.devices), await deps.concurrency(), async ([device, entry]) => {
          const r = await removeLeftovers(deps.connector, file, entry, hostKeys);
          if (r.ok) {
            delete file.devices[device];
            report.cleaned.push(device);
            deps.log.warn(`interrupted run ${file.runId}: removed its staged certificates from ${deviceWhere(entry.ref)}`);
          } else {
            report.failed.push({ device, message: r.message });
            deps.log.warn(`interrupted run ${file.runId}: could not clean up on ${deviceWhere(entry.ref)} (tried again at the next start): ${r.message}`);
          }
        });
        await deps.journal.settle(file);
      }
      return report;
    },
    async close() {
      await runner.close();
      await Promise.all([...pendingAudit]);
    },
  };

  function rememberAddresses(runId: string, refs: DeviceRef[]) {
    addressesByRun.set(runId, new Map(refs.map((r) => [deviceKey(r), r.addresses?.length ? r.addresses : [r.address]])));
  }

  /** A run's warnings go back to the caller, which shows them (the panel, `pws: warning:`); the log only keeps a note, so the CLI's stderr does not say them twice. */
  function logWarnings(warnings: readonly string[]) {
    for (const w of warnings) deps.log.info(`run warning: ${w}`);
  }

  return service;
}

/**
 * Removes what an interrupted run left on one device: always its own staging folder; the target folder and the
 * lock only if the run held the lock and too little time has passed for another workstation to take it over.
 */
async function removeLeftovers(connector: SshConnector, file: RunJournalFile, entry: JournalEntry, hostKeys: HostKeyPolicy): Promise<Result<void>> {
  const where = deviceWhere(entry.ref);
  const signal = AbortSignal.timeout(30_000);
  const c = await connector.connect(entry.ref, { signal, timeoutMs: 10_000, ...hostKeys });
  if (!c.ok) return fail(c.code, `${c.message}; ${file.certsDir} or ${entry.staging} may still hold certificates there`);
  const ours = entry.lockHeld && Date.now() - Date.parse(entry.updatedAt) < LOCK_STALE_MS;
  try {
    await removeFromDevice(c.value, ours ? [entry.staging, file.certsDir, file.lockDir] : [entry.staging], signal, where);
    return ok(undefined);
  } catch (err) {
    return fail('upload-failed', (err as Error).message);
  } finally {
    await c.value.close();
  }
}

function summaryOf(run: RunSnapshot) {
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    concurrency: run.concurrency,
    devCert: run.devCert,
    ...(run.identity ? { identity: run.identity } : {}),
    updateCert: run.updateCert,
    passed: run.passed,
    failed: run.failed,
    cancelled: run.cancelled,
  };
}
