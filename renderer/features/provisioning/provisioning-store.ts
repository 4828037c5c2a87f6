import { create } from 'zustand';
import { channels, events } from '../../../shared/contract/index';
import type { DeviceRef, OwnIdentityRequest, RunSnapshot, RunFinishedEvent } from '../../../shared/contract/provisioning';
import type { CertificateAuthority } from '../../../shared/contract/ca';
import { deviceKey } from '../../../shared/domain/devices';
import { getClient } from '../../transport/client';
import { useNotifications } from '../../app/notifications-store';
import { listCertificates, createDeveloperCertificate, importUpdateCertificate, type CertificateOption } from './certificate-api';
import { downloadText, mimeFor } from './download';
import { applyDeviceFinished, applyProgress } from './run-view';

export interface PreparedDevice {
  ref: DeviceRef;
  /** What the user calls it (nickname or name). */
  label: string;
}

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

interface ProvisioningState {
  /** Devices handed over from the Devices screen, waiting for certificates and confirmation. */
  prepared: PreparedDevice[];
  devCerts: CertificateOption[];
  updateCerts: CertificateOption[];
  authorities: CertificateAuthority[];
  certsLoaded: boolean;
  certsError: string | null;
  /** The run on the board (live or finished). */
  run: RunSnapshot | null;
  live: Record<string, LiveDevice>;
  /** Devices the user cancelled that the runner hasn't reported as finished yet (a queued one waits for its turn). */
  cancelling: ReadonlySet<string>;
  /** Device key → label, so rows keep their nickname. */
  labels: Record<string, string>;
  starting: boolean;
  error: string | null;

  prepare(devices: PreparedDevice[]): void;
  loadCertificates(): Promise<void>;
  createDevCert(name: string): Promise<string | null>;
  importUpdateCert(name: string, file: File): Promise<string | null>;
  start(credentials: RunCredentials, updateCert: string): Promise<string | null>;
  /** What starting would refuse (error) or warn about, without starting. */
  preflight(credentials: RunCredentials, updateCert: string): Promise<{ warnings: string[]; error: string | null }>;
  /** The enrollment CSV of a run's confirmed identities, downloaded; resolves to the failure to show, or null. */
  exportEnrollment(runId: string): Promise<string | null>;
  cancel(device?: string): Promise<void>;
  retryFailed(): Promise<string | null>;
  saveReport(format: 'csv' | 'json'): Promise<string | null>;
  /** Forgets a device's pin under every identity it was seen with; answers a failure message or null. */
  forgetHostKey(device: DeviceRef): Promise<string | null>;
  /** Pins a key the user checked on the board (after a `host-key-unknown` refusal). */
  trustHostKey(device: DeviceRef, fingerprint: string, keyType: string): Promise<string | null>;
  /** Back to the set-up panel (the finished run stays in History). */
  reset(): void;
  /** Shows the newest run when the screen opens with nothing prepared. */
  restore(): Promise<void>;
}

const MAX_LIVE_LOG = 200;
let subscribed = false;
let poll: ReturnType<typeof setInterval> | undefined;

export const useProvisioningStore = create<ProvisioningState>((set, get) => {
  const notify = (kind: 'info' | 'success' | 'error', text: string) => useNotifications.getState().notify(kind, text);

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
    stopPolling();
    set({ run, live: {}, cancelling: new Set() });
    if (!run.finished) poll = setInterval(() => void fetchRun(run.runId), 2000);
  };

  const subscribe = () => {
    if (subscribed) return;
    subscribed = true;
    const client = getClient();
    client.on(events.provisioning.progress, (e) => {
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
    });
    client.on(events.provisioning.deviceFinished, (e) => {
      const run = get().run;
      if (!run || run.runId !== e.runId) return;
      set({ run: applyDeviceFinished(run, e.device) });
    });
    client.on(events.provisioning.runFinished, (e) => {
      const run = get().run;
      if (!run || run.runId !== e.runId) return;
      void fetchRun(e.runId);
      announceFinished(e);
    });
  };

  return {
    prepared: [],
    devCerts: [],
    updateCerts: [],
    authorities: [],
    certsLoaded: false,
    certsError: null,
    run: null,
    live: {},
    cancelling: new Set(),
    labels: {},
    starting: false,
    error: null,

    prepare(devices) {
      stopPolling();
      set({ prepared: devices, run: null, live: {}, error: null, labels: { ...get().labels, ...labelsOf(devices) } });
    },
    async loadCertificates() {
      const [r, cas] = await Promise.all([listCertificates(), getClient().call(channels.ca.list, {})]);
      if (!r.ok) return set({ certsError: r.message, certsLoaded: true });
      set({ devCerts: r.value.dev, updateCerts: r.value.update, authorities: cas.ok ? cas.value.authorities : [], certsError: null, certsLoaded: true });
    },
    async createDevCert(name) {
      const r = await createDeveloperCertificate(name);
      if (!r.ok) return r.message;
      await get().loadCertificates();
      return null;
    },
    async importUpdateCert(name, file) {
      const r = await importUpdateCertificate(name, file);
      if (!r.ok) return r.message;
      await get().loadCertificates();
      return null;
    },
    async start(credentials, updateCert) {
      subscribe();
      const { prepared } = get();
      if (prepared.length === 0) return 'No devices to provision: select them on the Devices screen first.';
      set({ starting: true, error: null });
      const r = await getClient().call(channels.provisioning.start, { devices: prepared.map((p) => p.ref), ...credentials, updateCert });
      if (!r.ok) {
        set({ starting: false, error: r.message });
        return r.message;
      }
      const snap = await getClient().call(channels.provisioning.run, { runId: r.value.runId });
      set({ starting: false });
      watch(snap.ok ? snap.value : placeholderRun(r.value.runId, prepared, 'devCert' in credentials ? credentials.devCert : `CA ${credentials.identity.ca}`, updateCert));
      if (!snap.ok) void fetchRun(r.value.runId);
      return null;
    },
    async preflight(credentials, updateCert) {
      const { prepared } = get();
      if (prepared.length === 0) return { warnings: [], error: null };
      const r = await getClient().call(channels.provisioning.preflight, { devices: prepared.map((p) => p.ref), ...credentials, updateCert });
      return r.ok ? { warnings: r.value.warnings, error: null } : { warnings: [], error: r.message };
    },
    async exportEnrollment(runId) {
      const r = await getClient().call(channels.identities.exportEnrollment, { runId });
      if (!r.ok) return r.message;
      if (r.value.identities.length === 0) return 'This run has no confirmed identity to enroll.';
      downloadText(r.value.fileName, r.value.csv, 'text/csv');
      return null;
    },
    async cancel(device) {
      const run = get().run;
      if (!run) return;
      const r = await getClient().call(channels.provisioning.cancel, device ? { runId: run.runId, device } : { runId: run.runId });
      if (!r.ok) return notify('error', r.message);
      if (get().run?.runId === run.runId) set({ cancelling: new Set([...get().cancelling, ...r.value.cancelled]) });
    },
    async retryFailed() {
      subscribe();
      const run = get().run;
      if (!run) return 'No run to retry.';
      const r = await getClient().call(channels.provisioning.retryFailed, { runId: run.runId });
      if (!r.ok) return r.message;
      const snap = await getClient().call(channels.provisioning.run, { runId: r.value.runId });
      if (!snap.ok) return snap.message;
      watch(snap.value);
      return null;
    },
    async saveReport(format) {
      const run = get().run;
      if (!run) return 'No run to report on.';
      const r = await getClient().call(channels.provisioning.report, { runId: run.runId, format });
      if (!r.ok) return r.message;
      downloadText(r.value.fileName, r.value.text, mimeFor(r.value.format));
      return null;
    },
    async forgetHostKey(device) {
      const r = await getClient().call(channels.provisioning.forgetHostKey, { device });
      if (!r.ok) return r.message;
      notify('success', r.value.forgotten.length ? `Forgot the host key pinned under ${r.value.forgotten.join(', ')}: the next connection pins the new one.` : `No pinned host key was stored for ${device.address}.`);
      return null;
    },
    async trustHostKey(device, fingerprint, keyType) {
      const r = await getClient().call(channels.provisioning.trustHostKey, { device, fingerprint, keyType });
      if (!r.ok) return r.message;
      notify('success', `Trusted ${fingerprint} for ${device.hostname ?? device.address}: retry to provision it.`);
      return null;
    },
    reset() {
      stopPolling();
      set({ run: null, live: {}, error: null });
    },
    async restore() {
      subscribe();
      if (get().run || get().prepared.length) return;
      const r = await getClient().call(channels.provisioning.runs, {});
      const newest = r.ok ? r.value[0] : undefined;
      if (newest && !get().run && !get().prepared.length) watch(newest);
    },
  };
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
    devices: prepared.map((p) => ({ device: deviceKey(p.ref), address: p.ref.address, state: 'queued', stage: 'queued', message: 'waiting', durationMs: 0, stages: [], log: [] })),
    passed: 0,
    failed: 0,
    cancelled: 0,
    finished: false,
  };
}

/** A toast always; a desktop notification in the browser too when the user allowed them (Electron's glue shows its own). */
function announceFinished(e: RunFinishedEvent): void {
  const text = `Provisioning finished: ${e.passed} passed, ${e.failed} failed${e.cancelled ? `, ${e.cancelled} cancelled` : ''}`;
  useNotifications.getState().notify(e.failed ? 'error' : 'success', text);
  if (typeof window !== 'undefined' && !window.pws && typeof Notification !== 'undefined' && Notification.permission === 'granted' && e.durationMs > 30_000) {
    try {
      const shown = new Notification('Provisioning Workstation', { body: text });
      shown.onclick = () => window.focus();
    } catch {
      // Some browsers only allow notifications from a service worker; the toast has said it already.
    }
  }
}
