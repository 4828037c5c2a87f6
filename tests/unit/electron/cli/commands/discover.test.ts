import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { humanDeviceLine, numberedDeviceLines } from '../../../../../electron/cli/commands/discover';
import { runCli } from '../../../../../electron/cli/main';
import type { Core } from '../../../../../electron/services/core';
import type { DeviceChange } from '../../../../../shared/domain/devices';
import { announcedDevice } from '../../../../support/devices';

const device = (name: string) => announcedDevice(name, { addresses: ['169.254.20.1'] });

describe('pws discover, one line per device', () => {
  it('lists a board by name and addresses, numbered as mbl-cli did', () => {
    expect(humanDeviceLine(device('mbed-linux-os-1'), 1)).toBe('1: mbed-linux-os-1 (169.254.20.1)');
  });

  it('says which letters of a name are not plain ASCII, since a Cyrillic е reads as a Latin e', () => {
    expect(humanDeviceLine(device('mb\u0435d-linux-os-1'), 2)).toBe('2: mb\u0435d-linux-os-1 (169.254.20.1) [not plain ASCII: \u0435 U+0435]');
  });

  it('marks names that read like another listed board’s, such as a capital I for an l', () => {
    const lines = numberedDeviceLines([device('mbed-Iinux-os-1'), device('mbed-linux-os-1'), device('mbed-linux-os-2')]).split('\n');
    expect(lines).toEqual([
      '1: mbed-Iinux-os-1 (169.254.20.1) [reads like mbed-linux-os-1]',
      '2: mbed-linux-os-1 (169.254.20.1) [reads like mbed-Iinux-os-1]',
      '3: mbed-linux-os-2 (169.254.20.1)',
    ]);
  });

  it('--watch marks a board that appears with a name reading like one already listed', async () => {
    const real = device('mbed-linux-os-1');
    let publish: (c: DeviceChange) => void = () => {};
    const discovery = {
      start: async () => ({ ok: true, value: undefined }),
      snapshot: () => [real],
      health: () => ({ sending: 'ok', sendError: null }),
      onHealth: () => () => {},
      onChange: (l: (c: DeviceChange) => void) => {
        publish = l;
        return () => {};
      },
    };
    const core = { services: { discovery }, close: async () => {} } as unknown as Core;
    const out: string[] = [];
    const stdout = new PassThrough().on('data', (c) => out.push(String(c)));
    const watching = runCli(
      { argv: ['discover', '--watch', '--timeout', '1'], env: {}, stdout, stderr: new PassThrough(), stdin: new PassThrough() },
      () => core,
    );
    while (!out.length) await new Promise((r) => setTimeout(r, 10));
    publish({ event: 'added', device: device('mbed-linux-os-2') });
    publish({ event: 'added', device: device('mbed-Iinux-os-1') });
    expect(await watching).toBe(0);
    expect(out.join('').split('\n')).toEqual([
      '+ mbed-linux-os-1 (169.254.20.1)',
      '+ mbed-linux-os-2 (169.254.20.1)',
      '+ mbed-Iinux-os-1 (169.254.20.1) [reads like mbed-linux-os-1]',
      '',
    ]);
  });
});
