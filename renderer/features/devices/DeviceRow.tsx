import { memo, type MouseEvent, type RefObject } from 'react';
import type { Device } from '../../../shared/contract/devices';
import { displayName, lettersBeyondAscii } from '../../../shared/domain/devices';
import { formatLastSeen, runsMbl } from './device-view';
import type { ProbeResult } from './devices-store';
import { rowStyle } from './VirtualList';

export const ROW_HEIGHT = 44;

/** What a row's clicks do. Read through a ref, so a new handler from the screen does not re-render every row. */
export interface RowActions {
  onRowClick(id: string, e: MouseEvent): void;
  onClick(id: string, mods: { shift: boolean; toggle: boolean }): void;
  onFavourite(d: Device): void;
  onRename(d: Device): void;
  onRemove(d: Device): void;
}

export interface DeviceRowProps {
  device: Device;
  /** Its place in the list (the grid's header row is 1, so the row is aria-rowindex index + 2). */
  index: number;
  rowId: string;
  selected: boolean;
  /** The keyboard's row, shown while the grid has focus. */
  focused: boolean;
  probe: ProbeResult | undefined;
  /** The announced board this hand-added one also is (`announcedTwins`). */
  twin: Device | undefined;
  /** Other announced names this one reads like (`lookAlikeNames`). */
  readsLike: readonly string[] | undefined;
  now: number;
  actions: RefObject<RowActions>;
}

/**
 * One device in the grid. Memoised: while boards arrive, a batch that changes no board in view renders none of
 * the rows in view (devices are replaced, never changed in place, so an unchanged board is the same object).
 */
export const DeviceRow = memo(function DeviceRow({ device: d, index, rowId, selected, focused, probe, twin, readsLike, now, actions }: DeviceRowProps) {
  const name = d.nickname || d.name;
  const beyondAscii = lettersBeyondAscii(d.name);
  return (
    <div
      id={rowId}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-device-id={d.id}
      className={`device-row${selected ? ' selected' : ''}${d.present ? '' : ' gone'}${focused ? ' focused' : ''}`}
      style={rowStyle(index, ROW_HEIGHT)}
      onClick={(e) => actions.current.onRowClick(d.id, e)}
    >
      <div role="gridcell">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={selected}
          aria-label={`Select ${name}`}
          onChange={() => actions.current.onClick(d.id, { shift: false, toggle: true })}
        />
      </div>
      <div role="gridcell">
        <button
          type="button"
          className={`star${d.favourite ? ' on' : ''}`}
          tabIndex={-1}
          aria-pressed={d.favourite}
          aria-label={`Favourite ${name}`}
          onClick={() => actions.current.onFavourite(d)}
        >
          {d.favourite ? '★' : '☆'}
        </button>
      </div>
      <div role="gridcell" className="device-name">
        <span className="primary-name">{name}</span>
        {d.nickname && <span className="muted secondary-name">{d.name}</span>}
        {d.source === 'manual' &&
          (twin ? (
            <span
              className="badge badge-muted"
              title={`Added by address, and also listed as ${displayName(twin)}, found on the network: selecting both provisions it once`}
            >
              listed twice
            </span>
          ) : (
            <span className="badge badge-muted" title="Added by address">
              manual
            </span>
          ))}
        {(readsLike || beyondAscii.length > 0) && (
          <span className="badge badge-warn" title={nameWarning(readsLike, beyondAscii)}>
            {readsLike ? 'looks alike' : 'not ASCII'}
          </span>
        )}
      </div>
      <div role="gridcell" className="mono device-addresses" title={d.addresses.join('\n')}>
        {d.addresses.length ? (
          d.addresses.slice(0, 2).map((a) => (
            <span key={a} className="address-line">
              {a}
              {d.port !== 22 ? ` port ${d.port}` : ''}
            </span>
          ))
        ) : (
          <span className="muted">{d.hostname}</span>
        )}
      </div>
      <MblCell known={runsMbl(d, probe)} />
      {d.source === 'manual' ? (
        // Nothing announces a board added by address: "online" would be a guess.
        <div role="gridcell" className="muted" title="Added by address: not announced over mDNS, so only Check status tells whether it answers">
          —
        </div>
      ) : (
        <div role="gridcell">{d.present ? <span className="badge badge-ok">online</span> : <span className="badge badge-muted">gone</span>}</div>
      )}
      <div role="gridcell" title={probe?.message}>
        {probe === undefined ? (
          <span className="muted">—</span>
        ) : !probe.ok ? (
          <span className="badge badge-danger">{probe.code ?? 'error'}</span>
        ) : probe.provisioned ? (
          <span className="badge badge-ok">yes</span>
        ) : (
          <span className="badge badge-warn">no</span>
        )}
      </div>
      <div role="gridcell" className="muted">
        {d.source === 'manual' ? (
          <span title="Added by address: not announced over mDNS">—</span>
        ) : (
          <span title={d.lastSeen ?? undefined}>{formatLastSeen(d.lastSeen, now)}</span>
        )}
      </div>
      <div role="gridcell" className="row-actions">
        <button type="button" className="link-button" tabIndex={-1} aria-label={`Rename ${name}`} onClick={() => actions.current.onRename(d)}>
          Rename
        </button>
        {d.source === 'manual' && (
          <button type="button" className="link-button" tabIndex={-1} aria-label={`Remove ${name}`} onClick={() => actions.current.onRemove(d)}>
            Remove
          </button>
        )}
      </div>
    </div>
  );
});

/** Why a name is marked: it reads like another board's, or has letters that may imitate one. */
function nameWarning(readsLike: readonly string[] | undefined, beyondAscii: readonly string[]): string {
  const parts = [];
  if (readsLike) parts.push(`Its name reads like ${readsLike.join(', ')}: one of them may imitate the other; check the addresses before you select it`);
  if (beyondAscii.length) parts.push(`Its name has letters outside plain ASCII (${beyondAscii.join(', ')}): it may imitate another board’s name`);
  return parts.join('. ');
}

/** `known`: whether the board runs Mbed Linux OS, or undefined while nothing has said. */
function MblCell({ known }: { known: boolean | undefined }) {
  if (known === undefined) {
    return (
      <div
        role="gridcell"
        className="muted"
        title="Added by address: nothing announces what it runs, so only Check status tells whether it is an Mbed Linux OS board"
      >
        —
      </div>
    );
  }
  return <div role="gridcell">{known ? <span className="badge badge-ok">MBL</span> : <span className="badge badge-muted">other</span>}</div>;
}
