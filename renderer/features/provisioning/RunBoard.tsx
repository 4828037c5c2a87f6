import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DeviceRunSnapshot, RunSnapshot } from '../../../shared/contract/provisioning';
import { formatCount, formatDuration, plural } from '../../app/format';
import { useNotifications } from '../../app/notifications-store';
import { sentence } from '../../app/sentence';
import { useNow } from '../../app/use-now';
import { CountBadge } from './CountBadge';
import { DeviceError } from './DeviceError';
import { useProvisioningStore } from './provisioning-store';
import { STEPS, credentialsLabel, deviceProgress, overallProgress, runCounts, shortIdentity, stepStates } from './run-view';

const stepLabels: Record<(typeof STEPS)[number], string> = {
  connect: 'connect',
  stage: 'stage',
  provision: 'provision',
  verify: 'verify',
  cleanup: 'cleanup',
  'restart-client': 'restart client',
};

const stateBadge: Record<DeviceRunSnapshot['state'], string> = {
  queued: 'badge-muted',
  running: 'badge-warn',
  passed: 'badge-ok',
  failed: 'badge-danger',
  cancelled: 'badge-muted',
};

/**
 * The live board: overall counts and progress, then one row per device with its stepper, bar, time and log.
 * Each part subscribes to what it shows, so a progress event re-renders the summary and its device's row only.
 */
export function RunBoard() {
  const devices = useProvisioningStore(useShallow((s) => s.run?.devices.map((d) => d.device) ?? []));
  return (
    <section aria-labelledby="board-title" className="run-board">
      <BoardSummary />
      <ol className="board-rows" aria-label="Devices in this run">
        {devices.map((device, index) => (
          <BoardRow key={device} device={device} index={index} />
        ))}
      </ol>
    </section>
  );
}

/** What the summary shows of the run: its header and the counts, compared field by field. */
function summaryOf(run: RunSnapshot | null, live: Record<string, { progress?: number }>) {
  if (!run) return null;
  const pushed: Record<string, number> = {};
  for (const [k, v] of Object.entries(live)) pushed[k] = v.progress ?? 0;
  return {
    ...runCounts(run),
    runFinished: run.finished,
    credentials: credentialsLabel(run),
    warnings: run.warnings,
    updateCert: run.updateCert.name,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    overall: overallProgress(run, pushed),
  };
}

function BoardSummary() {
  const summary = useProvisioningStore(useShallow((s) => summaryOf(s.run, s.live)));
  const cancel = useProvisioningStore((s) => s.cancel);
  const notify = useNotifications((s) => s.notify);
  if (!summary) return null;
  const cancelAll = async () => {
    const failure = await cancel();
    if (failure) notify('error', failure.message);
  };
  return (
    <div className="card board-summary">
      <div className="row">
        <h2 id="board-title">{summary.runFinished ? 'Run finished' : 'Provisioning…'}</h2>
        <span className="muted">
          {summary.credentials} + {summary.updateCert} ·{' '}
          <Elapsed since={Date.parse(summary.startedAt)} until={summary.finishedAt ? Date.parse(summary.finishedAt) : undefined} />
        </span>
        <span className="spacer" />
        {!summary.runFinished && (
          <button type="button" className="danger" onClick={() => void cancelAll()}>
            Cancel all
          </button>
        )}
      </div>
      <p className="counts" aria-live="polite">
        <span>
          {formatCount(summary.finished)} of {formatCount(summary.total)} done
        </span>
        <CountBadge count={summary.passed} label="passed" tone="ok" />
        <CountBadge count={summary.failed} label="failed" tone="danger" />
        {summary.cancelled > 0 && <CountBadge count={summary.cancelled} label="cancelled" tone="muted" />}
        <CountBadge count={summary.running} label="running" tone="warn" />
        <CountBadge count={summary.queued} label="queued" tone="muted" />
      </p>
      <progress className="overall-progress" max={1} value={summary.overall} aria-label="Overall progress" />
      {summary.warnings?.length ? (
        <ul className="callout callout-warn" aria-label="Warnings">
          {summary.warnings.map((w) => (
            <li key={w}>{sentence(w)}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Time since `since`, ticking four times a second (elapsed times in tenths move smoothly) until `until` is known. */
function Elapsed({ since, until }: { since: number; until?: number | undefined }) {
  const now = useNow(until === undefined ? 250 : 60_000);
  return <>{formatDuration((until ?? now) - since)}</>;
}

/** One device's row: it reads its own snapshot (by position, which a run keeps) and its live progress from the store. */
const BoardRow = memo(function BoardRow({ device: key, index }: { device: string; index: number }) {
  const d = useProvisioningStore((s) => s.run?.devices[index]);
  const live = useProvisioningStore((s) => s.live[key]);
  const label = useProvisioningStore((s) => s.labels[key]);
  const cancelling = useProvisioningStore((s) => s.cancelling.has(key));
  const cancel = useProvisioningStore((s) => s.cancel);
  const notify = useNotifications((s) => s.notify);
  if (!d || d.device !== key) return null;
  const name = label ?? d.hostname ?? d.device;
  const steps = stepStates(d);
  const progress = deviceProgress(d, live?.progress);
  const working = d.state === 'running' || d.state === 'queued';
  const log = d.log.length ? d.log : (live?.log ?? []);
  const cancelOne = async () => {
    const failure = await cancel(key);
    if (failure) notify('error', failure.message);
  };
  return (
    <li className={`board-row state-${d.state}`} aria-label={name}>
      <div className="board-row-head">
        <div className="board-device">
          <strong>{name}</strong>
          <span className="muted mono">{d.address}</span>
          {d.identity && (
            <span className="board-identity" title={d.identity.enrollmentIdentity}>
              <span className="mono">{d.identity.endpointName}</span> <span className="muted mono">{shortIdentity(d.identity.enrollmentIdentity)}</span>
            </span>
          )}
        </div>
        <ol className="stepper" aria-label={`Stages of ${name}`}>
          {STEPS.map((s) => (
            <li key={s} className={`step step-${steps[s]}`} aria-current={steps[s] === 'active' ? 'step' : undefined}>
              <span className="step-dot" aria-hidden="true" />
              <span className="step-label">{stepLabels[s]}</span>
              <span className="visually-hidden"> {steps[s]}</span>
            </li>
          ))}
        </ol>
        <span className={`badge ${stateBadge[d.state]}`}>{working && cancelling ? 'cancelling' : d.state}</span>
        <span className="elapsed mono" aria-label={`Elapsed for ${name}`}>
          {!working ? formatDuration(d.durationMs) : live?.startedAt ? <Elapsed since={live.startedAt} /> : '—'}
        </span>
        {working ? (
          <button type="button" onClick={() => void cancelOne()} aria-label={`Cancel ${name}`} disabled={cancelling}>
            Cancel
          </button>
        ) : (
          <span />
        )}
      </div>
      <progress max={1} value={progress} aria-label={`Progress of ${name}`} />
      {d.message !== d.error?.message && <p className="board-message muted">{d.message}</p>}
      <DeviceError device={d} label={name} />
      <details className="board-log">
        <summary>Log ({plural(log.length, 'line')})</summary>
        <pre className="mono">{log.join('\n') || 'Nothing yet.'}</pre>
      </details>
    </li>
  );
});
