import { describe, it, expect } from 'vitest';
import { scrollToReveal, windowRange } from '../../../../renderer/features/devices/window-range';

describe('windowing', () => {
  it('renders only the rows in view plus the overscan, never past the ends', () => {
    expect(windowRange(1000, 44, 0, 440, 5)).toEqual({ start: 0, end: 16 });
    const mid = windowRange(1000, 44, 44 * 500, 440, 5);
    expect(mid.start).toBe(495);
    expect(mid.end - mid.start).toBeLessThan(30);
    expect(windowRange(1000, 44, 44 * 1000, 440, 5).end).toBe(1000);
    expect(windowRange(0, 44, 0, 440)).toEqual({ start: 0, end: 0 });
  });

  it('scrolls just enough to reveal a row', () => {
    expect(scrollToReveal(0, 40, 200, 400)).toBe(0);
    expect(scrollToReveal(20, 40, 0, 400)).toBe(21 * 40 - 400);
    expect(scrollToReveal(7, 40, 200, 400)).toBe(200);
  });
});
