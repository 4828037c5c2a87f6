import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { Device } from '../../../shared/contract/devices';
import { useNow } from '../../app/use-now';
import { DeviceRow, ROW_HEIGHT, type RowActions } from './DeviceRow';
import { VirtualList } from './VirtualList';
import type { SortKey, SortOrder } from './device-view';
import type { ProbeResult } from './devices-store';
import type { SelectionState, MoveKey } from './selection';

const HEADER_HEIGHT = 38;

const columns: Array<{ key: SortKey | null; label: string }> = [
  { key: null, label: 'Selected' },
  { key: null, label: 'Favourite' },
  { key: 'name', label: 'Name' },
  { key: 'addresses', label: 'Addresses' },
  { key: 'mbl', label: 'MBL' },
  { key: 'status', label: 'Status' },
  { key: null, label: 'Provisioned' },
  { key: 'lastSeen', label: 'Last seen' },
  { key: null, label: 'Actions' },
];

const moveKeys = new Set<string>(['ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);
const sortable = columns.flatMap((c) => (c.key ? [c.key] : []));

export interface DeviceGridProps {
  rows: readonly Device[];
  selection: SelectionState;
  sort: SortOrder;
  probes: ReadonlyMap<string, ProbeResult>;
  /** Boards added by address that are also listed as announced, by the added row's id (`announcedTwins`). */
  listedTwice: ReadonlyMap<string, Device>;
  /** Other announced names each device's name reads like, by id (`lookAlikeNames`). */
  lookAlikes: ReadonlyMap<string, readonly string[]>;
  onSort(key: SortKey): void;
  onClick(id: string, mods: { shift: boolean; toggle: boolean }): void;
  onMove(key: MoveKey, shift: boolean): void;
  onToggleFocused(): void;
  onSelectAll(): void;
  onClear(): void;
  onFavourite(d: Device): void;
  onRename(d: Device): void;
  onRemove(d: Device): void;
}

/**
 * The devices as an ARIA grid with multi-selection and one Tab stop: focus stays on the grid and
 * aria-activedescendant names the keyboard's row (or column header), so windowing rows in and out of the
 * DOM never loses it. Nothing inside a row is a Tab stop; the row's actions have keys (Enter/F2 renames,
 * F favourites, Delete removes a hand-added device), and ↑ from the first row reaches the sort buttons.
 */
export function DeviceGrid(props: DeviceGridProps) {
  const { rows, selection, sort, probes } = props;
  const baseId = useId();
  const now = useNow(5000);
  const focusedIndex = selection.focused === null ? -1 : rows.findIndex((r) => r.id === selection.focused);
  const focusedRow = focusedIndex >= 0 ? rows[focusedIndex]! : undefined;
  /** The sort column the keyboard is on, while it is in the header row rather than on a device. */
  const [headerKey, setHeaderKey] = useState<SortKey | null>(null);
  const headerId = (key: SortKey) => `${baseId}-col-${key}`;

  const onHeaderKey = (e: KeyboardEvent<HTMLDivElement>, key: SortKey) => {
    const at = sortable.indexOf(key);
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      setHeaderKey(sortable[Math.min(sortable.length - 1, Math.max(0, at + (e.key === 'ArrowLeft' ? -1 : 1)))]!);
    } else if (e.key === 'Enter' || e.key === ' ') {
      props.onSort(key);
    } else if (e.key === 'ArrowDown' || e.key === 'Escape') {
      setHeaderKey(null);
      if (e.key === 'ArrowDown' && !focusedRow) props.onMove('Home', false);
    } else return;
    e.preventDefault();
  };

  /** The row's buttons, by key, on the keyboard's row. */
  const rowActions: Record<string, (d: Device) => void> = {
    Enter: props.onRename,
    F2: props.onRename,
    f: props.onFavourite,
    Delete: (d) => d.source === 'manual' && props.onRemove(d),
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return; // keys typed into a row's buttons stay theirs
    if (headerKey !== null) return onHeaderKey(e, headerKey);
    if (e.key === 'ArrowUp' && !e.shiftKey && focusedIndex <= 0) {
      e.preventDefault();
      setHeaderKey(sort.key ?? sortable[0]!);
    } else if (focusedRow && !e.ctrlKey && !e.metaKey && !e.altKey && Object.hasOwn(rowActions, e.key)) {
      e.preventDefault();
      rowActions[e.key]!(focusedRow);
    } else if (moveKeys.has(e.key)) {
      e.preventDefault();
      props.onMove(e.key as MoveKey, e.shiftKey);
    } else if (e.key === ' ' || e.key === 'Spacebar') {
      e.preventDefault();
      props.onToggleFocused();
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      props.onSelectAll();
    } else if (e.key === 'Escape') {
      props.onClear();
    }
  };

  const onRowClick = (id: string, e: MouseEvent) => {
    setHeaderKey(null);
    if ((e.target as HTMLElement).closest('button, input, a')) return;
    if (e.shiftKey) e.preventDefault(); // no text selection on shift-click
    props.onClick(id, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey });
  };
  const actions = useRef<RowActions>(null!);
  useLayoutEffect(() => {
    actions.current = { onRowClick, onClick: props.onClick, onFavourite: props.onFavourite, onRename: props.onRename, onRemove: props.onRemove };
  });

  const header = (
    <div role="row" className="device-row device-header" aria-rowindex={1} style={{ height: HEADER_HEIGHT }}>
      {columns.map((c) => {
        const sorted = c.key !== null && sort.key === c.key;
        return (
          <div
            key={c.label}
            id={c.key ? headerId(c.key) : undefined}
            role="columnheader"
            aria-sort={sorted ? sort.direction : c.key ? 'none' : undefined}
            className={c.key ? (headerKey === c.key ? 'focused' : undefined) : 'narrow-header'}
          >
            {c.key ? (
              // Reached with the arrow keys from inside the grid (its one Tab stop), so not a Tab stop itself.
              <button type="button" className="sort-button" onClick={() => props.onSort(c.key!)} tabIndex={-1} title={`Sort by ${c.label.toLowerCase()}`}>
                {c.label}
                <span aria-hidden="true">{sorted ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
              </button>
            ) : (
              <span className={c.label === 'Selected' || c.label === 'Favourite' ? 'visually-hidden' : undefined}>{c.label}</span>
            )}
          </div>
        );
      })}
    </div>
  );

  return (
    <VirtualList
      className="device-grid"
      role="grid"
      aria-label="Devices"
      aria-multiselectable="true"
      aria-rowcount={rows.length + 1}
      aria-activedescendant={headerKey !== null ? headerId(headerKey) : focusedIndex >= 0 ? `${baseId}-row-${focusedIndex}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      items={rows}
      rowHeight={ROW_HEIGHT}
      header={header}
      headerHeight={HEADER_HEIGHT}
      revealIndex={focusedIndex}
      renderRow={(d, i) => (
        <DeviceRow
          key={d.id}
          device={d}
          index={i}
          rowId={`${baseId}-row-${i}`}
          selected={selection.selected.has(d.id)}
          focused={selection.focused === d.id && headerKey === null}
          probe={probes.get(d.id)}
          twin={props.listedTwice.get(d.id)}
          readsLike={props.lookAlikes.get(d.id)}
          now={now}
          actions={actions}
        />
      )}
    />
  );
}
