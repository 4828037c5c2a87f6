import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { encodeQuery, MAX_QUERY_BYTES, type KnownAnswer } from '../../../../../electron/services/discovery/mdns-wire';

// dns-packet (under multicast-dns, which decodes every packet we receive) is the independent reader here.
interface Decoded {
  flag_tc: boolean;
  questions?: Array<{ name: string; type: string; class: string }>;
  answers?: Array<{ type: string; name: string; ttl: number; data?: unknown }>;
}
const { decode } = createRequire(import.meta.url)('dns-packet') as { decode(b: Buffer): Decoded };

const ptr = (i: number, ttl = 4000): KnownAnswer => ({ type: 'PTR', name: '_ssh._tcp.local', data: `board-${i}._ssh._tcp.local`, ttl });

describe('encodeQuery', () => {
  it('writes a question with the QU bit that dns-packet reads back, with id 0 and no flags', () => {
    const [p] = encodeQuery([{ name: '_ssh._tcp.local', type: 'PTR', unicast: true }]);
    expect(p!.toString('hex')).toBe(['000000000001000000000000', '045f737368', '045f746370', '056c6f63616c', '00', '000c', '8001'].join(''));
  });

  it('carries every kind of known answer, readable by dns-packet, with compressed names', () => {
    const known: KnownAnswer[] = [
      ptr(1, 4321),
      { type: 'SRV', name: 'board-1._ssh._tcp.local', data: { target: 'board-1.local', port: 22 }, ttl: 100 },
      { type: 'TXT', name: 'board-1._ssh._tcp.local', data: ['mblos', 'k=v'], ttl: 100 },
      { type: 'A', name: 'board-1.local', data: '169.254.20.1', ttl: 100 },
      { type: 'AAAA', name: 'board-1.local', data: 'fe80::70:77ff:fe00:101', ttl: 100 },
    ];
    const [p, ...rest] = encodeQuery([{ name: '_ssh._tcp.local', type: 'PTR' }], known);
    expect(rest).toEqual([]);
    const d = decode(p!);
    expect(d.questions).toEqual([{ name: '_ssh._tcp.local', type: 'PTR', class: 'IN' }]);
    expect(d.answers!.map((a) => [a.type, a.name, a.ttl, 'data' in a ? a.data : undefined])).toEqual([
      ['PTR', '_ssh._tcp.local', 4321, 'board-1._ssh._tcp.local'],
      ['SRV', 'board-1._ssh._tcp.local', 100, { priority: 0, weight: 0, port: 22, target: 'board-1.local' }],
      ['TXT', 'board-1._ssh._tcp.local', 100, [Buffer.from('mblos'), Buffer.from('k=v')]],
      ['A', 'board-1.local', 100, '169.254.20.1'],
      ['AAAA', 'board-1.local', 100, 'fe80::70:77ff:fe00:101'],
    ]);
    // _ssh._tcp.local is written once; later names point at it
    expect(p!.indexOf(Buffer.from('\u0004_ssh\u0004_tcp'))).toBe(p!.lastIndexOf(Buffer.from('\u0004_ssh\u0004_tcp')));
  });

  it('splits 1,000 known answers over packets of at most 1,400 bytes, TC on all but the last (RFC 6762 §7.2)', () => {
    const packets = encodeQuery(
      [{ name: '_ssh._tcp.local', type: 'PTR' }],
      Array.from({ length: 1000 }, (_, i) => ptr(i)),
    );
    expect(packets.length).toBeGreaterThan(10);
    expect(packets.length).toBeLessThan(30);
    const decoded = packets.map((p) => decode(p));
    expect(packets.every((p) => p.length <= MAX_QUERY_BYTES)).toBe(true);
    expect(decoded.map((d) => d.flag_tc)).toEqual([...new Array(packets.length - 1).fill(true), false]);
    expect(decoded[0]!.questions).toHaveLength(1);
    expect(decoded.slice(1).every((d) => d.questions!.length === 0)).toBe(true);
    expect(decoded.flatMap((d) => d.answers!.map((a) => ('data' in a ? a.data : '')))).toEqual(
      Array.from({ length: 1000 }, (_, i) => `board-${i}._ssh._tcp.local`),
    );
  });

  it('spreads many questions over independent packets (no TC: nothing follows them)', () => {
    const questions = Array.from({ length: 300 }, (_, i) => ({ name: `board-${i}.local`, type: 'A' as const }));
    const packets = encodeQuery(questions);
    expect(packets.length).toBeGreaterThan(1);
    expect(packets.every((p) => p.length <= MAX_QUERY_BYTES && !decode(p).flag_tc)).toBe(true);
    expect(packets.flatMap((p) => decode(p).questions!.map((q) => q.name))).toEqual(questions.map((q) => q.name));
  });
});
