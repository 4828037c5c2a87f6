/**
 * Sorting and small formatting for the Devices table. Filtering uses the shared `filterDevices`, so the
 * table and `pws discover` match the same devices for the same text.
 */
import type { Device, ProbeStatusEntry } from '../../../shared/contract/devices';
import { compareNatural, displayName, filterDevices } from '../../../shared/domain/devices';
import { formatDateTime } from '../../app/format';

export type SortKey = 'name' | 'addresses' | 'mbl' | 'status' | 'lastSeen';
export interface SortOrder {
  key: SortKey;
  direction: 'ascending' | 'descending';
}

function compareBy(key: SortKey, a: Device, b: Device): number {
  switch (key) {
    case 'name':
      return compareNatural(displayName(a), displayName(b));
    case 'addresses':
      return compareNatural(a.addresses[0] ?? '', b.addresses[0] ?? '');
    case 'mbl':
      return Number(b.isMbl) - Number(a.isMbl);
    case 'status':
      return Number(b.present) - Number(a.present);
    case 'lastSeen':
      return compareText(b.lastSeen ?? '', a.lastSeen ?? '');
  }
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Table order: favourites on top, then the sort key, ties by name and id. */
export function compareRows(sort: SortOrder): (a: Device, b: Device) => number {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return (a, b) =>
    Number(b.favourite) - Number(a.favourite) || sign * compareBy(sort.key, a, b) || compareNatural(displayName(a), displayName(b)) || compareText(a.id, b.id);
}

export function sortRows(devices: readonly Device[], sort: SortOrder): Device[] {
  return [...devices].sort(compareRows(sort));
}

/** The rows matching the filter text, in the order given. */
export function filterRows(rows: readonly Device[], filter: string): Device[] {
  return filterDevices(rows, { text: filter });
}

/**
 * `sorted` (the previous table order) updated for the devices `changed`: one whose place is unchanged (a newer
 * "last seen", a new address) is replaced where it is; the others are taken out and put back by binary search.
 * When many move at once, a full sort is cheaper.
 */
export function updateSorted(sorted: readonly Device[], devices: ReadonlyMap<string, Device>, changed: ReadonlySet<string>, sort: SortOrder): Device[] {
  const compare = compareRows(sort);
  const rows = [...sorted];
  const moved = new Set<string>();
  const index = new Map<string, number>();
  rows.forEach((d, i) => changed.has(d.id) && index.set(d.id, i));
  for (const id of changed) {
    const i = index.get(id);
    const d = devices.get(id);
    if (i !== undefined && d && compare(rows[i]!, d) === 0) rows[i] = d;
    else moved.add(id);
  }
  if (moved.size === 0) return rows;
  if (moved.size > 64 || moved.size * 8 > rows.length) return sortRows([...devices.values()], sort);
  const kept = rows.filter((d) => !moved.has(d.id));
  for (const id of moved) {
    const d = devices.get(id);
    if (!d) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(kept[mid]!, d) <= 0) lo = mid + 1;
      else hi = mid;
    }
    kept.splice(lo, 0, d);
  }
  return kept;
}

/** "12 s ago", "5 min ago", or a local time for older sightings; manual devices have none. */
export function formatLastSeen(iso: string | null, now: number): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return formatDateTime(iso);
}

/**
 * Whether a device runs Mbed Linux OS: an announced board says so in its TXT record (`mblos`); of a board added
 * by address only Check status can tell (its utility answered, or is missing). Undefined: not known yet.
 */
export function runsMbl(d: Device, probe: ProbeStatusEntry | undefined): boolean | undefined {
  if (d.source !== 'manual') return d.isMbl;
  if (probe?.ok) return true;
  return probe?.code === 'utility-missing' ? false : undefined;
}
