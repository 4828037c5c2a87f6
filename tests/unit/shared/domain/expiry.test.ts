import { describe, it, expect } from 'vitest';
import { expiryState } from '../../../../shared/domain/expiry';

describe('expiry state', () => {
  const now = new Date('2027-01-01T00:00:00Z');
  it('is expiring from 30 days before notAfter, expired after it', () => {
    expect(expiryState('2027-03-01T00:00:00Z', now)).toBe('ok');
    expect(expiryState('2027-01-31T00:00:00Z', now)).toBe('expiring');
    expect(expiryState('2027-01-31T00:00:01Z', now)).toBe('ok');
    expect(expiryState('2026-12-31T23:59:59Z', now)).toBe('expired');
    expect(expiryState(null, now)).toBe('unknown');
    expect(expiryState('garbage', now)).toBe('unknown');
  });
});
