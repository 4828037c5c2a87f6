import type { DeviceRunSnapshot, RunSnapshot } from '../../../shared/contract/provisioning';
import { useNow } from '../devices/use-now';
import { DeviceError } from './DeviceError';
import { useProvisioningStore, type LiveDevice } from './provisioning-store';
import { STEPS, credentialsLabel, deviceProgress, formatDuration, overallProgress, runCounts, shortIdentity, stepStates } from './run-view';
import { sentence } from '../../app/sentence';

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

/** The live board: overall counts and progress, then one row per device with its stepper, bar, time and log. */
export function RunBoard({ run }: { run: RunSnapshot }) {
  const { live, labels, cancel, cancelling } = useProvisioningStore();
  // Four ticks a second: elapsed times in tenths move smoothly; a finished run stops ticking below.
  const now = useNow(run.finished ? 60_000 : 250);
  const counts = runCounts(run);
  const pushed = Object.fromEntries(Object.entries(live).map(([k, v]) => [k, v.progress ?? 0]));
  const overall = overallProgress(run, pushed);
  const elapsed = (run.finishedAt ? Date.parse(run.finishedAt) : now) - Date.parse(run.startedAt);

  return (
    <section aria-labelledby="board-title" className="run-board">
      <div className="card board-summary">
        <div className="row">
          <h2 id="board-title">{run.finished ? 'Run finished' : 'Provisioning…'}</h2>
          <span className="muted">
            {credentialsLabel(run)} + {run.updateCert.name} · {formatDuration(elapsed)}
          </span>
          <span className="spacer" />
          {!run.finished && (
            <button type="button" className="danger" onClick={() => void cancel()}>
              Cancel all
            </button>
          )}
        </div>
        <p className="counts" aria-live="polite">
          <span>{counts.finished} of {counts.total} done</span>
          <span className="badge badge-ok">{counts.passed} passed</span>
          <span className="badge badge-danger">{counts.failed} failed</span>
          {counts.cancelled > 0 && <span className="badge badge-muted">{counts.cancelled} cancelled</span>}
          <span className="badge badge-warn">{counts.running} running</span>
          <span className="badge badge-muted">{counts.queued} queued</span>
        </p>
        <progress className="overall-progress" max={1} value={overall} aria-label="Overall progress" />
        {run.warnings?.length ? (
          <ul className="callout callout-warn" aria-label="Warnings">
            {run.warnings.map((w) => (
              <li key={w}>{sentence(w)}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <ol className="board-rows" aria-label="Devices in this run">
        {run.devices.map((d) => (
          <BoardRow key={d.device} device={d} live={live[d.device]} label={labels[d.device] ?? d.hostname ?? d.device} now={now} cancelling={cancelling.has(d.device)} onCancel={() => void cancel(d.device)} />
        ))}
      </ol>
    </section>
  );
}

function BoardRow({ device: d, live, label, now, cancelling, onCancel }: { device: DeviceRunSnapshot; live?: LiveDevice; label: string; now: number; cancelling: boolean; onCancel: () => void }) {
  const steps = stepStates(d);
  const progress = deviceProgress(d, live?.progress);
  const working = d.state === 'running' || d.state === 'queued';
  const elapsed = working ? (live?.startedAt ? now - live.startedAt : 0) : d.durationMs;
  const log = d.log.length ? d.log : (live?.log ?? []);
  return (
    <li className={`board-row state-${d.state}`} aria-label={label}>
      <div className="board-row-head">
        <div className="board-device">
          <strong>{label}</strong>
          <span className="muted mono">{d.address}</span>
          {d.identity && (
            <span className="board-identity" title={d.identity.enrollmentIdentity}>
              <span className="mono">{d.identity.endpointName}</span> <span className="muted mono">{shortIdentity(d.identity.enrollmentIdentity)}</span>
            </span>
          )}
        </div>
        <ol className="stepper" aria-label={`Stages of ${label}`}>
          {STEPS.map((s) => (
            <li key={s} className={`step step-${steps[s]}`} aria-current={steps[s] === 'active' ? 'step' : undefined}>
              <span className="step-dot" aria-hidden="true" />
              <span className="step-label">{stepLabels[s]}</span>
              <span className="visually-hidden"> {steps[s]}</span>
            </li>
          ))}
        </ol>
        <span className={`badge ${stateBadge[d.state]}`}>{working && cancelling ? 'cancelling' : d.state}</span>
        <span className="elapsed mono" aria-label={`Elapsed for ${label}`}>{working && !live?.startedAt ? '—' : formatDuration(elapsed)}</span>
        {working ? (
          <button type="button" onClick={onCancel} aria-label={`Cancel ${label}`} disabled={cancelling}>
            Cancel
          </button>
        ) : (
          <span />
        )}
      </div>
      <progress max={1} value={progress} aria-label={`Progress of ${label}`} />
      <p className="board-message muted">{d.message}</p>
      <DeviceError device={d} label={label} />
      <details className="board-log">
        <summary>Log ({log.length} line{log.length === 1 ? '' : 's'})</summary>
        <pre className="mono">{log.join('\n') || 'Nothing yet.'}</pre>
      </details>
    </li>
  );
}
