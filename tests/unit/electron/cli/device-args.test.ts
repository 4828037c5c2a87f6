import { describe, it, expect } from 'vitest';
import type { CliContext } from '../../../../electron/cli/command';
import { announcedDevice } from '../../../support/devices';
import { concurrencyFlag, resolveDevices } from '../../../../electron/cli/device-args';
import { fail, ok } from '../../../../shared/contract/result';
import { onePerBoard } from '../../../../shared/domain/device-run';

const ctx = (values: CliContext['values']) => ({ values, json: true }) as unknown as CliContext;

describe('device arguments of pws commands', () => {
  it('--concurrency takes a whole number from 1 to 64 and names the flag otherwise', () => {
    expect(concurrencyFlag(ctx({}))).toBeUndefined();
    expect(concurrencyFlag(ctx({ concurrency: '8' }))).toBe(8);
    expect(concurrencyFlag(ctx({ concurrency: '64' }))).toBe(64);
    for (const bad of ['0', '65', '1.5', '-2', 'eight', ''])
      expect(() => concurrencyFlag(ctx({ concurrency: bad }))).toThrow(`--concurrency: "${bad}" must be a whole number from 1 to 64`);
  });

  it('--device names devices; with --all as well it is a usage error', async () => {
    expect(await resolveDevices(ctx({ device: ['board.local'] }), { allowSelected: false })).toEqual([{ address: 'board.local' }]);
    await expect(resolveDevices(ctx({ device: ['169.254.20.3'], all: true }), { allowSelected: false })).rejects.toMatchObject({ exitCode: 2 });
    await expect(resolveDevices(ctx({}), { allowSelected: false })).rejects.toThrow('name the devices: --device ADDRESS (one or more) or --all');
  });

  it('a --device that is no address is a usage error naming the flag, before anything is resolved or connected', async () => {
    for (const [bad, message] of [
      ['fe80::1', '--device "fe80::1" is an IPv6 link-local address without an interface: add %iface'],
      ['192.0.2.1:0', '--device "192.0.2.1:0" has an invalid port "0"'],
      ['http://192.0.2.1', '--device "http://192.0.2.1" is a URL: give just the address or host name'],
    ]) {
      const given = resolveDevices(ctx({ device: ['169.254.20.3', bad!] }), { allowSelected: false });
      await expect(given, bad).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining(message!) });
    }
  });

  it('several --device flags: each host name carries the addresses it resolves to, so a board named twice is found', async () => {
    const asked: string[] = [];
    const resolveHost = async (host: string) => {
      asked.push(host);
      return host === 'board-6.local' ? ok(['fe80::6%eth0', '169.254.20.6']) : fail('unresolvable-address', `"${host}" does not resolve`);
    };
    const withCore = {
      ...ctx({ device: ['169.254.20.6', 'board-6.local', 'gone.local', 'fe80::7%eth0'] }),
      core: () => ({ services: { discovery: { resolveHost } } }),
    };
    const refs = await resolveDevices(withCore as unknown as CliContext, { allowSelected: false });
    expect(refs).toEqual([
      { address: '169.254.20.6' },
      { address: 'board-6.local', addresses: ['fe80::6%eth0', '169.254.20.6'] },
      { address: 'gone.local' }, // fails in the run, with the reason
      { address: 'fe80::7%eth0' },
    ]);
    expect(asked.sort()).toEqual(['board-6.local', 'gone.local']); // addresses are not looked up
    // what the run then does with them: the board once, under the name given first
    const { refs: once, repeats } = onePerBoard(refs);
    expect(once.map((r) => r.address)).toEqual(['169.254.20.6', 'gone.local', 'fe80::7%eth0']);
    expect(repeats.map((r) => r.repeat.address)).toEqual(['board-6.local']);
  });

  it('--all reaches each announced board at the SSH port it announces', async () => {
    const found = [
      announcedDevice('board-1', { addresses: ['fe80::1%eth0', '169.254.20.1'] }),
      announcedDevice('board-2', { addresses: ['169.254.20.2'], port: 2222 }),
    ];
    const discovery = { discoverOnce: async () => ({ ok: true, value: found }), health: () => ({ sending: 'ok', sendError: null }) };
    const withCore = { ...ctx({ all: true }), signal: new AbortController().signal, core: () => ({ services: { discovery } }) } as unknown as CliContext;
    expect(await resolveDevices(withCore, { allowSelected: false })).toEqual([
      { address: 'fe80::1%eth0', id: 'mdns:board-1@eth0', hostname: 'board-1', addresses: ['fe80::1%eth0', '169.254.20.1'] },
      { address: '169.254.20.2:2222', id: 'mdns:board-2@eth0', hostname: 'board-2', addresses: ['169.254.20.2'] },
    ]);
  });
});
