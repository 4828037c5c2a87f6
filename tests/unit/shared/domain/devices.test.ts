import { describe, expect, it } from 'vitest';
import {
  decodeTxt,
  deviceAddress,
  deviceWhere,
  lettersBeyondAscii,
  filterDevices,
  orderAddresses,
  sortDevices,
  toDiscoverJson,
  type Device,
} from '../../../../shared/domain/devices';
import { announcedDevice } from '../../../support/devices';

describe('TXT and address helpers', () => {
  it('decodes bare keys, key=value, first occurrence wins, keys lower-cased', () => {
    expect(decodeTxt(['mblos', 'Ver=1.2', 'ver=9', '', '=x', 'empty='])).toEqual({ mblos: true, ver: '1.2', empty: '' });
  });
  it('orders link-local IPv6, then IPv4, then the rest, without duplicates', () => {
    expect(orderAddresses(['2001:db8::1', '10.0.0.2', 'fe80::1%eth0', '10.0.0.10', '10.0.0.2'])).toEqual([
      'fe80::1%eth0',
      '10.0.0.2',
      '10.0.0.10',
      '2001:db8::1',
    ]);
  });
});

/** A device listed under `id` (also its name until `over` says otherwise). */
const dev = (id: string, over: Partial<Device> = {}): Device => announcedDevice(id, { id, txt: {}, ...over });

describe('sorting and filtering', () => {
  const list = [
    dev('mdns:mbed-linux-os-10@eth0', { name: 'mbed-linux-os-10' }),
    dev('mdns:mbed-linux-os-2@eth0', { name: 'mbed-linux-os-2', favourite: true }),
    dev('mdns:linux-box@eth0', { name: 'linux-box', isMbl: false, addresses: ['169.254.20.10'] }),
    dev('manual:board.local', { name: 'board.local', nickname: 'Alpha', source: 'manual' }),
    dev('mdns:gone@eth0', { name: 'gone', present: false }),
  ];
  it('sorts naturally by display name, favourites first when asked', () => {
    expect(sortDevices(list).map((d) => d.name)).toEqual(['board.local', 'gone', 'linux-box', 'mbed-linux-os-2', 'mbed-linux-os-10']);
    expect(sortDevices(list, { favouritesFirst: true }).map((d) => d.name)[0]).toBe('mbed-linux-os-2');
  });
  it('filters by text (name, nickname, address), MBL, presence, favourites and source', () => {
    expect(filterDevices(list, { text: 'alpha' }).map((d) => d.id)).toEqual(['manual:board.local']);
    expect(filterDevices(list, { text: '20.10' }).map((d) => d.name)).toEqual(['linux-box']);
    expect(filterDevices(list, { mblOnly: true, presentOnly: true, source: 'mdns' }).map((d) => d.name)).toEqual(['mbed-linux-os-10', 'mbed-linux-os-2']);
    expect(filterDevices(list, { favouritesOnly: true }).map((d) => d.name)).toEqual(['mbed-linux-os-2']);
  });
  it('prints exactly the discover JSON fields', () => {
    expect(Object.keys(toDiscoverJson(list[0]!))).toEqual(['name', 'hostname', 'addresses', 'port', 'txt']);
  });
});

describe('deviceAddress', () => {
  it('reaches a device by its first address, with the port when it is not 22, else by its host name', () => {
    expect(deviceAddress(dev('a', { addresses: ['fe80::1%eth0', '10.0.0.1'], port: 2222 }))).toBe('[fe80::1%eth0]:2222');
    expect(deviceAddress(dev('a', { addresses: ['10.0.0.1'], port: 2222 }))).toBe('10.0.0.1:2222');
    expect(deviceAddress(dev('a', { addresses: [], hostname: 'board' }))).toBe('board');
  });
});

describe('deviceWhere', () => {
  it('names a device by host name and address, or by the address alone when that is all it has', () => {
    expect(deviceWhere({ hostname: 'mbed-linux-os-1', address: '169.254.20.1' })).toBe('mbed-linux-os-1 (169.254.20.1)');
    expect(deviceWhere({ address: 'fe80::1%eth0' })).toBe('fe80::1%eth0');
    expect(deviceWhere({ hostname: 'board.local', address: 'board.local' })).toBe('board.local');
  });
});

describe('lettersBeyondAscii: what may make a name imitate another', () => {
  it('names each letter outside plain ASCII once, with its code point', () => {
    expect(lettersBeyondAscii('mbed-linux-os-1')).toEqual([]);
    expect(lettersBeyondAscii('mb\u0435d-linux-\u043es-1\u0435')).toEqual(['\u0435 U+0435', '\u043e U+043E']);
    expect(lettersBeyondAscii('tag\u{1d5ba}')).toEqual(['\u{1d5ba} U+1D5BA']);
  });
});
