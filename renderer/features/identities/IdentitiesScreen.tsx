import { useEffect, useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { IdentityRecord } from '../../../shared/contract/identities';
import { BreakAfterColons } from '../../app/BreakAfterColons';
import { formatDateTime, plural } from '../../app/format';
import { useNotifications } from '../../app/notifications-store';
import { sentence } from '../../app/sentence';
import { useIdentitiesStore } from './identities-store';
import './identities.css';

const STATE: Record<IdentityRecord['state'], { label: string; badge: string }> = {
  confirmed: { label: 'Confirmed', badge: 'badge-ok' },
  unconfirmed: { label: 'Not confirmed', badge: 'badge-danger' },
  issued: { label: 'Issued, not confirmed', badge: 'badge-warn' },
  reserved: { label: 'Reserved, nothing signed', badge: 'badge-muted' },
};

/** Identities: every identity issued from your own CA, and the First-to-Claim enrollment list. */
export function IdentitiesScreen() {
  const store = useIdentitiesStore(
    useShallow((s) => ({
      records: s.records,
      loaded: s.loaded,
      error: s.error,
      device: s.device,
      runId: s.runId,
      station: s.station,
      since: s.since,
      setFilter: s.setFilter,
      exportEnrollment: s.exportEnrollment,
    })),
  );
  const load = useIdentitiesStore((s) => s.load);
  const notify = useNotifications((s) => s.notify);
  const ids = { device: useId(), run: useId(), station: useId(), stations: useId(), since: useId() };
  // The stations seen in what is listed, offered as choices; any name can be typed.
  const stations = [...new Set(store.records.map((r) => r.station))].sort();
  useEffect(() => {
    void load();
  }, [load]);

  const exportList = async () => {
    const r = await store.exportEnrollment();
    if (!r.ok) notify('error', `Export enrollment list: ${r.message}`);
    else
      notify(
        'success',
        `Saved ${plural(r.value.count, 'enrollment identity', 'enrollment identities')}${r.value.refused ? ` (${plural(r.value.refused, 'identity', 'identities')} not confirmed on their devices left out)` : ''}`,
      );
  };

  return (
    <section aria-labelledby="screen-title" className="identities-screen">
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Identities</h1>
          <p className="muted">Each device's own identity from your CA: its endpoint name, enrollment identity and whether the device confirmed it.</p>
        </div>
        <button type="button" className="primary" onClick={() => void exportList()}>
          Export enrollment list
        </button>
      </div>
      <div className="row identities-filters">
        <div className="field">
          <label htmlFor={ids.device}>Device</label>
          <input
            id={ids.device}
            type="search"
            placeholder="Host name or address"
            value={store.device}
            onChange={(e) => store.setFilter({ device: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.run}>Run</label>
          <input id={ids.run} type="search" placeholder="Run ID" value={store.runId} onChange={(e) => store.setFilter({ runId: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.station}>Station</label>
          <input
            id={ids.station}
            type="search"
            list={ids.stations}
            placeholder="All stations"
            value={store.station}
            onChange={(e) => store.setFilter({ station: e.target.value })}
          />
          <datalist id={ids.stations}>
            {stations.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor={ids.since}>Issued since</label>
          <input id={ids.since} type="date" value={store.since} onChange={(e) => store.setFilter({ since: e.target.value })} />
        </div>
        <span className="muted" aria-live="polite">
          {store.loaded ? plural(store.records.length, 'record') : 'Loading…'}
        </span>
      </div>
      {store.error && (
        <p className="field-error" role="alert">
          {sentence(store.error)}
        </p>
      )}
      {store.loaded && store.records.length === 0 && !store.error ? (
        <p className="card muted" role="status">
          {store.device || store.runId || store.station || store.since
            ? 'No identity matches these filters.'
            : 'No identities yet: provision devices with "Own identity per device" (or pws provision --ca).'}
        </p>
      ) : (
        <div className="identities-table-wrap">
          <table className="identities-table">
            <caption className="visually-hidden">Identities issued from your CAs</caption>
            <thead>
              <tr>
                <th scope="col">Endpoint name</th>
                <th scope="col">Device</th>
                <th scope="col">State</th>
                <th scope="col">Enrollment identity</th>
                <th scope="col">Issued</th>
                <th scope="col">Station</th>
                <th scope="col">CA · run</th>
              </tr>
            </thead>
            <tbody>
              {store.records.map((r) => (
                <tr key={r.id} className={r.supersededBy ? 'superseded' : undefined}>
                  <th scope="row" className="mono">
                    {r.endpointName} <span className="muted">#{r.seq}</span>
                  </th>
                  <td>
                    {r.device.hostname ?? r.device.id}
                    <div className="muted mono small">{r.device.addresses.join(', ')}</div>
                  </td>
                  <td>
                    <span className={`badge ${STATE[r.state].badge}`}>{STATE[r.state].label}</span>
                    {r.supersededBy && <div className="small muted">re-issued later</div>}
                    {r.reason && <div className="small identity-reason">{r.reason}</div>}
                  </td>
                  <td className="mono small enrollment-identity">{r.certificate ? <BreakAfterColons text={r.certificate.enrollmentIdentity} /> : '—'}</td>
                  <td className="nowrap">
                    <time dateTime={r.issuedAt ?? r.reservedAt}>{formatDateTime(r.issuedAt ?? r.reservedAt)}</time>
                    <div className="small muted">by {r.operator}</div>
                  </td>
                  <td>{r.station}</td>
                  <td className="small">
                    {r.ca.name}
                    <div className="muted mono">{r.runId}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
