import { describe, it, expect } from 'vitest';
import type { CliContext } from '../../../../electron/cli/command';
import { announcedDevice } from '../../../support/devices';
import { concurrencyFlag, resolveDevices } from '../../../../electron/cli/device-args';

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
    expect(await resolveDevices(ctx({ device: ['169.254.20.3', 'board.local'] }), { allowSelected: false })).toEqual([
      { address: '169.254.20.3' },
      { address: 'board.local' },
    ]);
    await expect(resolveDevices(ctx({ device: ['169.254.20.3'], all: true }), { allowSelected: false })).rejects.toMatchObject({ exitCode: 2 });
    await expect(resolveDevices(ctx({}), { allowSelected: false })).rejects.toThrow('name the devices: --device ADDRESS (one or more) or --all');
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
