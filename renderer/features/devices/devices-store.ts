import { create } from 'zustand';
import { channels, events } from '../../../shared/contract/index';
import type { Device, DeviceChange, DiscoveryHealth } from '../../../shared/contract/devices';
import type { DeviceFinishedEvent, ProbeStatusEntry } from '../../../shared/contract/provisioning';
import { fail } from '../../../shared/contract/result';
import { deviceRefOf } from '../../../shared/domain/device-run';
import { deviceKey } from '../../../shared/domain/devices';
import { getClient } from '../../transport/client';
import { failureOf, subscribeOnce, type ActionResult } from '../../app/store-kit';
import { formatCount, plural } from '../../app/format';
import { filterRows, sortRows, updateSorted, type SortKey, type SortOrder } from './device-view';
import {
  clearSelection,
  clickRow,
  emptySelection,
  moveFocus,
  pruneSelection,
  selectAll,
  toggleFocused,
  type ClickModifiers,
  type MoveKey,
  type SelectionState,
} from './selection';

export interface ProbeResult extends ProbeStatusEntry {
  /** The device's display name at the time of the probe. */
  label: string;
}

/** What a status check found, for its notification: `Checked 1,200 devices: 1,000 provisioned, 150 not provisioned, 50 could not be checked`. */
export function statusCheckText(results: readonly ProbeResult[]): string {
  const count = (f: (r: ProbeResult) => boolean) => formatCount(results.filter(f).length);
  const failed = results.filter((r) => !r.ok).length;
  return `Checked ${plural(results.length, 'device')}: ${count((r) => r.ok && r.provisioned === true)} provisioned, ${count((r) => r.ok && r.provisioned !== true)} not provisioned${failed ? `, ${formatCount(failed)} could not be checked` : ''}`;
}

interface DevicesState {
  devices: ReadonlyMap<string, Device>;
  loaded: boolean;
  discovering: boolean;
  interfaces: string[];
  health: DiscoveryHealth | null;
  error: string | null;
  filter: string;
  sort: SortOrder;
  selection: SelectionState;
  /** The last "Check status" answer per device id. */
  probes: ReadonlyMap<string, ProbeResult>;
  /** The last "Check status" answer, in the order asked. */
  lastCheck: ProbeResult[] | null;
  probing: boolean;

  load(): Promise<void>;
  refresh(): Promise<void>;
  addManual(address: string, nickname?: string): Promise<ActionResult>;
  removeManual(id: string): Promise<ActionResult>;
  setNickname(id: string, nickname: string): Promise<ActionResult>;
  setFavourite(id: string, favourite: boolean): Promise<ActionResult>;
  setFilter(filter: string): void;
  sortBy(key: SortKey): void;
  click(id: string, mods: ClickModifiers): void;
  move(key: MoveKey, shift: boolean): void;
  toggleFocusedRow(): void;
  selectAllVisible(): void;
  clearSelection(): void;
  /** `--get-pelion-status` on the selected devices; the results go to `lastCheck` and `probes`. */
  probeSelected(): Promise<ActionResult>;
}

/**
 * What changed between two device maps, recorded by every store update, so the sorted list can be patched
 * (a few rows moved by binary search) instead of sorting 1,000 rows for each batch.
 */
let lastDelta: { from: ReadonlyMap<string, Device>; to: ReadonlyMap<string, Device>; ids: ReadonlySet<string> } | null = null;
let sortedMemo: { devices: ReadonlyMap<string, Device>; sort: SortOrder; rows: Device[] } | null = null;
let visibleMemo: { sorted: Device[]; filter: string; rows: Device[] } | null = null;

/** Every device in table order for the current sort, patched from the previous order when only a few changed. */
function selectSorted(s: Pick<DevicesState, 'devices' | 'sort'>): Device[] {
  if (sortedMemo && sortedMemo.devices === s.devices && sortedMemo.sort === s.sort) return sortedMemo.rows;
  const delta = lastDelta;
  const rows =
    sortedMemo && sortedMemo.sort === s.sort && delta && delta.from === sortedMemo.devices && delta.to === s.devices
      ? updateSorted(sortedMemo.rows, s.devices, delta.ids, s.sort)
      : sortRows([...s.devices.values()], s.sort);
  sortedMemo = { devices: s.devices, sort: s.sort, rows };
  return rows;
}

/** Visible rows for the current filter and sort: a keystroke in the filter only filters the sorted list. */
export function selectVisible(s: Pick<DevicesState, 'devices' | 'filter' | 'sort'>): Device[] {
  const sorted = selectSorted(s);
  if (visibleMemo && visibleMemo.sorted === sorted && visibleMemo.filter === s.filter) return visibleMemo.rows;
  const rows = s.filter.trim() ? filterRows(sorted, s.filter) : sorted;
  visibleMemo = { sorted, filter: s.filter, rows };
  return rows;
}

/** The selected devices in table order (hidden-by-filter ones included, after the visible ones). */
export function selectedDevices(s: Pick<DevicesState, 'devices' | 'filter' | 'sort' | 'selection'>): Device[] {
  const visible = selectVisible(s).filter((d) => s.selection.selected.has(d.id));
  const seen = new Set(visible.map((d) => d.id));
  const hidden = [...s.selection.selected]
    .filter((id) => !seen.has(id))
    .map((id) => s.devices.get(id))
    .filter((d): d is Device => !!d);
  return [...visible, ...hidden];
}

let pending: DeviceChange[] = [];
let flushScheduled = false;

const byId = (list: readonly Device[]) => new Map(list.map((d) => [d.id, d]));

export const useDevicesStore = create<DevicesState>((set, get) => {
  /** The one way devices change: remembers which ids did, for `selectSorted`. */
  const setDevices = (next: Map<string, Device>, ids: ReadonlySet<string>, extra: Partial<DevicesState> = {}) => {
    lastDelta = { from: get().devices, to: next, ids };
    const dropped = [...ids].some((id) => !next.has(id));
    set({ devices: next, ...(dropped ? { selection: pruneSelection(get().selection, new Set(next.keys())) } : {}), ...extra });
  };
  /** Discovery can push hundreds of changes at once: apply every batch that arrived within a frame in one update. */
  const flush = () => {
    flushScheduled = false;
    const changes = pending;
    pending = [];
    if (changes.length === 0) return;
    const next = new Map(get().devices);
    const ids = new Set<string>();
    for (const c of changes) {
      ids.add(c.device.id);
      if (c.event === 'forgotten' || (c.event === 'removed' && c.device.source === 'manual')) next.delete(c.device.id);
      else next.set(c.device.id, c.device);
    }
    setDevices(next, ids);
  };
  const schedule = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
    else setTimeout(flush, 16);
  };
  const upsert = (d: Device) => setDevices(new Map(get().devices).set(d.id, d), new Set([d.id]));
  const onChanges = (changes: DeviceChange[]) => {
    pending.push(...changes);
    schedule();
  };
  const onHealth = (health: DiscoveryHealth) => set({ health });
  // A run verifies each board it passes, so it is the newest answer about it; a failed or cancelled one may have
  // changed the board halfway, so whatever an earlier check said no longer holds.
  const onDeviceFinished = ({ device: run }: DeviceFinishedEvent) => {
    const d = get().devices.get(run.device);
    if (!d || (run.state !== 'passed' && !get().probes.has(d.id))) return;
    const probes = new Map(get().probes);
    if (run.state === 'passed')
      probes.set(d.id, { device: d.id, ok: true, provisioned: true, message: 'provisioned and verified', label: d.nickname || d.name });
    else probes.delete(d.id);
    set({ probes });
  };

  return {
    devices: new Map(),
    loaded: false,
    discovering: false,
    interfaces: [],
    health: null,
    error: null,
    filter: '',
    sort: { key: 'name', direction: 'ascending' },
    selection: emptySelection,
    probes: new Map(),
    lastCheck: null,
    probing: false,

    async load() {
      subscribeOnce(events.devices.changed, onChanges);
      subscribeOnce(events.devices.health, onHealth);
      subscribeOnce(events.provisioning.deviceFinished, onDeviceFinished);
      const r = await getClient().call(channels.devices.list, {});
      if (!r.ok) return set({ error: r.message, loaded: true });
      const devices = byId(r.value.devices);
      setDevices(devices, new Set(devices.keys()), {
        discovering: r.value.discovering,
        interfaces: r.value.interfaces,
        health: r.value.health,
        error: null,
        loaded: true,
      });
    },
    async refresh() {
      const r = await getClient().call(channels.devices.refresh, {});
      if (!r.ok) return set({ error: r.message });
      // Keep devices we know that the snapshot no longer lists (greyed), rather than dropping them.
      const next = new Map(get().devices);
      for (const d of r.value.devices) next.set(d.id, d);
      setDevices(next, new Set(r.value.devices.map((d) => d.id)), {
        discovering: r.value.discovering,
        interfaces: r.value.interfaces,
        health: r.value.health,
        error: null,
      });
    },
    async addManual(address, nickname) {
      const r = await getClient().call(channels.devices.addManual, nickname ? { address, nickname } : { address });
      if (r.ok) upsert(r.value);
      return failureOf(r);
    },
    async removeManual(id) {
      const r = await getClient().call(channels.devices.removeManual, { id });
      if (!r.ok) return r;
      const next = new Map(get().devices);
      next.delete(id);
      setDevices(next, new Set([id]));
      return null;
    },
    async setNickname(id, nickname) {
      const r = await getClient().call(channels.devices.setNickname, { id, nickname });
      if (r.ok && r.value) upsert(r.value);
      return failureOf(r);
    },
    async setFavourite(id, favourite) {
      const r = await getClient().call(channels.devices.setFavourite, { id, favourite });
      if (r.ok && r.value) upsert(r.value);
      return failureOf(r);
    },
    setFilter(filter) {
      set({ filter });
    },
    sortBy(key) {
      const { sort } = get();
      set({ sort: sort.key === key ? { key, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' } : { key, direction: 'ascending' } });
    },
    click(id, mods) {
      set({
        selection: clickRow(
          get().selection,
          selectVisible(get()).map((d) => d.id),
          id,
          mods,
        ),
      });
    },
    move(key, shift) {
      set({
        selection: moveFocus(
          get().selection,
          selectVisible(get()).map((d) => d.id),
          key,
          shift,
        ),
      });
    },
    toggleFocusedRow() {
      const s = get().selection;
      if (s.focused === null) {
        const first = selectVisible(get())[0];
        if (first) set({ selection: { ...s, focused: first.id } });
        return;
      }
      set({ selection: toggleFocused(s) });
    },
    selectAllVisible() {
      set({
        selection: selectAll(
          get().selection,
          selectVisible(get()).map((d) => d.id),
        ),
      });
    },
    clearSelection() {
      set({ selection: clearSelection(get().selection) });
    },
    async probeSelected() {
      const chosen = selectedDevices(get());
      if (chosen.length === 0) return fail('no-devices', 'Select one or more devices first.');
      set({ probing: true });
      const r = await getClient().call(channels.devices.probeStatus, { devices: chosen.map(deviceRefOf) });
      if (!r.ok) {
        set({ probing: false });
        return r;
      }
      const probes = new Map(get().probes);
      const results: ProbeResult[] = r.value.map((entry) => {
        // The core names each device by deviceKey() of the reference it was given.
        const d = chosen.find((c) => deviceKey(deviceRefOf(c)).toLowerCase() === entry.device.toLowerCase());
        const result = { ...entry, label: d ? d.nickname || d.name : entry.device };
        if (d) probes.set(d.id, result);
        return result;
      });
      set({ probes, lastCheck: results, probing: false });
      return null;
    },
  };
});
