import { describe, expect, it } from 'vitest';
import { addressIdentity, describeIdentity, deviceIdentities, identitiesForQuery, legacyIdentity } from '../../../../../electron/services/ssh/host-identity';

describe('host-key identities of a device', () => {
  it('holds the discovery id, the hostname and every address with its port', () => {
    expect(
      deviceIdentities({
        address: '169.254.20.3',
        id: 'mdns:Mbed-Linux-OS-3@eth0',
        hostname: 'Mbed-Linux-OS-3.local.',
        addresses: ['fe80::1%eth0', '169.254.20.3'],
      }),
    ).toEqual(['mdns:mbed-linux-os-3@eth0', 'host:mbed-linux-os-3', 'addr:169.254.20.3:22', 'addr:[fe80::1%eth0]:22']);
  });
  it('gives other addresses the port of the one connected to; a manual id adds nothing the address does not', () => {
    expect(deviceIdentities({ address: '[fe80::1%eth0]:2222', id: 'manual:[fe80::1%eth0]:2222', addresses: ['169.254.20.3'] })).toEqual([
      'addr:[fe80::1%eth0]:2222',
      'addr:169.254.20.3:2222',
    ]);
    expect(deviceIdentities({ address: 'Board.local' })).toEqual(['host:board']);
  });
  it('reads version-1 keys and user queries as identities', () => {
    expect(legacyIdentity('169.254.20.3')).toBe('addr:169.254.20.3:22');
    expect(legacyIdentity('[fe80::1%eth0]:2222')).toBe('addr:[fe80::1%eth0]:2222');
    expect(legacyIdentity('mbed-linux-os-7.local')).toBe('host:mbed-linux-os-7');
    expect(identitiesForQuery('mbed-linux-os-7')).toEqual({ exact: ['host:mbed-linux-os-7'], instance: 'mbed-linux-os-7' });
    expect(identitiesForQuery('169.254.20.3:22')).toEqual({ exact: ['addr:169.254.20.3:22'] });
    expect(addressIdentity('not an address')).toBeUndefined();
  });
  it('describes identities for messages', () => {
    expect(describeIdentity('mdns:mbed-linux-os-3@eth0')).toBe('mbed-linux-os-3 (mDNS on eth0)');
    expect(describeIdentity('host:mbed-linux-os-3')).toBe('mbed-linux-os-3 (hostname)');
    expect(describeIdentity('addr:169.254.20.3:22')).toBe('169.254.20.3:22');
  });
});
