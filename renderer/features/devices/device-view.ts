/**
 * Sorting and small formatting for the Devices table. Filtering uses the shared `filterDevices`, so the
 * table and `pws discover` match the same devices for the same text.
 */
import type { Device } from '../../../shared/contract/devices';
import { compareNatural, displayName, filterDevices } from '../../../shared/domain/devices';

export type SortKey = 'name' | 'addresses' | 'mbl' | 'status' | 'lastSeen';
export interface SortOrder {
  key: SortKey;
  direction: 'ascending' | 'descending';
}

function compareBy(key: SortKey, a: Device, b: Device): number {
  switch (key) {
    case 'name': return compareNatural(displayName(a), displayName(b));
    case 'addresses': return compareNatural(a.addresses[0] ?? '', b.addresses[0] ?? '');
    case 'mbl': return Number(b.isMbl) - Number(a.isMbl);
    case 'status': return Number(b.present) - Number(a.present);
    case 'lastSeen': return (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '');
  }
}

/** Filtered and sorted rows; favourites stay on top, ties fall back to the name. */
export function visibleRows(devices: readonly Device[], filter: string, sort: SortOrder): Device[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return filterDevices(devices, { text: filter }).sort(
    (a, b) =>
      Number(b.favourite) - Number(a.favourite) ||
      sign * compareBy(sort.key, a, b) ||
      compareNatural(displayName(a), displayName(b)) ||
      a.id.localeCompare(b.id),
  );
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
  return new Date(t).toLocaleString();
}

/** The ADDRESS to reach a device by: its first address (with the port when it isn't 22), else its host name. */
export function deviceAddress(d: Device): string {
  const a = d.addresses[0] ?? d.hostname;
  if (d.port === 22 || !d.port) return a;
  return a.includes(':') ? `[${a}]:${d.port}` : `${a}:${d.port}`;
}
