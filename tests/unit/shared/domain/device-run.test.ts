import { describe, expect, it } from 'vitest';
import { announcedTwins, deviceRefOf, onePerBoard, queuedDeviceRun, sameBoard } from '../../../../shared/domain/device-run';
import { announcedDevice } from '../../../support/devices';

describe('queuedDeviceRun', () => {
  it('lists a device by its key, queued with nothing done yet, with its hostname when it has one', () => {
    expect(queuedDeviceRun({ address: '169.254.10.1', id: 'mdns:eth0:board-1', hostname: 'board-1.local' })).toEqual({
      device: 'mdns:eth0:board-1',
      address: '169.254.10.1',
      hostname: 'board-1.local',
      state: 'queued',
      stage: 'queued',
      message: 'waiting',
      durationMs: 0,
      stages: [],
      log: [],
    });
    expect(queuedDeviceRun({ address: '169.254.10.2' })).not.toHaveProperty('hostname');
  });
});

describe('sameBoard and onePerBoard', () => {
  const announced = {
    address: 'fe80::a%pws-br',
    id: 'mdns:mbed-linux-os-1001@pws-br',
    hostname: 'mbed-linux-os-1001',
    addresses: ['fe80::a%pws-br', '10.77.0.11'],
  };

  it('knows an announced board given again by one of its addresses or by its .local name', () => {
    expect(sameBoard(announced, { address: '10.77.0.11', id: 'manual:10.77.0.11', hostname: '10.77.0.11', addresses: ['10.77.0.11'] })).toBe(true);
    expect(sameBoard(announced, { address: '10.77.0.11:22' })).toBe(true);
    expect(sameBoard(announced, { address: 'FE80::A%pws-br' })).toBe(true);
    expect(sameBoard(announced, { address: 'mbed-linux-os-1001.local' })).toBe(true);
    expect(sameBoard({ address: 'mbed-linux-os-1001.local', addresses: ['10.77.0.11'] }, { address: '10.77.0.11' })).toBe(true);
  });

  it('keeps boards apart that only look alike', () => {
    expect(sameBoard(announced, { address: '10.77.0.11:2222' })).toBe(false);
    expect(sameBoard(announced, { address: 'fe80::a%other' })).toBe(false);
    expect(sameBoard(announced, { address: '10.77.0.12' })).toBe(false);
    // Every USB-gadget board may answer at 192.168.7.2: discovery tells them apart by name and link, never by it.
    const gadget = (n: number) => ({
      address: `fe80::1%usb${n}`,
      id: `mdns:board-${n}@usb${n}`,
      hostname: `board-${n}`,
      addresses: [`fe80::1%usb${n}`, '192.168.7.2'],
    });
    expect(sameBoard(gadget(0), gadget(1))).toBe(false);
  });

  it('keeps the announced reference of a board given twice, and says which one it dropped', () => {
    const byAddress = { address: '10.77.0.11' };
    const other = { address: '10.77.0.12' };
    const { refs, repeats } = onePerBoard([byAddress, other, announced]);
    expect(refs).toEqual([announced, other]);
    expect(repeats).toEqual([{ kept: announced, repeat: byAddress }]);
  });
});

describe('announcedTwins: boards listed twice', () => {
  const six = announcedDevice('mbed-linux-os-6', { addresses: ['fe80::6%eth0', '169.254.20.6'] });
  const typed = (address: string, over = {}) =>
    announcedDevice(address, { id: `manual:${address}`, source: 'manual', hostname: address, addresses: [address], interface: null, ...over });

  it('pairs a board added by address with the announced board it reaches', () => {
    const byV4 = typed('169.254.20.6');
    const byName = typed('mbed-linux-os-6.local', { addresses: [] });
    const elsewhere = typed('169.254.20.7');
    const twins = announcedTwins([six, byV4, byName, elsewhere]);
    expect([...twins]).toEqual([
      [byV4.id, six],
      [byName.id, six],
    ]);
  });

  it('pairs nothing with a board that has gone, or on another port', () => {
    expect(announcedTwins([{ ...six, present: false }, typed('169.254.20.6')]).size).toBe(0);
    expect(announcedTwins([six, typed('169.254.20.6', { port: 2222 })]).size).toBe(0);
  });

  it('hands a listed device to a run by its address, with its id, host name and addresses', () => {
    expect(deviceRefOf({ ...six, port: 2222 })).toEqual({
      address: '[fe80::6%eth0]:2222',
      id: six.id,
      hostname: 'mbed-linux-os-6',
      addresses: ['fe80::6%eth0', '169.254.20.6'],
    });
  });
});
