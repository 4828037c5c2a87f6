import { describe, it, expect } from 'vitest';
import { formatCount, formatDateTime, formatDuration, plural } from '../../../../renderer/app/format';

describe('shared formatting', () => {
  it('writes a moment as the dates are written elsewhere, whatever the browser locale', () => {
    expect(formatDateTime('2026-11-29T06:22:02.123Z', 'UTC')).toBe('29 Nov 2026, 06:22:02');
    expect(formatDateTime('not a time')).toBe('—');
  });

  it('formats durations', () => {
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(42_400)).toBe('42 s');
    expect(formatDuration(75_000)).toBe('1 min 15 s');
  });

  it('counts with thousands separators and the right plural', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(plural(1, 'device')).toBe('1 device');
    expect(plural(0, 'device')).toBe('0 devices');
    expect(plural(1000, 'device')).toBe('1,000 devices');
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });
});
