import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AuditEntry } from '../../../shared/contract/history';
import { useNotifications } from '../../app/notifications-store';
import { formatDateTime, formatDuration, plural } from '../../app/format';
import { useHistoryStore } from './history-store';
import './history.css';

/** History: the audit trail of provisioning attempts, filtered by device, station and result, exported as CSV or JSON. */
export function HistoryScreen() {
  const { entries, loaded, error, device, station, result, sync } = useHistoryStore(
    useShallow((s) => ({ entries: s.entries, loaded: s.loaded, error: s.error, device: s.device, station: s.station, result: s.result, sync: s.sync })),
  );
  const { load, setDevice, setStation, setResult, exportAs } = useHistoryStore(
    useShallow((s) => ({ load: s.load, setDevice: s.setDevice, setStation: s.setStation, setResult: s.setResult, exportAs: s.exportAs })),
  );
  const notify = useNotifications((s) => s.notify);
  const deviceId = useId();
  const stationId = useId();
  const stationsId = useId();
  const resultId = useId();
  // The stations seen in what is listed, offered as choices; any name can be typed.
  const stations = [...new Set(entries.map((e) => e.station).filter((s): s is string => Boolean(s)))].sort();

  useEffect(() => {
    void load();
  }, [load]);

  const exportTrail = async (format: 'csv' | 'json') => {
    const failure = await exportAs(format);
    if (failure) notify('error', `Export: ${failure.message}`);
  };

  return (
    <section aria-labelledby="screen-title" className="history-screen">
      <div className="screen-header">
        <div>
          <h1 id="screen-title">History</h1>
          <p className="muted">Every provisioning attempt, newest first: which station, who, which device, which certificates, and how it went.</p>
        </div>
        <div className="row">
          <button type="button" onClick={() => void exportTrail('csv')}>
            Export CSV
          </button>
          <button type="button" onClick={() => void exportTrail('json')}>
            Export JSON
          </button>
        </div>
      </div>
      <div className="row history-filters">
        <div className="field">
          <label htmlFor={deviceId}>Device</label>
          <input id={deviceId} type="search" placeholder="Name, host name or address" value={device} onChange={(e) => setDevice(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={stationId}>Station</label>
          <input
            id={stationId}
            type="search"
            list={stationsId}
            placeholder="All stations"
            value={station}
            onChange={(e) => setStation(e.target.value.trim())}
          />
          <datalist id={stationsId}>
            {stations.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor={resultId}>Result</label>
          <select id={resultId} value={result} onChange={(e) => setResult(e.target.value as typeof result)}>
            <option value="">All results</option>
            <option value="passed">Passed</option>
            <option value="failed">Failed</option>
            <option value="cancelled">Cancelled</option>
          </select>
        </div>
        <span className="muted history-count" aria-live="polite">
          {loaded ? plural(entries.length, 'entry', 'entries') : 'Loading…'}
        </span>
        <button type="button" onClick={() => void load()}>
          Reload
        </button>
      </div>
      {sync && sync.waitingToSync > 0 && (
        <p className="card history-sync" role="status">
          {plural(sync.waitingToSync, 'entry', 'entries')} waiting to sync to the shared database {sync.location}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {loaded && entries.length === 0 && !error ? (
        <p className="card muted" role="status">
          {device || station || result
            ? 'No entry matches these filters.'
            : 'No provisioning attempts yet. Runs started from the app or the pws CLI are recorded here.'}
        </p>
      ) : (
        <div className="history-table-wrap">
          <table className="history-table">
            <caption className="visually-hidden">Provisioning attempts</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Station</th>
                <th scope="col">Operator</th>
                <th scope="col">Device</th>
                <th scope="col">Certificates</th>
                <th scope="col">Result</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e, i) => (
                <HistoryRow key={`${e.runId}-${e.device.name}-${i}`} entry={e} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function HistoryRow({ entry: e }: { entry: AuditEntry }) {
  const badge = e.result === 'passed' ? 'badge-ok' : e.result === 'failed' ? 'badge-danger' : 'badge-muted';
  return (
    <tr>
      <td className="nowrap">
        <time dateTime={e.time}>{formatDateTime(e.time)}</time>
      </td>
      <td>{e.station ?? <span className="muted">this station</span>}</td>
      <td>
        {e.operator} <span className="muted">({e.door})</span>
      </td>
      <td>
        <strong>{deviceLabel(e)}</strong>
        <div className="muted mono small">{e.device.addresses.join(', ')}</div>
      </td>
      <td className="small nowrap">
        {e.identity ? (
          <div title={e.identity.enrollmentIdentity}>
            identity: <span className="mono">{e.identity.endpointName}</span> (CA {e.identity.ca.name})
          </div>
        ) : (
          <div>dev: {e.devCert.name}</div>
        )}
        <div>update: {e.updateCert.name}</div>
      </td>
      <td>
        <span className={`badge ${badge}`}>{e.result}</span>
        {e.error && <ErrorText text={`${e.error.code} at ${e.stage}: ${e.error.message}`} />}
      </td>
      <td className="mono nowrap">{formatDuration(e.durationMs)}</td>
    </tr>
  );
}

/** About what two clamped lines of the Result column hold. */
const TWO_LINES = 100;

/** An attempt's error in two lines; a longer one opens in full from a button, so keyboard users can read it too. */
function ErrorText({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <div id={id} className={`small history-error${open ? ' open' : ''}`} title={text}>
        {text}
      </div>
      {text.length > TWO_LINES && (
        <button
          type="button"
          className="link-button small"
          aria-label={`${open ? 'Show less' : 'Show all'} of the error`}
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen(!open)}
        >
          {open ? 'Show less' : 'Show all'}
        </button>
      )}
    </>
  );
}

/** The audit names a device by its key (`mdns:<name>@<iface>` for a discovered one); people know it by host name. */
function deviceLabel(e: AuditEntry): string {
  if (e.device.hostname) return e.device.hostname;
  const m = /^mdns:(.+)@[^@]+$/.exec(e.device.name);
  return m ? m[1]! : e.device.name.replace(/^manual:/, '');
}
