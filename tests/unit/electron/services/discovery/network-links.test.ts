import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { linkForSender, linksOf, localAddresses } from '../../../../../electron/services/discovery/network-links';

const v4 = (address: string, netmask = '255.255.0.0', internal = false) =>
  ({ address, netmask, family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: null }) as unknown as NetworkInterfaceInfo;
const v6 = (address: string, internal = false) =>
  ({
    address,
    netmask: 'ffff:ffff:ffff:ffff::',
    family: 'IPv6',
    mac: '00:00:00:00:00:00',
    internal,
    cidr: null,
    scopeid: 2,
  }) as unknown as NetworkInterfaceInfo;

describe('network links', () => {
  const links = linksOf({
    lo: [v4('127.0.0.1', '255.0.0.0', true), v6('::1', true)],
    eth0: [v4('169.254.99.1'), v6('fe80::1')],
    enx7c8bca12130a: [v6('fe80::2')],
    wlan0: [v4('192.168.1.20', '255.255.255.0')],
  });

  it('lists non-loopback interfaces, with IPv4 and IPv6 noted and every subnet', () => {
    expect(links.map((l) => [l.name, l.hasIpv6, l.ipv4?.address])).toEqual([
      ['enx7c8bca12130a', true, undefined],
      ['eth0', true, '169.254.99.1'],
      ['wlan0', false, '192.168.1.20'],
    ]);
    expect(links[1]!.subnets).toEqual([
      { address: '169.254.99.1', netmask: '255.255.0.0' },
      { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::' },
    ]);
  });

  it('attributes a sender to the interface whose subnet holds it', () => {
    expect(linkForSender('169.254.20.3', links, 'wlan0')).toBe('eth0');
    expect(linkForSender('192.168.1.7', links, 'eth0')).toBe('wlan0');
  });

  it('drops a sender that is on no link (RFC 6762 §11): a routed or forged source is undefined', () => {
    expect(linkForSender('10.0.0.1', links, 'wlan0')).toBeUndefined();
    expect(linkForSender('192.168.2.7', links, 'wlan0')).toBeUndefined();
    expect(linkForSender('2001:db8::1', links, 'eth0')).toBeUndefined();
    expect(linkForSender('not an address', links, 'eth0')).toBeUndefined();
  });

  it('accepts an IPv6 sender in an on-link prefix, and an IPv4 link-local one outside every subnet', () => {
    const withPrefix = linksOf({
      eth0: [v4('192.168.1.2', '255.255.255.0'), { ...v6('2001:db8:1::2'), netmask: 'ffff:ffff:ffff:ffff::' } as NetworkInterfaceInfo],
    });
    expect(linkForSender('2001:db8:1::99', withPrefix, 'x')).toBe('eth0');
    expect(linkForSender('2001:db8:2::99', withPrefix, 'x')).toBeUndefined();
    // 169.254/16 is link-local by definition, though this workstation has a 192.168 address only
    expect(linkForSender('169.254.7.7', withPrefix, 'x')).toBe('eth0');
  });

  it('returns every candidate when the subnet is on several interfaces (two gadget boards on 169.254/16)', () => {
    const gadgets = linksOf({ enxaa: [v4('169.254.1.1'), v6('fe80::1')], enxbb: [v4('169.254.2.2'), v6('fe80::1')] });
    expect(linkForSender('169.254.9.9', gadgets, 'enxaa')).toEqual(['enxaa', 'enxbb']);
  });

  it("takes an IPv6 link-local sender's interface from its %scope", () => {
    expect(linkForSender('fe80::70:77ff:fe00:109%enx7c8bca12130a', links, 'eth0')).toBe('enx7c8bca12130a');
    expect(linkForSender('fe80::70:77ff:fe00:109%gone0', links, 'eth0')).toBe('eth0');
  });

  it("knows the machine's own addresses, so its own queries are not taken for another host's", () => {
    expect(localAddresses({ lo: [v4('127.0.0.1', '255.0.0.0', true)], eth0: [v4('169.254.99.1'), v6('FE80::1%eth0')] })).toEqual(
      new Set(['127.0.0.1', '169.254.99.1', 'fe80::1']),
    );
  });
});
