import { describe, it, expect } from 'vitest';
import type { Device } from '../../../../shared/contract/devices';
import { filterRows, formatLastSeen, sortRows, updateSorted, type SortOrder } from '../../../../renderer/features/devices/device-view';
import { checkAddForm } from '../../../../renderer/features/devices/AddDeviceDialog';

const dev = (name: string, extra: Partial<Device> = {}): Device => ({
  id: `mdns:${name}@eth0`,
  name,
  hostname: name,
  addresses: [`169.254.20.${name.length}`],
  port: 22,
  txt: { mblos: true },
  isMbl: true,
  lastSeen: '2026-01-01T00:00:00.000Z',
  source: 'mdns',
  present: true,
  interface: 'eth0',
  favourite: false,
  ...extra,
});

const visibleRows = (devices: Device[], filter: string, sort: SortOrder) => filterRows(sortRows(devices, sort), filter);

describe('device table view', () => {
  const devices = [dev('mbed-linux-os-10'), dev('mbed-linux-os-2'), dev('linux-box-1', { isMbl: false }), dev('zeta', { favourite: true, present: false })];

  it('sorts naturally, keeps favourites on top, and reverses on demand', () => {
    expect(visibleRows(devices, '', { key: 'name', direction: 'ascending' }).map((d) => d.name)).toEqual([
      'zeta',
      'linux-box-1',
      'mbed-linux-os-2',
      'mbed-linux-os-10',
    ]);
    expect(visibleRows(devices, '', { key: 'name', direction: 'descending' }).map((d) => d.name)).toEqual([
      'zeta',
      'mbed-linux-os-10',
      'mbed-linux-os-2',
      'linux-box-1',
    ]);
    expect(visibleRows(devices, '', { key: 'mbl', direction: 'ascending' }).at(-1)!.name).toBe('linux-box-1');
  });

  it('filters on name, nickname and address', () => {
    expect(visibleRows(devices, 'os-1', { key: 'name', direction: 'ascending' }).map((d) => d.name)).toEqual(['mbed-linux-os-10']);
    expect(visibleRows([dev('a', { nickname: 'bench' })], 'BEN', { key: 'name', direction: 'ascending' })).toHaveLength(1);
    expect(visibleRows(devices, '169.254.20.11', { key: 'name', direction: 'ascending' }).map((d) => d.name)).toEqual(['linux-box-1']);
  });

  it('patches the sorted order for a few changed devices exactly as a full sort would', () => {
    const sort: SortOrder = { key: 'name', direction: 'ascending' };
    const all = new Map(Array.from({ length: 500 }, (_, i) => dev(`mbed-linux-os-${(i * 7919) % 500}`)).map((d) => [d.id, d]));
    const before = sortRows([...all.values()], sort);
    const next = new Map(all);
    next.set('mdns:mbed-linux-os-3@eth0', dev('mbed-linux-os-3', { nickname: 'zz last' }));
    next.set('mdns:aaa@eth0', dev('aaa'));
    next.set('mdns:mbed-linux-os-9@eth0', dev('mbed-linux-os-9', { favourite: true }));
    next.delete('mdns:mbed-linux-os-10@eth0');
    const changed = new Set(['mdns:mbed-linux-os-3@eth0', 'mdns:aaa@eth0', 'mdns:mbed-linux-os-9@eth0', 'mdns:mbed-linux-os-10@eth0']);
    const patched = updateSorted(before, next, changed, sort);
    expect(patched.map((d) => d.id)).toEqual(sortRows([...next.values()], sort).map((d) => d.id));
    expect(patched[0]!.name).toBe('mbed-linux-os-9');
    expect(patched.at(-1)!.nickname).toBe('zz last');

    // every board answered again (a newer lastSeen, same place): replaced where they are, order unchanged
    const answered = new Map([...all.values()].map((d) => [d.id, { ...d, lastSeen: '2026-01-01T00:01:00.000Z' }]));
    const again = updateSorted(before, answered, new Set(answered.keys()), sort);
    expect(again.map((d) => d.id)).toEqual(before.map((d) => d.id));
    expect(again.every((d) => d.lastSeen === '2026-01-01T00:01:00.000Z')).toBe(true);
  });

  it('formats the last sighting', () => {
    const t = Date.parse('2026-01-01T00:00:00.000Z');
    expect(formatLastSeen(null, t)).toBe('—');
    expect(formatLastSeen('2026-01-01T00:00:00.000Z', t + 2000)).toBe('just now');
    expect(formatLastSeen('2026-01-01T00:00:00.000Z', t + 42_000)).toBe('42 s ago');
    expect(formatLastSeen('2026-01-01T00:00:00.000Z', t + 300_000)).toBe('5 min ago');
  });
});

describe('add-by-address form', () => {
  it('accepts every ADDRESS form and folds the port in', () => {
    expect(checkAddForm('169.254.20.3', '')).toEqual({ ok: true, address: '169.254.20.3' });
    expect(checkAddForm('fe80::1%eth0', '2222')).toEqual({ ok: true, address: '[fe80::1%eth0]:2222' });
    expect(checkAddForm('[fe80::1%eth0]:2222', '')).toEqual({ ok: true, address: '[fe80::1%eth0]:2222' });
    expect(checkAddForm('board.local', '22')).toEqual({ ok: true, address: 'board.local' });
    expect(checkAddForm('board.local:2200', '')).toEqual({ ok: true, address: 'board.local:2200' });
  });

  it('names the field in its errors', () => {
    expect(checkAddForm('', '')).toMatchObject({ ok: false, field: 'address', message: expect.stringMatching(/^Address/) });
    expect(checkAddForm('300.1.2.3', '')).toMatchObject({ ok: false, field: 'address', message: expect.stringContaining('Address "300.1.2.3"') });
    expect(checkAddForm('fe80::1', '')).toMatchObject({ ok: false, field: 'address' });
    expect(checkAddForm('10.0.0.1', '70000')).toMatchObject({ ok: false, field: 'port', message: expect.stringMatching(/^Port/) });
    expect(checkAddForm('10.0.0.1:2200', '2201')).toMatchObject({ ok: false, field: 'port' });
  });
});
