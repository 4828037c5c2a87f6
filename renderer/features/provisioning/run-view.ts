/**
 * Pure helpers for the live board: applying pushed events to a run snapshot, per-device and overall
 * progress and stage steps.
 */
import type { DeviceRunSnapshot, ProgressEvent, ProvisioningStage, RunSnapshot } from '../../../shared/contract/provisioning';

/** The stages a user sees on the stepper (queued and done are states, not steps). */
export const STEPS = ['connect', 'stage', 'provision', 'verify', 'cleanup', 'restart-client'] as const satisfies readonly ProvisioningStage[];
export type Step = (typeof STEPS)[number];

export type StepState = 'pending' | 'active' | 'done' | 'failed' | 'skipped';

export function stepStates(d: DeviceRunSnapshot): Record<Step, StepState> {
  const out = {} as Record<Step, StepState>;
  const current = STEPS.indexOf(d.stage as Step);
  for (const [i, step] of STEPS.entries()) {
    const timing = d.stages.find((t) => t.stage === step);
    if (d.state === 'passed' || d.stage === 'done') out[step] = timing && !timing.ok ? 'failed' : 'done';
    else if (d.state === 'queued') out[step] = 'pending';
    else if (timing) out[step] = timing.ok ? 'done' : 'failed';
    else if (i === current) out[step] = d.state === 'running' ? 'active' : d.state === 'failed' ? 'failed' : 'skipped';
    else if (i < current) out[step] = 'done';
    else out[step] = d.state === 'running' ? 'pending' : 'skipped';
  }
  return out;
}

/** 0..1 for one device: a finished device is complete; otherwise the last progress pushed, or its step position. */
export function deviceProgress(d: DeviceRunSnapshot, pushed: number | undefined): number {
  if (d.state !== 'queued' && d.state !== 'running') return 1;
  if (d.state === 'queued') return 0;
  const byStep = Math.max(0, STEPS.indexOf(d.stage as Step)) / STEPS.length;
  return Math.min(1, Math.max(byStep, pushed ?? 0));
}

export interface RunCounts {
  total: number;
  queued: number;
  running: number;
  passed: number;
  failed: number;
  cancelled: number;
  finished: number;
}

export function runCounts(run: RunSnapshot): RunCounts {
  const c: RunCounts = { total: run.devices.length, queued: 0, running: 0, passed: 0, failed: 0, cancelled: 0, finished: 0 };
  for (const d of run.devices) c[d.state] += 1;
  c.finished = c.passed + c.failed + c.cancelled;
  return c;
}

export function overallProgress(run: RunSnapshot, pushed: Readonly<Record<string, number>>): number {
  if (run.devices.length === 0) return 1;
  const sum = run.devices.reduce((acc, d) => acc + deviceProgress(d, pushed[d.device]), 0);
  return sum / run.devices.length;
}

/** Applies a progress event to the run: the device is running, at this stage, with this message. */
export function applyProgress(run: RunSnapshot, e: ProgressEvent): RunSnapshot {
  const i = run.devices.findIndex((d) => d.device === e.device);
  if (i < 0) return run;
  const d = run.devices[i]!;
  if (d.state !== 'queued' && d.state !== 'running') return run; // a late event after the device finished
  const devices = run.devices.slice();
  devices[i] = { ...d, state: e.stage === 'queued' ? d.state : 'running', stage: e.stage, message: e.message, ...(e.identity ? { identity: e.identity } : {}) };
  return { ...run, devices };
}

export function applyDeviceFinished(run: RunSnapshot, device: DeviceRunSnapshot): RunSnapshot {
  const i = run.devices.findIndex((d) => d.device === device.device);
  const devices = run.devices.slice();
  if (i < 0) devices.push(device);
  else devices[i] = device;
  const counts = { passed: 0, failed: 0, cancelled: 0 };
  for (const d of devices) if (d.state === 'passed' || d.state === 'failed' || d.state === 'cancelled') counts[d.state] += 1;
  return { ...run, devices, ...counts };
}

/** What the devices of a run were given: the developer certificate, or their own identities from a CA. */
export const credentialsLabel = (run: RunSnapshot) => (run.identity ? `own identities from the CA ${run.identity.ca.name}` : run.devCert.name);

/** `A-3f:1c:…:9e`: an enrollment identity short enough for a table cell (the whole one is in its title). */
export const shortIdentity = (identity: string) => (identity.length > 20 ? `${identity.slice(0, 10)}…${identity.slice(-5)}` : identity);
