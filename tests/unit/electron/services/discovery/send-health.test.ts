import { describe, expect, it } from 'vitest';
import { SendHealth } from '../../../../../electron/services/discovery/send-health';

const err = (code: string) => Object.assign(new Error(`send ${code}`), { code });

describe('SendHealth', () => {
  it('is idle before any send, ok while any socket can send, refused or failing when none can', () => {
    const h = new SendHealth();
    expect(h.summary()).toEqual({ sending: 'idle', sendError: null });
    expect(h.record('eth0', 4, null)).toEqual({ worked: false, works: true });
    expect(h.record('eth0', 6, err('EADDRNOTAVAIL'))).toEqual({ worked: true, works: true }); // IPv4 still sends
    expect(h.summary()).toEqual({ sending: 'ok', sendError: null });
    expect(h.record('eth0', 4, err('EHOSTUNREACH'))).toEqual({ worked: true, works: false });
    expect(h.summary()).toEqual({ sending: 'refused', sendError: 'EHOSTUNREACH on eth0' }); // the refusal is what to report
    const down = new SendHealth();
    down.record('wlan0', 4, err('ENETUNREACH'));
    expect(down.summary()).toEqual({ sending: 'failing', sendError: 'ENETUNREACH on wlan0' });
    down.forgetLink('wlan0');
    expect(down.summary().sending).toBe('idle');
  });
});
