import { beforeEach, describe, expect, it } from 'vitest';
import { usePreparedDevices } from '../../../../renderer/app/prepared-devices';

const announced = {
  ref: { address: 'fe80::6%pws-br', id: 'mdns:mbed-linux-os-6@pws-br', hostname: 'mbed-linux-os-6', addresses: ['fe80::6%pws-br', '10.77.0.16'] },
  label: 'mbed-linux-os-6',
};
const byAddress = { ref: { address: '10.77.0.16', id: 'manual:10.77.0.16', hostname: '10.77.0.16', addresses: ['10.77.0.16'] }, label: 'six-by-address' };
const other = { ref: { address: '10.77.0.17', id: 'manual:10.77.0.17', hostname: '10.77.0.17', addresses: ['10.77.0.17'] }, label: '10.77.0.17' };

beforeEach(() => usePreparedDevices.setState({ prepared: [], selectedTwice: [] }));

describe('the hand-over from Devices to Provisioning', () => {
  it('hands over a board selected in two rows (announced, and added by address) once, as the announced one, and says so', () => {
    usePreparedDevices.getState().prepare([byAddress, other, announced]);
    const { prepared, selectedTwice } = usePreparedDevices.getState();
    expect(prepared).toEqual([announced, other]);
    expect(selectedTwice).toEqual(['mbed-linux-os-6 was selected twice (also as six-by-address): it is provisioned once']);
  });

  it('hands over distinct boards as they are', () => {
    usePreparedDevices.getState().prepare([announced, other]);
    expect(usePreparedDevices.getState()).toMatchObject({ prepared: [announced, other], selectedTwice: [] });
  });
});
