import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { linkForIpv4Sender, linkForIpv6Sender, linksOf } from '../../../../../electron/services/discovery/network-links';

const v4 = (address: string, netmask = '255.255.0.0', internal = false) =>
  ({ address, netmask, family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: null }) as unknown as NetworkInterfaceInfo;
const v6 = (address: string, internal = false) =>
  ({ address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:00', internal, cidr: null, scopeid: 2 }) as unknown as NetworkInterfaceInfo;

describe('network links', () => {
  const links = linksOf({
    lo: [v4('127.0.0.1', '255.0.0.0', true), v6('::1', true)],
    eth0: [v4('169.254.99.1'), v6('fe80::1')],
    enx7c8bca12130a: [v6('fe80::2')],
    wlan0: [v4('192.168.1.20', '255.255.255.0')],
  });

  it('lists non-loopback interfaces, with IPv4 and IPv6 noted', () => {
    expect(links).toEqual([
      { name: 'enx7c8bca12130a', hasIpv6: true },
      { name: 'eth0', hasIpv6: true, ipv4: { address: '169.254.99.1', netmask: '255.255.0.0' } },
      { name: 'wlan0', hasIpv6: false, ipv4: { address: '192.168.1.20', netmask: '255.255.255.0' } },
    ]);
  });

  it('attributes an IPv4 sender to the interface whose subnet holds it', () => {
    expect(linkForIpv4Sender('169.254.20.3', links, 'wlan0')).toBe('eth0');
    expect(linkForIpv4Sender('192.168.1.7', links, 'eth0')).toBe('wlan0');
    expect(linkForIpv4Sender('10.0.0.1', links, 'wlan0')).toBe('wlan0');
    expect(linkForIpv4Sender('10.0.0.1', links.filter((l) => l.name !== 'wlan0'), 'x')).toBe('eth0');
  });

  it('returns every candidate when the subnet is on several interfaces (two gadget boards on 169.254/16)', () => {
    const gadgets = linksOf({ enxaa: [v4('169.254.1.1'), v6('fe80::1')], enxbb: [v4('169.254.2.2'), v6('fe80::1')] });
    expect(linkForIpv4Sender('169.254.9.9', gadgets, 'enxaa')).toEqual(['enxaa', 'enxbb']);
  });

  it('takes an IPv6 sender\'s interface from its %scope', () => {
    expect(linkForIpv6Sender('fe80::70:77ff:fe00:109%enx7c8bca12130a', 'eth0')).toBe('enx7c8bca12130a');
    expect(linkForIpv6Sender('2001:db8::1', 'eth0')).toBe('eth0');
  });
});
