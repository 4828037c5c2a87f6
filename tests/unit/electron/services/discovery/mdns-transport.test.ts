import { EventEmitter } from 'node:events';
import type { Socket as DgramSocket } from 'node:dgram';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBonjourTransport, literalLookup, toIncomingRecords, type MdnsTransport } from '../../../../../electron/services/discovery/mdns-transport';
import { silentLogger } from '../../../../../electron/services/log';

/**
 * A fake bonjour-service (binding real mDNS sockets is the lab's job): it records each socket the transport opens,
 * in order, and the test says when it is ready. The dgram socket is the transport's own, with `send` recorded.
 */
const opened: Array<{ family: 4 | 6; mdns: EventEmitter; sent: Array<[Buffer, string]> }> = [];
vi.mock('bonjour-service', () => ({
  Bonjour: class {
    server: { mdns: EventEmitter };
    constructor(options: { type?: string; socket: DgramSocket }) {
      const mdns = new EventEmitter();
      const sent: Array<[Buffer, string]> = [];
      options.socket.send = ((packet: Buffer, _port: number, to: string, cb: (err: Error | null) => void) => {
        sent.push([packet, to]);
        cb(null);
      }) as DgramSocket['send'];
      opened.push({ family: options.type === 'udp6' ? 6 : 4, mdns, sent });
      this.server = { mdns };
    }
    destroy(cb?: () => void) {
      cb?.();
    }
  },
}));

const info = (address: string, family: 'IPv4' | 'IPv6', netmask: string) => ({ address, family, netmask, internal: false, mac: '', cidr: null }) as never;

describe('createBonjourTransport: the first query does not wait for the slowest socket', () => {
  let transport: MdnsTransport | undefined;
  afterEach(async () => {
    await transport?.stop();
    opened.length = 0;
  });

  function startOn(table: Record<string, unknown[]>) {
    transport = createBonjourTransport({ log: silentLogger, interfaces: () => table as never, pollMs: 3_600_000 });
    const results: Array<[string, 4 | 6, Error | null]> = [];
    return { results, started: transport.start({ onResponse() {}, onSendResult: (link, family, err) => results.push([link, family, err]) }) };
  }

  it('sends on each socket as soon as that one is ready, not once every socket is', async () => {
    const { started, results } = startOn({ eth0: [info('169.254.99.1', 'IPv4', '255.255.0.0'), info('fe80::1%eth0', 'IPv6', 'ffff:ffff:ffff:ffff::')] });
    await started;
    expect(opened.map((s) => s.family)).toEqual([4, 6]);
    expect(transport!.links()).toEqual(['eth0']);
    const query = Buffer.from('first query');
    transport!.send('eth0', [query]);
    expect(opened.map((s) => s.sent)).toEqual([[], []]);
    opened[0]!.mdns.emit('ready');
    expect(opened.map((s) => s.sent)).toEqual([[[query, '224.0.0.251']], []]);
    opened[1]!.mdns.emit('ready');
    expect(opened[1]!.sent).toEqual([[query, 'ff02::fb']]);
    expect(results).toEqual([
      ['eth0', 4, null],
      ['eth0', 6, null],
    ]);

    const second = Buffer.from('second query');
    transport!.send('eth0', [second]);
    expect(opened.map((s) => s.sent.length)).toEqual([2, 2]);
  });

  it('an IPv6-only interface gets the queries sent while its socket was opening', async () => {
    const { started } = startOn({ usb0: [info('fe80::2%usb0', 'IPv6', 'ffff:ffff:ffff:ffff::')] });
    await started;
    const query = Buffer.from('browse');
    transport!.send('usb0', [query]);
    expect(opened.map((s) => s.family)).toEqual([6]);
    opened[0]!.mdns.emit('ready');
    expect(opened[0]!.sent).toEqual([[query, 'ff02::fb']]);
  });

  it('a socket that fails to open drops what waited for it', async () => {
    const { started } = startOn({ eth0: [info('169.254.99.1', 'IPv4', '255.255.0.0')] });
    await started;
    transport!.send('eth0', [Buffer.from('browse')]);
    opened[0]!.mdns.emit('error', new Error('EADDRINUSE'));
    opened[0]!.mdns.emit('ready');
    expect(opened[0]!.sent).toEqual([]);
  });
});

describe('literalLookup (the sockets only use addresses the transport wrote)', () => {
  it('hands the address back as it is, with the socket family, asynchronously as a lookup does', async () => {
    const lookup = literalLookup(6);
    let sync = true;
    const got = await new Promise((resolve) => {
      lookup('::%eth0', 6, (err, address, family) => resolve({ err, address, family, sync }));
      sync = false;
    });
    expect(got).toEqual({ err: null, address: '::%eth0', family: 6, sync: false });
  });
});

describe('toIncomingRecords (multicast-dns records → cache records)', () => {
  it('keeps PTR/SRV/TXT/A/AAAA with TTL and flush bit, decodes TXT buffers, skips the rest', () => {
    const records = toIncomingRecords([
      { type: 'PTR', name: '_ssh._tcp.local', ttl: 4500, class: 'IN', flush: false, data: 'b._ssh._tcp.local' },
      { type: 'TXT', name: 'b._ssh._tcp.local', ttl: 4500, class: 'IN', flush: true, data: [Buffer.from('mblos'), Buffer.from('')] },
      { type: 'SRV', name: 'b._ssh._tcp.local', ttl: 120, class: 'IN', flush: true, data: { target: 'b.local', port: 22, priority: 0, weight: 0 } },
      { type: 'AAAA', name: 'b.local', ttl: 120, class: 'IN', flush: true, data: 'fe80::1' },
      { type: 'A', name: 'b.local', ttl: 0, class: 'IN', flush: true, data: '169.254.1.1' },
      { type: 'NSEC', name: 'b.local', ttl: 120, class: 'IN', data: {} },
      { type: 'SRV', name: 'broken', ttl: 120, data: {} },
    ]);
    expect(records).toEqual([
      { type: 'PTR', name: '_ssh._tcp.local', data: 'b._ssh._tcp.local', ttl: 4500, flush: false },
      { type: 'TXT', name: 'b._ssh._tcp.local', data: ['mblos'], ttl: 4500, flush: true },
      { type: 'SRV', name: 'b._ssh._tcp.local', data: { target: 'b.local', port: 22 }, ttl: 120, flush: true },
      { type: 'AAAA', name: 'b.local', data: 'fe80::1', ttl: 120, flush: true },
      { type: 'A', name: 'b.local', data: '169.254.1.1', ttl: 0, flush: true },
    ]);
  });

  it('reads TXT strings as UTF-8, with a replacement character for bytes that are not, from any byte array', () => {
    const txt = (data: unknown) => toIncomingRecords([{ type: 'TXT', name: 'b._ssh._tcp.local', ttl: 120, data }])[0]!.data;
    expect(txt([Buffer.from('név=é'), Uint8Array.of(0xff, 0x61), 'plain', 7])).toEqual(['név=é', '\ufffda', 'plain']);
    expect(txt(Buffer.from('mblos'))).toEqual(['mblos']);
  });
});
