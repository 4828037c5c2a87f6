import { connect } from 'node:net';
import { describe, it, expect } from 'vitest';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityFileFromSshConfig } from '../../../../../electron/services/ssh/ssh-config';
import { parseAddress } from '../../../../../electron/services/ssh/target';

describe('~/.ssh/config host mbl-device', () => {
  it('finds the IdentityFile of the mbl-device block and expands ~', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pws-home-'));
    await mkdir(join(home, '.ssh'));
    await writeFile(
      join(home, '.ssh', 'config'),
      'Host other\n  IdentityFile ~/.ssh/other\n\nHost mbl-device\r\n  User root\r\n  IdentityFile=~/.ssh/mbl_key\r\n',
    );
    expect(await identityFileFromSshConfig(home, 'mbl-device')).toBe(join(home, '.ssh/mbl_key'));
    expect(await identityFileFromSshConfig(home, 'nope')).toBeUndefined();
  });
  it('is undefined without a config file', async () => {
    expect(await identityFileFromSshConfig(await mkdtemp(join(tmpdir(), 'pws-home-')), 'mbl-device')).toBeUndefined();
  });
});

describe('SSH targets from ADDRESS', () => {
  it('keeps the IPv6 scope for node-ssh and the port', () => {
    expect(parseAddress('[fe80::1%eth0]:2222')).toEqual({
      ok: true,
      value: { address: '[fe80::1%eth0]:2222', host: 'fe80::1%eth0', port: 2222, kind: 'ipv6' },
    });
    expect(parseAddress('169.254.20.3')).toMatchObject({ ok: true, value: { host: '169.254.20.3', port: 22, kind: 'ipv4' } });
    expect(parseAddress('fe80::1')).toMatchObject({ ok: false, code: 'invalid-address' });
  });
});

describe('connect errors say what to check', () => {
  it('tells refused logins, refused ports and silent hosts apart', async () => {
    const { classifyConnectError } = await import('../../../../../electron/services/ssh/connection');
    const t = parseAddress('169.254.20.3');
    if (!t.ok) throw new Error(t.message);
    expect(
      classifyConnectError(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), t.value),
    ).toMatchObject({
      code: 'auth-refused',
      message: expect.stringMatching(/development image.*production image.*mbl-device/),
    });
    expect(classifyConnectError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), t.value).message).toMatch(
      /nothing accepts SSH on port 22/,
    );
    expect(classifyConnectError(new Error('Timed out while waiting for handshake'), t.value)).toMatchObject({
      code: 'unreachable',
      message: expect.stringMatching(/check the cable or network/),
    });
    expect(classifyConnectError(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), t.value).message).toMatch(/does not resolve/);
  });

  it('names an interface after % that this computer does not have, from the error a real connect gives', async () => {
    const { classifyConnectError } = await import('../../../../../electron/services/ssh/connection');
    const t = parseAddress('fe80::1%nosuch0');
    if (!t.ok) throw new Error(t.message);
    const err = await new Promise<Error>((resolve) => connect({ host: t.value.host, port: 22 }).on('error', resolve));
    expect(classifyConnectError(err, t.value, () => ['lo', 'eth0'])).toEqual({
      code: 'unreachable',
      message: 'fe80::1%nosuch0: this computer has no network interface "nosuch0" (it has lo, eth0): after the % give the interface the board is connected to',
    });
    const withPort = parseAddress('[fe80::1%nosuch0]:2222');
    if (!withPort.ok) throw new Error(withPort.message);
    expect(classifyConnectError(err, withPort.value, () => ['lo', 'eth0']).message).toMatch(
      /^\[fe80::1%nosuch0\]:2222: this computer has no network interface "nosuch0"/,
    );
    expect(classifyConnectError(err, t.value, () => ['lo', 'nosuch0']).message).toMatch(/is unreachable over SSH \(EINVAL\)/);
  });
});
