import { describe, expect, it } from 'vitest';
import {
  canonicalIpv6,
  formatAddress,
  isLinkLocalIpv6,
  manualDeviceId,
  mdnsDeviceId,
  parseAddress,
  withScope,
  type ParsedAddress,
} from '../../../../shared/domain/address';

const parsed = (s: string): ParsedAddress => {
  const r = parseAddress(s);
  if (!r.ok) throw new Error(`expected ${s} to parse: ${r.message}`);
  return r.address;
};
const error = (s: string, field?: string): string => {
  const r = parseAddress(s, field);
  if (r.ok) throw new Error(`expected ${s} to be refused, got ${JSON.stringify(r.address)}`);
  return r.message;
};

describe('parseAddress: accepted forms', () => {
  it.each([
    ['169.254.20.3', { kind: 'ipv4', host: '169.254.20.3' }],
    ['169.254.20.3:2222', { kind: 'ipv4', host: '169.254.20.3', port: 2222 }],
    ['  10.0.0.1  ', { kind: 'ipv4', host: '10.0.0.1' }],
    ['0.0.0.0', { kind: 'ipv4', host: '0.0.0.0' }],
    ['fe80::1%eth0', { kind: 'ipv6', host: 'fe80::1%eth0', scope: 'eth0' }],
    ['FE80:0:0:0:0070:77FF:FE00:0101%enx7c8bca12130a', { kind: 'ipv6', host: 'fe80::70:77ff:fe00:101%enx7c8bca12130a', scope: 'enx7c8bca12130a' }],
    ['[fe80::1%eth0]:2222', { kind: 'ipv6', host: 'fe80::1%eth0', scope: 'eth0', port: 2222 }],
    ['[fe80::1%25eth0]:22', { kind: 'ipv6', host: 'fe80::1%eth0', scope: 'eth0', port: 22 }],
    ['[2001:db8::1]', { kind: 'ipv6', host: '2001:db8::1' }],
    ['2001:DB8:0:0:1:0:0:1', { kind: 'ipv6', host: '2001:db8::1:0:0:1' }],
    ['::1', { kind: 'ipv6', host: '::1' }],
    ['::ffff:169.254.1.2', { kind: 'ipv6', host: '::ffff:a9fe:102' }],
    ['fe80::1%3', { kind: 'ipv6', host: 'fe80::1%3', scope: '3' }],
    ['mbed-linux-os-12.local', { kind: 'hostname', host: 'mbed-linux-os-12.local' }],
    ['Board.Local.:2200', { kind: 'hostname', host: 'board.local', port: 2200 }],
    ['localhost', { kind: 'hostname', host: 'localhost' }],
  ])('%s', (input, expected) => {
    expect(parsed(input)).toEqual(expected);
  });
});

describe('parseAddress: refused forms name the field and say what to do', () => {
  it.each([
    ['', /address is empty/],
    ['fe80::1', /link-local address without an interface: add %iface, e.g. fe80::1%eth0/],
    ['[fe80::1]:22', /without an interface/],
    ['256.1.1.1', /not a valid IPv4 address/],
    ['169.254.020.3', /not a valid IPv4 address/],
    ['1.2.3', /not a valid IPv4 address/],
    ['10.0.0.1:0', /invalid port "0"/],
    ['10.0.0.1:70000', /invalid port "70000"/],
    ['10.0.0.1:', /invalid port ""/],
    ['board.local:ssh', /invalid port "ssh"/],
    ['[fe80::1%eth0', /unclosed "\["/],
    ['[fe80::1%eth0]:x', /invalid port "x"/],
    ['1:2:3:4:5:6:7:8:9', /not a valid IPv6 address/],
    ['fe80:::1%eth0', /not a valid IPv6 address/],
    ['fe80::1%', /not a valid IPv6 address|invalid interface scope/],
    ['fe80::1%eth 0', /contains spaces/],
    ['10.0.0.1%eth0', /only IPv6 addresses take a %iface scope/],
    ['-bad-.local', /not an IPv4 or IPv6 address or a valid host name/],
    ['under_score.local', /valid host name/],
    [':22', /a port but no host/],
    ['fe80::1%eth0:2222', /with a port goes in brackets, e.g. \[fe80::1%eth0\]:2222/],
  ])('%j', (input, message) => {
    expect(error(input)).toMatch(message);
  });

  it('uses the given field name', () => {
    expect(error('fe80::1', '--device')).toMatch(/^--device "fe80::1"/);
    expect(error('', 'address')).toMatch(/^address is empty/);
  });
});

describe('formatting and ids', () => {
  it('formats back to ADDRESS text, brackets only with a port, port 22 dropped', () => {
    expect(formatAddress(parsed('[fe80::1%eth0]:2222'))).toBe('[fe80::1%eth0]:2222');
    expect(formatAddress(parsed('[fe80::1%eth0]:22'))).toBe('fe80::1%eth0');
    expect(formatAddress(parsed('[fe80::1%eth0]:22'), { keepDefaultPort: true })).toBe('[fe80::1%eth0]:22');
    expect(formatAddress(parsed('169.254.20.3:2222'))).toBe('169.254.20.3:2222');
    expect(formatAddress(parsed('board.local'))).toBe('board.local');
  });

  it('gives one id to every spelling of the same manual address', () => {
    const ids = ['169.254.20.3', '169.254.20.3:22', ' 169.254.20.3 '].map((s) => manualDeviceId(parsed(s)));
    expect(new Set(ids)).toEqual(new Set(['manual:169.254.20.3']));
    expect(manualDeviceId(parsed('FE80:0::1%eth0'))).toBe(manualDeviceId(parsed('[fe80::1%eth0]:22')));
    expect(manualDeviceId(parsed('fe80::1%eth0'))).not.toBe(manualDeviceId(parsed('fe80::1%eth1')));
  });

  it('keys mDNS devices by instance and interface', () => {
    expect(mdnsDeviceId('mbed-linux-os-1', 'eth0')).toBe('mdns:mbed-linux-os-1@eth0');
    expect(mdnsDeviceId('mbed-linux-os-1', 'eth0')).not.toBe(mdnsDeviceId('mbed-linux-os-1', 'enx1'));
  });

  it('canonicalises IPv6 per RFC 5952 and scopes only link-local addresses', () => {
    expect(canonicalIpv6('2001:0db8:0000:0000:0001:0000:0000:0001')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIpv6('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalIpv6('0:0:0:0:0:0:0:0')).toBe('::');
    expect(isLinkLocalIpv6('febf::1')).toBe(true);
    expect(isLinkLocalIpv6('fec0::1')).toBe(false);
    expect(withScope('FE80::1', 'eth0')).toBe('fe80::1%eth0');
    expect(withScope('fe80::1%usb0', 'eth0')).toBe('fe80::1%usb0');
    expect(withScope('2001:db8::1', 'eth0')).toBe('2001:db8::1');
    expect(withScope('169.254.1.1', 'eth0')).toBe('169.254.1.1');
  });
});
