import { describe, expect, it } from 'vitest';
import { toIncomingRecords } from '../../../../../electron/services/discovery/mdns-transport';

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
});
