import { randomUUID } from 'node:crypto';
import type { DeviceRef, DeviceRunSnapshot, ProgressEvent, ProvisioningStage, RunSnapshot, RunSummary } from '../../../shared/contract/provisioning';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { BoardIndex, queuedDeviceRun } from '../../../shared/domain/device-run';
import { deviceKey } from '../../../shared/domain/devices';
import type { SshConnector } from '../ssh/connection';
import { MBL_PROFILE, type DeviceProfile } from './device-profile';
import { ArrivalQueue, drainQueue } from './arrival-queue';
import { itemsForDevice, type RunCertificates } from './device-items';
import { provisionDevice, type DeviceOutcome, type StageTimeouts } from './engine';
import type { RunJournal } from './run-journal';
import { createProgressThrottle } from './throttle';

export type { RunCertificates } from './device-items';

export interface RunnerListener {
  progress?(e: ProgressEvent): void;
  deviceFinished?(run: RunSnapshot, device: DeviceRunSnapshot): void;
  runFinished?(run: RunSnapshot, summary: RunSummary): void;
}

export interface RunnerDeps {
  connector: SshConnector;
  profile?: DeviceProfile;
  timeouts?: Partial<StageTimeouts>;
  listener?: RunnerListener;
  /** Minimum gap between two progress events of one device within one stage. */
  throttleMs?: number;
  /** Finished runs kept in memory for snapshots and retry. */
  keepRuns?: number;
  /** Called (and awaited) as each device enters each stage: integration tests inject lab faults here. */
  onStage?(runId: string, device: DeviceRunSnapshot, stage: ProvisioningStage): void | Promise<void>;
  /** Replaces the engine (unit tests of the runner alone). */
  engine?: typeof provisionDevice;
  /** Records what each device holds until its cleanup ran (crash recovery on the next start). */
  journal?: RunJournal;
}

export interface StartOptions {
  devices: DeviceRef[];
  certs: RunCertificates;
  concurrency: number;
  retryOf?: string;
  strictHostKeys?: boolean;
  /** Shown on the run's board (said before it started). */
  warnings?: string[];
  /**
   * More devices may come while the run goes (`add`, as discovery resolves them) until `end`: the run finishes
   * only after that. Without it, `devices` is the whole run.
   */
  open?: boolean;
}

interface RunState {
  snapshot: RunSnapshot;
  certs: RunCertificates;
  refs: Map<string, DeviceRef>;
  /** Every device in the run, by the boards they reach. */
  boards: BoardIndex<DeviceRef>;
  controllers: Map<string, AbortController>;
  /** The devices waiting for a slot; ended once no more will be added. */
  queue: ArrivalQueue<DeviceRunSnapshot>;
  all: AbortController;
  strictHostKeys?: boolean;
  done: Promise<RunSummary>;
  started: number;
}

const LOG_LINES = 200;

/** How `end(order)` matches a run's devices to discovery's list. */
const sameDevice = (ref: DeviceRef) => deviceKey(ref).toLowerCase();

/**
 * Runs provisioning over many devices: a queue with a concurrency limit, never the same board twice at once
 * (`sameBoard`: within a run a board given twice is one; across runs a busy board fails with `device-busy`),
 * per-device and whole-run cancel, throttled progress, a summary at the end, and retry of exactly the failed
 * devices.
 */
export class ProvisioningRunner {
  readonly #deps: RunnerDeps;
  readonly #runs = new Map<string, RunState>();
  /** The devices being worked on, by the boards they reach, and the run working on each. */
  readonly #busy = new BoardIndex<DeviceRef>();
  readonly #busyIn = new Map<DeviceRef, string>();
  readonly #throttle;

  constructor(deps: RunnerDeps) {
    this.#deps = deps;
    this.#throttle = createProgressThrottle((e) => deps.listener?.progress?.(e), deps.throttleMs ?? 100);
  }

  start(opts: StartOptions): Result<{ runId: string }> {
    const runId = randomUUID();
    const snapshot: RunSnapshot = {
      runId,
      startedAt: new Date().toISOString(),
      concurrency: Math.max(1, opts.concurrency),
      devCert: { name: opts.certs.dev.name, fingerprint: opts.certs.dev.fingerprint, notAfter: opts.certs.dev.notAfter },
      updateCert: { name: opts.certs.update.name, fingerprint: opts.certs.update.fingerprint, notAfter: opts.certs.update.notAfter },
      ...(opts.certs.identity
        ? { identity: { ca: opts.certs.identity.ca, endpointTemplate: opts.certs.identity.endpointTemplate, reissue: opts.certs.identity.reissue !== 'none' } }
        : {}),
      ...(opts.warnings?.length ? { warnings: opts.warnings } : {}),
      ...(opts.retryOf ? { retryOf: opts.retryOf } : {}),
      devices: [],
      passed: 0,
      failed: 0,
      cancelled: 0,
      finished: false,
    };
    const state: RunState = {
      snapshot,
      certs: opts.certs,
      refs: new Map(),
      boards: new BoardIndex(),
      controllers: new Map(),
      queue: new ArrivalQueue(),
      all: new AbortController(),
      ...(opts.strictHostKeys !== undefined ? { strictHostKeys: opts.strictHostKeys } : {}),
      done: Promise.resolve(undefined as unknown as RunSummary),
      started: Date.now(),
    };
    for (const ref of opts.devices) this.#enqueue(state, ref);
    if (!opts.open) state.queue.end();
    this.#runs.set(runId, state);
    state.done = this.#execute(state);
    this.#prune();
    return ok({ runId });
  }

  /**
   * Adds a device to an open run: it starts as soon as a slot is free. The same board twice (`sameBoard`)
   * is one: false for the repeat, and for a run that has ended or was cancelled.
   */
  add(runId: string, ref: DeviceRef): boolean {
    const state = this.#runs.get(runId);
    return state !== undefined && !state.queue.ended && this.#enqueue(state, ref);
  }

  /**
   * No more devices will come to this open run: it finishes once those it has are done. `order` (device
   * references, e.g. discovery's sorted list) is the order the run lists its devices in; others keep theirs, last.
   */
  end(runId: string, order: readonly DeviceRef[] = []): void {
    const state = this.#runs.get(runId);
    if (!state) return;
    state.queue.end();
    const rank = new Map(order.map((ref, i) => [sameDevice(ref), i]));
    const place = (d: DeviceRunSnapshot) => rank.get(sameDevice(state.refs.get(d.device)!)) ?? order.length;
    state.snapshot.devices.sort((a, b) => place(a) - place(b)); // stable: the others keep their arrival order
  }

  #enqueue(state: RunState, ref: DeviceRef): boolean {
    if (state.boards.find(ref)) return false;
    state.boards.add(ref);
    const d = queuedDeviceRun(ref);
    state.snapshot.devices.push(d);
    state.refs.set(d.device, ref);
    state.controllers.set(d.device, new AbortController());
    return state.queue.push(d);
  }

  /** Resolves with the summary when the run has finished. */
  wait(runId: string): Promise<RunSummary> | undefined {
    return this.#runs.get(runId)?.done;
  }

  cancel(runId: string, device?: string): Result<{ cancelled: string[] }> {
    const state = this.#runs.get(runId);
    if (!state) return fail('run-not-found', `no provisioning run ${runId}: list runs with provisioning:runs`);
    if (device === undefined) {
      state.all.abort();
      state.queue.end();
      const names = state.snapshot.devices.filter((d) => d.state === 'queued' || d.state === 'running').map((d) => d.device);
      for (const c of state.controllers.values()) c.abort();
      return ok({ cancelled: names });
    }
    const wanted = device.toLowerCase();
    const target = state.snapshot.devices.find(
      (d) => d.device.toLowerCase() === wanted || d.address.toLowerCase() === wanted || d.hostname?.toLowerCase() === wanted,
    );
    if (!target) return fail('run-not-found', `run ${runId} has no device "${device}"`);
    state.controllers.get(target.device)?.abort();
    return ok({ cancelled: target.state === 'queued' || target.state === 'running' ? [target.device] : [] });
  }

  /**
   * A new run with exactly the failed and cancelled devices of a finished run, with the same certificates. An own
   * identity issued to such a device but never confirmed on it is re-issued to that same device.
   */
  retryFailed(runId: string): Result<{ runId: string }> {
    const state = this.#runs.get(runId);
    if (!state) return fail('run-not-found', `no provisioning run ${runId}: list runs with provisioning:runs`);
    if (!state.snapshot.finished) return fail('device-busy', `run ${runId} is still running: wait for it to finish or cancel it first`);
    const failed = state.snapshot.devices.filter((d) => d.state === 'failed' || d.state === 'cancelled');
    if (failed.length === 0) return fail('nothing-to-retry', `run ${runId} has no failed devices to retry`);
    const { identity } = state.certs;
    return this.start({
      devices: failed.map((d) => state.refs.get(d.device)!),
      certs: identity ? { ...state.certs, identity: { ...identity, reissue: identity.reissue === 'any' ? 'any' : 'unconfirmed' } } : state.certs,
      concurrency: state.snapshot.concurrency,
      retryOf: runId,
      strictHostKeys: state.strictHostKeys,
    });
  }

  runs(): RunSnapshot[] {
    return [...this.#runs.values()].map((s) => structuredClone(s.snapshot)).reverse();
  }

  run(runId: string): Result<RunSnapshot> {
    const state = this.#runs.get(runId);
    return state ? ok(structuredClone(state.snapshot)) : fail('run-not-found', `no provisioning run ${runId}: list runs with provisioning:runs`);
  }

  /** Cancels everything and waits for cleanup to finish (process exit). */
  async close(): Promise<void> {
    for (const s of this.#runs.values()) {
      s.all.abort();
      s.queue.end();
      for (const c of s.controllers.values()) c.abort();
    }
    await Promise.all([...this.#runs.values()].map((s) => s.done.catch(() => undefined)));
    this.#throttle.flushAll();
  }

  async #execute(state: RunState): Promise<RunSummary> {
    const { snapshot } = state;
    await drainQueue(state.queue, snapshot.concurrency, (d) => this.#runDevice(state, d));
    snapshot.finished = true;
    snapshot.finishedAt = new Date().toISOString();
    const summary: RunSummary = {
      runId: snapshot.runId,
      passed: snapshot.passed,
      failed: snapshot.failed,
      cancelled: snapshot.cancelled,
      durationMs: Date.now() - state.started,
      failures: snapshot.devices.filter((d) => d.error).map((d) => ({ device: d.device, stage: d.stage, code: d.error!.code, message: d.error!.message })),
    };
    this.#deps.listener?.runFinished?.(structuredClone(snapshot), summary);
    return summary;
  }

  async #runDevice(state: RunState, d: DeviceRunSnapshot): Promise<void> {
    const { runId } = state.snapshot;
    const controller = state.controllers.get(d.device)!;
    const ref = state.refs.get(d.device)!;
    const started = Date.now();
    const addLog = (line: string) => {
      d.log.push(line);
      if (d.log.length > LOG_LINES) d.log.splice(0, d.log.length - LOG_LINES);
    };

    let outcome: DeviceOutcome;
    const busyRef = this.#busy.find(ref);
    const busyIn = busyRef && this.#busyIn.get(busyRef);
    if (controller.signal.aborted) {
      outcome = { ok: false, stage: 'queued', error: { code: 'cancelled', message: `${d.device}: cancelled before it started` }, stages: [], notes: [] };
    } else if (busyIn !== undefined) {
      outcome = {
        ok: false,
        stage: 'queued',
        error: { code: 'device-busy', message: `${d.device} is already being provisioned by run ${busyIn}: wait for that run to finish` },
        stages: [],
        notes: [],
      };
    } else {
      this.#busy.add(ref);
      this.#busyIn.set(ref, runId);
      d.state = 'running';
      const items = itemsForDevice(state.certs, ref, { runId }, (identity) => {
        d.identity = identity;
        addLog(`own identity "${identity.endpointName}" issued (${identity.enrollmentIdentity})`);
      });
      try {
        outcome = await (this.#deps.engine ?? provisionDevice)(ref, items.certificates, {
          connector: this.#deps.connector,
          profile: this.#deps.profile ?? MBL_PROFILE,
          timeouts: this.#deps.timeouts,
          signal: controller.signal,
          strictHostKeys: state.strictHostKeys,
          onStage: (stage) => {
            d.stage = stage;
            return this.#deps.onStage?.(runId, d, stage);
          },
          onProgress: (progress, message) => {
            d.message = message;
            this.#throttle.push({ runId, device: d.device, stage: d.stage, progress, message, ...(d.identity ? { identity: d.identity } : {}) });
          },
          onStaging: (left) => this.#deps.journal?.staged(runId, d.device, { ref, ...left }),
          onLog: (line) => {
            addLog(line);
            d.message = line;
            this.#throttle.push({ runId, device: d.device, stage: d.stage, progress: -1, message: line, ...(d.identity ? { identity: d.identity } : {}) });
          },
        });
      } catch (err) {
        outcome = { ok: false, stage: d.stage, error: { code: 'internal', message: `${d.device}: ${(err as Error).message}` }, stages: [], notes: [] };
      } finally {
        this.#busy.delete(ref);
        this.#busyIn.delete(ref);
      }
      const settled = await items.settle(outcome);
      if (!settled.ok) outcome.notes.push(`the identity registry did not record how this device ended: ${settled.message}`);
    }

    if (!outcome.leftOnDevice) await this.#deps.journal?.cleaned(runId, d.device).catch(() => undefined);
    d.durationMs = Date.now() - started;
    d.stage = outcome.stage;
    d.stages = outcome.stages;
    if (outcome.hostKeyFingerprint) d.hostKeyFingerprint = outcome.hostKeyFingerprint;
    if (outcome.hostKeyNewlyPinned) d.hostKeyNewlyPinned = true;
    if (outcome.hostKey) d.hostKey = outcome.hostKey;
    for (const n of outcome.notes) addLog(n);
    if (outcome.ok) {
      d.state = 'passed';
      d.message = 'provisioned and verified';
      state.snapshot.passed += 1;
    } else {
      d.state = outcome.error?.code === 'cancelled' ? 'cancelled' : 'failed';
      d.error = outcome.error;
      d.message = outcome.error?.message ?? 'failed';
      if (d.state === 'cancelled') state.snapshot.cancelled += 1;
      else state.snapshot.failed += 1;
    }
    this.#throttle.finish(d.device, runId, { runId, device: d.device, stage: d.stage, progress: outcome.ok ? 1 : -1, message: d.message });
    this.#deps.listener?.deviceFinished?.(structuredClone(state.snapshot), structuredClone(d));
  }

  #prune(): void {
    const keep = this.#deps.keepRuns ?? 50;
    for (const [id, s] of this.#runs) {
      if (this.#runs.size <= keep) break;
      if (s.snapshot.finished) this.#runs.delete(id);
    }
  }
}
