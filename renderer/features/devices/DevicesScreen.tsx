import { useEffect, useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Device, DiscoveryHealth } from '../../../shared/contract/devices';
import { announcedTwins, deviceRefOf } from '../../../shared/domain/device-run';
import { lookAlikeNames } from '../../../shared/domain/look-alike-names';
import { useNavigation } from '../../app/navigation-store';
import { formatCount, plural } from '../../app/format';
import { useNotifications } from '../../app/notifications-store';
import { usePreparedDevices } from '../../app/prepared-devices';
import { useNow } from '../../app/use-now';
import { AddDeviceDialog } from './AddDeviceDialog';
import { DeviceGrid } from './DeviceGrid';
import { RenameDialog } from './RenameDialog';
import { selectedDevices, selectVisible, statusCheckText, useDevicesStore, type ProbeResult } from './devices-store';
import './devices.css';

/** Devices: the live table of discovered and hand-added boards, with selection, status checks and the way into provisioning. */
export function DevicesScreen() {
  const store = useDevicesStore(useShallow(screenState));
  const notify = useNotifications((s) => s.notify);
  const go = useNavigation((s) => s.go);
  const prepare = usePreparedDevices((s) => s.prepare);
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<Device | null>(null);
  const [probeResults, setProbeResults] = useState<ProbeResult[] | null>(null);
  const filterId = useId();

  const load = store.load;
  useEffect(() => {
    void load();
  }, [load]);

  const rows = selectVisible(store);
  const listedTwice = useMemo(() => announcedTwins(store.devices.values()), [store.devices]);
  const lookAlikes = useMemo(() => lookAlikeNames(store.devices.values()), [store.devices]);
  const selected = selectedDevices(store);
  const total = store.devices.size;
  const gone = [...store.devices.values()].filter((d) => !d.present).length;
  const countText = `${formatCount(selected.length)} selected${store.filter ? ` · ${formatCount(rows.length)} of ${formatCount(total)} shown` : ''}`;

  const checkStatus = async () => {
    const failure = await store.probeSelected();
    if (failure) return notify('error', `Check status: ${failure.message}`);
    const r = useDevicesStore.getState().lastCheck ?? [];
    setProbeResults(r);
    const failed = r.some((p) => !p.ok);
    notify(failed ? 'error' : 'success', statusCheckText(r));
  };

  const provision = () => {
    if (selected.length === 0) return notify('error', 'Provision selected: select one or more devices first.');
    prepare(selected.map((d) => ({ ref: deviceRefOf(d), label: d.nickname || d.name })));
    go('provisioning');
  };

  return (
    <section aria-labelledby="screen-title" className="devices-screen">
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Devices</h1>
          <p className="muted" aria-live="polite">
            {store.loaded ? `${plural(total, 'device')}${gone ? `, ${formatCount(gone)} gone` : ''}` : 'Looking for devices…'}
            {store.discovering && <> · listening for mDNS on {store.interfaces.length ? store.interfaces.join(', ') : 'every interface'}</>}
          </p>
        </div>
        <div className="row">
          <button type="button" onClick={() => void store.refresh()}>
            Refresh
          </button>
          <button type="button" onClick={() => setAdding(true)}>
            Add device by address…
          </button>
        </div>
      </div>

      {store.error && (
        <p className="field-error" role="alert">
          {store.error}
        </p>
      )}
      {store.health && <SendingProblem health={store.health} />}

      <div className="devices-toolbar row">
        <label htmlFor={filterId} className="filter-label">
          <span className="visually-hidden">Filter devices</span>
          <input id={filterId} type="search" placeholder="Name, host name or address" value={store.filter} onChange={(e) => store.setFilter(e.target.value)} />
        </label>
        <span className="muted selection-count" aria-live="polite" title={countText}>
          {countText}
        </span>
        <button type="button" onClick={() => store.selectAllVisible()} disabled={rows.length === 0}>
          Select all
        </button>
        <button type="button" onClick={() => store.clearSelection()} disabled={selected.length === 0}>
          Clear
        </button>
        <button type="button" onClick={() => void checkStatus()} disabled={selected.length === 0 || store.probing}>
          {store.probing ? 'Checking…' : 'Check status'}
        </button>
        <button type="button" className="primary" onClick={provision} disabled={selected.length === 0}>
          Provision selected{selected.length ? ` (${formatCount(selected.length)})` : ''}
        </button>
      </div>

      {store.loaded && total === 0 ? (
        <EmptyState onAdd={() => setAdding(true)} health={store.health} interfaces={store.interfaces} />
      ) : (
        <>
          <DeviceGrid
            rows={rows}
            selection={store.selection}
            sort={store.sort}
            probes={store.probes}
            listedTwice={listedTwice}
            lookAlikes={lookAlikes}
            onSort={store.sortBy}
            onClick={store.click}
            onMove={store.move}
            onToggleFocused={store.toggleFocusedRow}
            onSelectAll={store.selectAllVisible}
            onClear={store.clearSelection}
            onFavourite={(d) => void store.setFavourite(d.id, !d.favourite).then((failure) => failure && notify('error', failure.message))}
            onRename={setRenaming}
            onRemove={(d) =>
              void store.removeManual(d.id).then((failure) => (failure ? notify('error', failure.message) : notify('info', `Removed ${d.nickname || d.name}`)))
            }
          />
          {rows.length === 0 && store.filter && <p className="muted">No device matches “{store.filter}”.</p>}
          <p className="muted keyboard-hint">
            Keyboard: ↑/↓ move, Space selects, Shift+↑/↓ extends, Ctrl/⌘+A selects all, Esc clears; Enter or F2 renames, F favourites, Delete removes a device
            added by address; ↑ from the first row reaches the column headers (←/→, Enter sorts).
          </p>
        </>
      )}

      {probeResults && <ProbeResults results={probeResults} onClose={() => setProbeResults(null)} />}
      {adding && <AddDeviceDialog onClose={() => setAdding(false)} onAdded={(name) => notify('success', `Added ${name}`)} />}
      {renaming && <RenameDialog device={renaming} onClose={() => setRenaming(null)} />}
    </section>
  );
}

/** What the screen shows of the devices store: everything but the last check's list (kept in local state). */
const screenState = (s: ReturnType<typeof useDevicesStore.getState>) => ({
  devices: s.devices,
  loaded: s.loaded,
  discovering: s.discovering,
  interfaces: s.interfaces,
  health: s.health,
  error: s.error,
  filter: s.filter,
  sort: s.sort,
  selection: s.selection,
  probes: s.probes,
  probing: s.probing,
  load: s.load,
  refresh: s.refresh,
  setFilter: s.setFilter,
  sortBy: s.sortBy,
  click: s.click,
  move: s.move,
  toggleFocusedRow: s.toggleFocusedRow,
  selectAllVisible: s.selectAllVisible,
  clearSelection: s.clearSelection,
  setFavourite: s.setFavourite,
  removeManual: s.removeManual,
  probeSelected: s.probeSelected,
});

/** Said as long as the OS refuses (or fails) to send mDNS queries; devices appear once sending works again. */
function SendingProblem({ health }: { health: DiscoveryHealth }) {
  if (health.sending === 'refused') {
    return (
      <div className="card sending-problem" role="alert">
        <h2>The operating system refuses this app's mDNS queries</h2>
        <p>
          Sending to the local network fails ({health.sendError}), so boards can't be asked to announce themselves. On <strong>macOS</strong>, allow it in
          System Settings → Privacy &amp; Security → <strong>Local Network</strong> → Provisioning Workstation. Elsewhere, check that the firewall lets this app
          send UDP to port 5353. Devices appear within a second or two once it is allowed; nothing needs restarting.
        </p>
      </div>
    );
  }
  if (health.sending === 'failing') {
    return (
      <div className="card sending-problem" role="alert">
        <h2>mDNS queries can't be sent</h2>
        <p>Sending fails ({health.sendError}): check that the network interface is up and has an address. Discovery keeps trying every second.</p>
      </div>
    );
  }
  return null;
}

/** How long to listen before saying that no mDNS packet arrived at all. */
const SILENCE_MS = 5000;

function EmptyState({ onAdd, health, interfaces }: { onAdd: () => void; health: DiscoveryHealth | null; interfaces: string[] }) {
  const now = useNow(1000);
  const since = health?.listeningSince ? Date.parse(health.listeningSince) : now;
  const silent = health !== null && health.sending === 'ok' && health.packetsReceived === 0 && now - since >= SILENCE_MS;
  const where = interfaces.length ? interfaces.join(', ') : 'any interface';
  return (
    <div className="card empty-state" role="status">
      <h2>No devices found yet</h2>
      {silent ? (
        <>
          <p>
            <strong>No mDNS packet has arrived in {Math.round((now - since) / 1000)} s</strong> on {where}, not even from other computers. Queries go out, but
            nothing comes back. Check that:
          </p>
          <ul>
            <li>
              the <strong>firewall</strong> lets UDP port 5353 in (Windows: allow Provisioning Workstation on private networks; Linux: for example{' '}
              <code>ufw allow 5353/udp</code>);
            </li>
            <li>
              the boards are on <strong>one of these interfaces</strong>: {where} (a VPN, or Wi-Fi while the boards are on Ethernet, takes the traffic
              elsewhere);
            </li>
            <li>
              the switch or Wi-Fi <strong>passes multicast</strong> (guest networks and client isolation block it);
            </li>
            <li>
              the board has <strong>finished booting</strong> and runs an SSH server.
            </li>
          </ul>
        </>
      ) : (
        <>
          <p>Boards announce themselves on the local network with mDNS. If yours doesn't show up within a few seconds, check that:</p>
          <ul>
            <li>
              the workstation and the board are on <strong>the same network</strong> (same switch, Wi-Fi or USB link);
            </li>
            <li>
              <strong>mDNS is allowed</strong>: the firewall lets UDP port 5353 in, and the network doesn't block multicast;
            </li>
            <li>
              the board has <strong>finished booting</strong> (give it a minute after power-on) and runs an SSH server.
            </li>
          </ul>
        </>
      )}
      <p>
        You can also reach a board directly:{' '}
        <button type="button" className="link-button" onClick={onAdd}>
          add a device by address
        </button>
        .
      </p>
    </div>
  );
}

function ProbeResults({ results, onClose }: { results: ProbeResult[]; onClose: () => void }) {
  const failures = results.filter((r) => !r.ok);
  return (
    <div className="card probe-results" aria-labelledby="probe-title">
      <div className="row">
        <h2 id="probe-title">Status check</h2>
        <span className="spacer" />
        <button type="button" className="link-button" onClick={onClose}>
          Close
        </button>
      </div>
      {failures.length > 0 && (
        <div role="alert" className="field-error">
          {failures.map((f) => (
            <p key={f.device}>
              <strong>{f.label}</strong> could not be checked ({f.code ?? 'error'}): {f.message}
            </p>
          ))}
        </div>
      )}
      <ul className="probe-list">
        {results
          .filter((r) => r.ok)
          .map((r) => (
            <li key={r.device}>
              <strong>{r.label}</strong>{' '}
              {r.provisioned ? <span className="badge badge-ok">provisioned</span> : <span className="badge badge-warn">not provisioned</span>}{' '}
              <span className="muted">{r.message}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
