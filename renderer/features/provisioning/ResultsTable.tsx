import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatCount, formatDuration } from '../../app/format';
import { useNotifications } from '../../app/notifications-store';
import { CountBadge } from './CountBadge';
import { DeviceError } from './DeviceError';
import { useProvisioningStore } from './provisioning-store';
import { credentialsLabel, runCounts, shortIdentity } from './run-view';

/** The end of a run: one line per device, Retry (the failed and cancelled ones), Save report. */
export function ResultsTable() {
  const { run, labels, retryFailed, saveReport, reset, exportEnrollment } = useProvisioningStore(
    useShallow((s) => ({
      run: s.run,
      labels: s.labels,
      retryFailed: s.retryFailed,
      saveReport: s.saveReport,
      reset: s.reset,
      exportEnrollment: s.exportEnrollment,
    })),
  );
  const notify = useNotifications((s) => s.notify);
  const [busy, setBusy] = useState(false);
  if (!run) return null;
  const counts = runCounts(run);
  const toRetry = counts.failed + counts.cancelled;
  // Retry runs the cancelled boards again too: the button says so, beside badges that count them apart.
  const retried = counts.cancelled === 0 ? 'failed' : counts.failed === 0 ? 'cancelled' : 'failed and cancelled';
  const headers = ['Device', 'Address', 'Result', 'Stage', ...(run.identity ? ['Endpoint name', 'Enrollment identity'] : []), 'Duration', 'Details'];

  const retry = async () => {
    setBusy(true);
    const failure = await retryFailed();
    setBusy(false);
    if (failure) notify('error', `Retry failed: ${failure.message}`);
  };
  const save = async (format: 'csv' | 'json') => {
    const failure = await saveReport(format);
    if (failure) notify('error', `Save report: ${failure.message}`);
  };
  const enrollment = async () => {
    const failure = await exportEnrollment(run.runId);
    if (failure) notify('error', `Export enrollment list: ${failure.message}`);
    else notify('success', 'Enrollment list saved: upload it in the portal or with pws enroll upload');
  };

  return (
    <section aria-labelledby="results-title" className="card results">
      <div className="row">
        <h2 id="results-title">Results</h2>
        {run.retryOf && <span className="muted">retry of an earlier run</span>}
        <span className="spacer" />
        <button type="button" className="primary" disabled={toRetry === 0 || busy} onClick={() => void retry()}>
          Retry {retried}
          {toRetry ? ` (${formatCount(toRetry)})` : ''}
        </button>
        <button type="button" onClick={() => void save('json')}>
          Save report (JSON)
        </button>
        <button type="button" onClick={() => void save('csv')}>
          Save report (CSV)
        </button>
        {run.identity && (
          <button type="button" onClick={() => void enrollment()}>
            Export enrollment list
          </button>
        )}
        <button type="button" onClick={reset}>
          New run
        </button>
      </div>
      <p className="counts" aria-live="polite">
        <CountBadge count={counts.passed} label="passed" tone="ok" />
        <CountBadge count={counts.failed} label="failed" tone="danger" />
        {counts.cancelled > 0 && <CountBadge count={counts.cancelled} label="cancelled" tone="muted" />}
        <span className="muted">
          {credentialsLabel(run)} + {run.updateCert.name}
          {run.finishedAt ? ` · ${formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt))}` : ''}
        </span>
      </p>
      <div className="results-table-wrap">
        <table>
          <caption className="visually-hidden">Result per device</caption>
          <thead>
            <tr>
              {headers.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          {run.devices.map((d) => {
            const label = labels[d.device] ?? d.hostname ?? d.device;
            return (
              <tbody key={d.device}>
                <tr className={`result-${d.state}`}>
                  <th scope="row">{label}</th>
                  <td className="mono">{d.address}</td>
                  <td>
                    <span className={`badge ${d.state === 'passed' ? 'badge-ok' : d.state === 'failed' ? 'badge-danger' : 'badge-muted'}`}>{d.state}</span>
                  </td>
                  <td>{d.stage}</td>
                  {run.identity && <td className="mono">{d.identity?.endpointName ?? '—'}</td>}
                  {run.identity && (
                    <td className="mono enrollment-identity" title={d.identity?.enrollmentIdentity}>
                      {d.identity ? shortIdentity(d.identity.enrollmentIdentity) : '—'}
                    </td>
                  )}
                  <td className="mono">{formatDuration(d.durationMs)}</td>
                  <td>{d.error ? <DeviceError device={d} label={label} /> : <span className="muted">{d.message}</span>}</td>
                </tr>
                {d.hostKeyNewlyPinned && (
                  <tr className="new-host-key">
                    <th scope="row">
                      <span className="visually-hidden">{label}</span>
                    </th>
                    <td colSpan={headers.length - 1}>
                      New host key pinned: <span className="mono">{d.hostKeyFingerprint}</span>
                    </td>
                  </tr>
                )}
              </tbody>
            );
          })}
        </table>
      </div>
    </section>
  );
}
