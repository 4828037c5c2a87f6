import { create } from 'zustand';
import { channels, events } from '../../../shared/contract/index';
import type { DeviceFinishedEvent, DeviceRef, OwnIdentityRequest, ProgressEvent, RunFinishedEvent, RunSnapshot } from '../../../shared/contract/provisioning';
import { fail } from '../../../shared/contract/result';
import { queuedDeviceRun } from '../../../shared/domain/device-run';
import { deviceKey } from '../../../shared/domain/devices';
import { getClient } from '../../transport/client';
import { downloadText, mimeFor } from '../../app/download';
import { formatCount } from '../../app/format';
import { useNotifications } from '../../app/notifications-store';
import { usePreparedDevices, type PreparedDevice } from '../../app/prepared-devices';
import { failureOf, latestOnly, STALE, subscribeOnce, type ActionResult } from '../../app/store-kit';
import { applyDeviceFinished, applyProgress } from './run-view';

export interface LiveDevice {
  /** Last numeric progress pushed, 0..1. */
  progress?: number;
  /** Local clock when the device started working (for the elapsed time). */
  startedAt?: number;
  /** Progress lines seen live (the finished snapshot's log replaces them). */
  log: string[];
}

/** What every device gets: one shared developer certificate, or its own identity from a CA. */
export type RunCredentials = { devCert: string } | { identity: OwnIdentityRequest };

/** What starting would refuse (`error`) or warn about, asked before Provision is pressed. */
export interface Preflight {
  warnings: string[];
  error: string | null;
}

interface ProvisioningState {
  /** The run on the board (live or finished). The devices waiting for one are in `usePreparedDevices`. */
  run: RunSnapshot | null;
  live: Record<string, LiveDevice>;
  /** Devices the user cancelled that the runner hasn't reported as finished yet (a queued one waits for its turn). */
  cancelling: ReadonlySet<string>;
  /** Device key → label, so rows keep their nickname. */
  labels: Record<string, string>;

  /** Provisions the prepared devices with the credentials chosen and the update certificate named. */
  start(credentials: RunCredentials, updateCert: string): Promise<ActionResult>;
  /**
   * What starting would refuse or warn about (a developer certificate past 100 devices, a CA not trusted yet),
   * without starting; null when a newer check overtook this one.
   */
  preflight(credentials: RunCredentials, updateCert: string): Promise<Preflight | null>;
  /** Downloads the enrollment CSV of a run's confirmed identities. */
  exportEnrollment(runId: string): Promise<ActionResult>;
  cancel(device?: string): Promise<ActionResult>;
  retryFailed(): Promise<ActionResult>;
  saveReport(format: 'csv' | 'json'): Promise<ActionResult>;
  /** Forgets a device's pin under every identity it was seen with. */
  forgetHostKey(device: DeviceRef): Promise<ActionResult>;
  /** Pins a key the user checked on the board (after a `host-key-unknown` refusal). */
  trustHostKey(device: DeviceRef, fingerprint: string, keyType: string): Promise<ActionResult>;
  /** Back to the set-up panel (the finished run stays in History). */
  reset(): void;
  /** Shows the newest run when the screen opens with nothing prepared. */
  restore(): Promise<void>;
}

const MAX_LIVE_LOG = 200;
const latestPreflight = latestOnly();
let poll: ReturnType<typeof setInterval> | undefined;

export const useProvisioningStore = create<ProvisioningState>((set, get) => {
  const fetchRun = async (runId: string) => {
    const r = await getClient().call(channels.provisioning.run, { runId });
    if (!r.ok || get().run?.runId !== runId) return;
    set({ run: r.value });
    if (r.value.finished) stopPolling();
  };
  const stopPolling = () => {
    if (poll) clearInterval(poll);
    poll = undefined;
  };
  /** Events carry every change; a slow poll covers a dropped socket or a reload mid-run. */
  const watch = (run: RunSnapshot) => {
    follow();
    stopPolling();
    set({ run, live: {}, cancelling: new Set() });
    if (!run.finished) poll = setInterval(() => void fetchRun(run.runId), 2000);
  };

  const onProgress = (e: ProgressEvent) => {
    const run = get().run;
    if (!run || run.runId !== e.runId) return;
    const prev = get().live[e.device] ?? { log: [] };
    const next: LiveDevice = {
      ...prev,
      startedAt: prev.startedAt ?? (e.stage !== 'queued' ? Date.now() : undefined),
      progress: e.progress >= 0 ? e.progress : prev.progress,
      log: e.message && prev.log[prev.log.length - 1] !== e.message ? [...prev.log, e.message].slice(-MAX_LIVE_LOG) : prev.log,
    };
    set({ run: applyProgress(run, e), live: { ...get().live, [e.device]: next } });
  };
  const onDeviceFinished = (e: DeviceFinishedEvent) => {
    const run = get().run;
    if (!run || run.runId !== e.runId) return;
    set({ run: applyDeviceFinished(run, e.device) });
  };
  const onRunFinished = (e: RunFinishedEvent) => {
    const run = get().run;
    if (!run || run.runId !== e.runId) return;
    void fetchRun(e.runId);
    announceFinished(e);
  };
  const follow = () => {
    subscribeOnce(events.provisioning.progress, onProgress);
    subscribeOnce(events.provisioning.deviceFinished, onDeviceFinished);
    subscribeOnce(events.provisioning.runFinished, onRunFinished);
  };

  return {
    run: null,
    live: {},
    cancelling: new Set(),
    labels: {},

    async start(credentials, updateCert) {
      follow();
      const { prepared } = usePreparedDevices.getState();
      if (prepared.length === 0) return fail('no-devices', 'No devices to provision: select them on the Devices screen first.');
      const r = await getClient().call(channels.provisioning.start, { devices: prepared.map((p) => p.ref), ...credentials, updateCert });
      if (!r.ok) return r;
      set({ labels: { ...get().labels, ...labelsOf(prepared) } });
      const snap = await getClient().call(channels.provisioning.run, { runId: r.value.runId });
      watch(
        snap.ok
          ? snap.value
          : placeholderRun(r.value.runId, prepared, 'devCert' in credentials ? credentials.devCert : `CA ${credentials.identity.ca}`, updateCert),
      );
      if (!snap.ok) void fetchRun(r.value.runId);
      return null;
    },
    async preflight(credentials, updateCert) {
      const { prepared } = usePreparedDevices.getState();
      if (prepared.length === 0) return { warnings: [], error: null };
      const r = await latestPreflight(getClient().call(channels.provisioning.preflight, { devices: prepared.map((p) => p.ref), ...credentials, updateCert }));
      if (r === STALE) return null;
      return r.ok ? { warnings: r.value.warnings, error: null } : { warnings: [], error: r.message };
    },
    async exportEnrollment(runId) {
      const r = await getClient().call(channels.identities.exportEnrollment, { runId });
      if (!r.ok) return r;
      if (r.value.identities.length === 0) return fail('no-identities', 'This run has no confirmed identity to enroll.');
      downloadText(r.value.fileName, r.value.csv, 'text/csv');
      return null;
    },
    async cancel(device) {
      const run = get().run;
      if (!run) return null;
      const r = await getClient().call(channels.provisioning.cancel, device ? { runId: run.runId, device } : { runId: run.runId });
      if (r.ok && get().run?.runId === run.runId) set({ cancelling: new Set([...get().cancelling, ...r.value.cancelled]) });
      return failureOf(r);
    },
    async retryFailed() {
      const run = get().run;
      if (!run) return fail('no-run', 'No run to retry.');
      const r = await getClient().call(channels.provisioning.retryFailed, { runId: run.runId });
      if (!r.ok) return r;
      const snap = await getClient().call(channels.provisioning.run, { runId: r.value.runId });
      if (snap.ok) watch(snap.value);
      return failureOf(snap);
    },
    async saveReport(format) {
      const run = get().run;
      if (!run) return fail('no-run', 'No run to report on.');
      const r = await getClient().call(channels.provisioning.report, { runId: run.runId, format });
      if (r.ok) downloadText(r.value.fileName, r.value.text, mimeFor(r.value.format));
      return failureOf(r);
    },
    async forgetHostKey(device) {
      return failureOf(await getClient().call(channels.provisioning.forgetHostKey, { device }));
    },
    async trustHostKey(device, fingerprint, keyType) {
      return failureOf(await getClient().call(channels.provisioning.trustHostKey, { device, fingerprint, keyType }));
    },
    reset() {
      stopPolling();
      set({ run: null, live: {} });
    },
    async restore() {
      follow();
      if (get().run || usePreparedDevices.getState().prepared.length) return;
      const r = await getClient().call(channels.provisioning.runs, {});
      const newest = r.ok ? r.value[0] : undefined;
      if (newest && !get().run && !usePreparedDevices.getState().prepared.length) watch(newest);
    },
  };
});

// A new hand-over from the Devices screen clears the board for the set-up panel.
usePreparedDevices.subscribe((now, before) => {
  if (now.prepared !== before.prepared) useProvisioningStore.getState().reset();
});

function labelsOf(devices: readonly PreparedDevice[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of devices) out[deviceKey(d.ref)] = d.label;
  return out;
}

function placeholderRun(runId: string, prepared: readonly PreparedDevice[], devCert: string, updateCert: string): RunSnapshot {
  return {
    runId,
    startedAt: new Date().toISOString(),
    concurrency: 1,
    devCert: { name: devCert },
    updateCert: { name: updateCert },
    devices: prepared.map((p) => queuedDeviceRun(p.ref)),
    passed: 0,
    failed: 0,
    cancelled: 0,
    finished: false,
  };
}

export const runFinishedText = (e: Pick<RunFinishedEvent, 'passed' | 'failed' | 'cancelled'>): string =>
  `Provisioning finished: ${formatCount(e.passed)} passed, ${formatCount(e.failed)} failed${e.cancelled ? `, ${formatCount(e.cancelled)} cancelled` : ''}`;

/**
 * A toast always; a desktop notification in the browser too when the user allowed them (Electron's glue shows
 * its own). The one toast a store shows: it answers an event, not an action, so no component is waiting on it.
 */
function announceFinished(e: RunFinishedEvent): void {
  const text = runFinishedText(e);
  useNotifications.getState().notify(e.failed ? 'error' : 'success', text, 'provisioning-run-finished');
  if (getClient().door === 'web' && typeof Notification !== 'undefined' && Notification.permission === 'granted' && e.durationMs > 30_000) {
    try {
      const shown = new Notification('Provisioning Workstation', { body: text });
      shown.onclick = () => window.focus();
    } catch {
      // Some browsers only allow notifications from a service worker; the toast has said it already.
    }
  }
}
