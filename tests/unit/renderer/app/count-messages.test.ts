import { describe, it, expect } from 'vitest';
import { statusCheckText, type ProbeResult } from '../../../../renderer/features/devices/devices-store';
import { runFinishedText } from '../../../../renderer/features/provisioning/provisioning-store';

/** Counts in messages get thousands separators, like every count on screen (formatCount). */
describe('count messages', () => {
  it('a status check of 1,200 devices', () => {
    const results: ProbeResult[] = Array.from({ length: 1200 }, (_, i) => ({
      device: `d${i}`,
      label: `d${i}`,
      message: '',
      ok: i >= 50,
      provisioned: i >= 1100 || i < 50,
    }));
    expect(statusCheckText(results)).toBe('Checked 1,200 devices: 100 provisioned, 1,050 not provisioned, 50 could not be checked');
  });

  it('a finished run of thousands', () => {
    expect(runFinishedText({ passed: 1500, failed: 2000, cancelled: 1234 })).toBe('Provisioning finished: 1,500 passed, 2,000 failed, 1,234 cancelled');
    expect(runFinishedText({ passed: 1000, failed: 0, cancelled: 0 })).toBe('Provisioning finished: 1,000 passed, 0 failed');
  });
});
