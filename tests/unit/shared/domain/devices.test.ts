import { describe, expect, it } from 'vitest';
import {
  decodeTxt,
  devicesFromRecords,
  diffDevices,
  filterDevices,
  orderAddresses,
  sortDevices,
  toDiscoverJson,
  type CachedRecord,
  type Device,
} from '../../../../shared/domain/devices';

const T = Date.parse('2026-11-22T00:00:00Z');

/** The records avahi sends for one board, as learnt on `link`. */
function board(name: string, link: string, opts: { host?: string; v4?: string[]; v6?: string[]; txt?: string[]; port?: number; at?: number } = {}): CachedRecord[] {
  const host = `${opts.host ?? name}.local`;
  const fqdn = `${name}._ssh._tcp.local`;
  const base = { link, ttl: 120, receivedAt: opts.at ?? T };
  return [
    { ...base, ttl: 4500, type: 'PTR', name: '_ssh._tcp.local', data: fqdn },
    { ...base, type: 'SRV', name: fqdn, data: { target: host, port: opts.port ?? 22 } },
    { ...base, ttl: 4500, type: 'TXT', name: fqdn, data: opts.txt ?? ['mblos'] },
    ...(opts.v4 ?? []).map((a): CachedRecord => ({ ...base, type: 'A', name: host, data: a })),
    ...(opts.v6 ?? []).map((a): CachedRecord => ({ ...base, type: 'AAAA', name: host, data: a })),
  ];
}

describe('devicesFromRecords', () => {
  it('builds one device per instance with scoped link-local addresses first', () => {
    const [d, ...rest] = devicesFromRecords(board('mbed-linux-os-1', 'eth0', { v4: ['169.254.20.1'], v6: ['fe80::70:77ff:fe00:101', '2001:db8::5'] }));
    expect(rest).toEqual([]);
    expect(d).toEqual({
      id: 'mdns:mbed-linux-os-1@eth0',
      name: 'mbed-linux-os-1',
      hostname: 'mbed-linux-os-1',
      addresses: ['fe80::70:77ff:fe00:101%eth0', '169.254.20.1', '2001:db8::5'],
      port: 22,
      txt: { mblos: true },
      isMbl: true,
      lastSeen: new Date(T).toISOString(),
      source: 'mdns',
      present: true,
      interface: 'eth0',
      favourite: false,
    });
  });

  it('needs both PTR and SRV; TXT and addresses are optional', () => {
    const recs = board('a', 'eth0', { v6: ['fe80::1'] });
    expect(devicesFromRecords(recs.filter((r) => r.type !== 'SRV'))).toEqual([]);
    expect(devicesFromRecords(recs.filter((r) => r.type !== 'PTR'))).toEqual([]);
    const [d] = devicesFromRecords(recs.filter((r) => r.type !== 'TXT' && r.type !== 'AAAA'));
    expect(d).toMatchObject({ name: 'a', addresses: [], txt: {}, isMbl: false });
  });

  it('marks non-MBL services (TXT without mblos)', () => {
    const [d] = devicesFromRecords(board('linux-box-10', 'eth0', { txt: [] }));
    expect(d?.isMbl).toBe(false);
  });

  it('treats the same name and the same fe80 address behind two interfaces as two boards', () => {
    const devices = devicesFromRecords([...board('mbed-linux-os-7', 'enxaa', { v6: ['fe80::1'] }), ...board('mbed-linux-os-7', 'enxbb', { v6: ['fe80::1'] })]);
    expect(devices.map((d) => [d.id, d.addresses])).toEqual([
      ['mdns:mbed-linux-os-7@enxaa', ['fe80::1%enxaa']],
      ['mdns:mbed-linux-os-7@enxbb', ['fe80::1%enxbb']],
    ]);
  });

  it('merges one LAN host seen through two workstation interfaces when they share a routable address', () => {
    const devices = devicesFromRecords([
      ...board('nas', 'wlan0', { v4: ['192.168.1.5'], v6: ['fe80::5'] }),
      ...board('nas', 'eth0', { v4: ['192.168.1.5'], v6: ['fe80::5'] }),
    ]);
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ id: 'mdns:nas@eth0', addresses: ['fe80::5%eth0', 'fe80::5%wlan0', '192.168.1.5'] });
  });

  it('keeps every address of a host with many interfaces, and ignores other hosts', () => {
    const recs = [
      ...board('multi', 'eth0', { v4: ['169.254.1.1', '10.1.1.1'], v6: ['fe80::a', 'fe80::b'] }),
      { link: 'eth0', ttl: 120, receivedAt: T, type: 'A', name: 'other.local', data: '10.9.9.9' } as CachedRecord,
    ];
    const [d] = devicesFromRecords(recs);
    expect(d?.addresses).toEqual(['fe80::a%eth0', 'fe80::b%eth0', '10.1.1.1', '169.254.1.1']);
  });

  it('follows an SRV target that changed (the board was renamed) to the new host records', () => {
    const recs = [
      ...board('svc', 'eth0', { host: 'new-host', v4: ['169.254.3.3'] }),
      { link: 'eth0', ttl: 120, receivedAt: T, type: 'A', name: 'old-host.local', data: '169.254.9.9' } as CachedRecord,
    ];
    const [d] = devicesFromRecords(recs);
    expect(d).toMatchObject({ hostname: 'new-host', addresses: ['169.254.3.3'] });
  });

  it('matches names case-insensitively', () => {
    const recs = board('Board', 'eth0', { v4: ['169.254.1.2'] }).map((r) => (r.type === 'A' ? { ...r, name: 'BOARD.LOCAL' } : r));
    expect(devicesFromRecords(recs)[0]?.addresses).toEqual(['169.254.1.2']);
  });
});

describe('TXT and address helpers', () => {
  it('decodes bare keys, key=value, first occurrence wins, keys lower-cased', () => {
    expect(decodeTxt(['mblos', 'Ver=1.2', 'ver=9', '', '=x', 'empty='])).toEqual({ mblos: true, ver: '1.2', empty: '' });
  });
  it('orders link-local IPv6, then IPv4, then the rest, without duplicates', () => {
    expect(orderAddresses(['2001:db8::1', '10.0.0.2', 'fe80::1%eth0', '10.0.0.10', '10.0.0.2'])).toEqual(['fe80::1%eth0', '10.0.0.2', '10.0.0.10', '2001:db8::1']);
  });
});

const dev = (id: string, over: Partial<Device> = {}): Device => ({
  id,
  name: id,
  hostname: id,
  addresses: [],
  port: 22,
  txt: {},
  isMbl: true,
  lastSeen: null,
  source: 'mdns',
  present: true,
  interface: 'eth0',
  favourite: false,
  ...over,
});
const byId = (...ds: Device[]) => new Map(ds.map((d) => [d.id, d]));

describe('diffDevices', () => {
  it('reports added, updated and removed; ignores lastSeen alone', () => {
    const prev = byId(dev('a'), dev('b'), dev('c', { lastSeen: '2026-01-01T00:00:00.000Z' }));
    const next = byId(dev('b', { addresses: ['169.254.1.1'] }), dev('c', { lastSeen: '2026-01-01T00:00:09.000Z' }), dev('d'));
    const changes = diffDevices(prev, next);
    expect(changes.map((c) => [c.event, c.device.id, c.device.present])).toEqual([
      ['updated', 'b', true],
      ['added', 'd', true],
      ['removed', 'a', false],
    ]);
  });
  it('a device going not-present is removed, coming back is added', () => {
    expect(diffDevices(byId(dev('a')), byId(dev('a', { present: false })))).toEqual([{ event: 'removed', device: dev('a', { present: false }) }]);
    expect(diffDevices(byId(dev('a', { present: false })), byId(dev('a')))).toEqual([{ event: 'added', device: dev('a') }]);
    expect(diffDevices(byId(dev('a', { present: false })), byId(dev('a', { present: false })))).toEqual([]);
  });
});

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
