import { describe, expect, it } from 'vitest';
import { sinceFlag } from '../../../../electron/cli/since-flag';

describe('--since', () => {
  it('takes a day (from local midnight) or an ISO date-time, and gives a date-time with its offset', () => {
    expect(sinceFlag('2024-02-29')).toBe(new Date('2024-02-29T00:00:00').toISOString());
    expect(sinceFlag('2026-03-01T08:00:00Z')).toBe('2026-03-01T08:00:00.000Z');
    expect(sinceFlag(undefined)).toBeUndefined();
  });

  it('refuses a day the calendar does not have, and what is no date, with the forms it takes', () => {
    for (const bad of ['2025-02-30', '2025-02-29', '2026-04-31', '2026-13-01', '2026-02-30T08:00', 'yesterday', '01/02/2026', ''])
      expect(() => sinceFlag(bad), bad).toThrow(`--since: "${bad}" is not a date: give YYYY-MM-DD (from midnight, local time) or an ISO date-time`);
  });
});
