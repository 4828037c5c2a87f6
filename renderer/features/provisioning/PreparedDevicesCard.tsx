import { formatCount } from '../../app/format';
import { usePreparedDevices } from '../../app/prepared-devices';
import { sentence } from '../../app/sentence';

/** The devices the run will take, as prepared on the Devices screen, and any board that was selected twice. */
export function PreparedDevicesCard() {
  const prepared = usePreparedDevices((s) => s.prepared);
  const selectedTwice = usePreparedDevices((s) => s.selectedTwice);
  return (
    <div className="card">
      <h2>Devices ({formatCount(prepared.length)})</h2>
      <ul className="chip-list" aria-label="Devices to provision">
        {prepared.map((p) => (
          <li key={p.ref.id ?? p.ref.address} className="chip" title={p.ref.address}>
            {p.label} <span className="muted mono">{p.ref.address}</span>
          </li>
        ))}
      </ul>
      {selectedTwice.length > 0 && (
        <ul className="callout" aria-label="Boards selected twice">
          {selectedTwice.map((note) => (
            <li key={note}>{sentence(note)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
