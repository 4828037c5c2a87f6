import { describe, expect, it } from 'vitest';
import { humanDeviceLine, numberedDeviceLines } from '../../../../../electron/cli/commands/discover';
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
});
