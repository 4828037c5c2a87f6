import { describe, expect, it } from 'vitest';
import { queuedDeviceRun } from '../../../../shared/domain/device-run';

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
