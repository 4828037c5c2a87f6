import { describe, it, expect } from 'vitest';
import { expiryLabel, formatDate, groupedFingerprint, shortFingerprint } from '../../../../renderer/features/certificates/certificate-expiry';
import { expiryOf } from '../../../../shared/domain/expiry';

/** The shared rule's state with the label the screen shows for it. */
const expiryState = (notAfter: string | null, now: Date) => {
  const e = expiryOf(notAfter, now);
  return { ...e, label: expiryLabel(e) };
};

const now = new Date('2026-11-22T00:00:00Z');
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000).toISOString();

describe('expiryState', () => {
  it('is fine until 30 days before expiry', () => {
    expect(expiryState(inDays(365), now)).toMatchObject({ kind: 'ok', label: 'Valid' });
    expect(expiryState(inDays(30.01), now)).toMatchObject({ kind: 'ok' });
  });
  it('warns from 30 days before expiry', () => {
    expect(expiryState(inDays(30), now)).toMatchObject({ kind: 'expiring', label: 'Expires in 30 days' });
    expect(expiryState(inDays(29.5), now)).toMatchObject({ kind: 'expiring', label: 'Expires in 29 days' });
    expect(expiryState(inDays(1.2), now)).toMatchObject({ kind: 'expiring', label: 'Expires in 1 day' });
    expect(expiryState(inDays(0.5), now)).toMatchObject({ kind: 'expiring', label: 'Expires today' });
  });
  it('marks expired certificates', () => {
    expect(expiryState(inDays(0), now)).toMatchObject({ kind: 'expired', label: 'Expired today' });
    expect(expiryState(inDays(-3), now)).toMatchObject({ kind: 'expired', label: 'Expired 3 days ago' });
  });
  it('says so when the date is missing or unreadable', () => {
    expect(expiryState(null, now).kind).toBe('unknown');
    expect(expiryState('soon', now).kind).toBe('unknown');
  });
});

describe('formatting', () => {
  it('formats dates in UTC', () => {
    expect(formatDate('2027-02-20T23:30:00Z')).toBe('20 Feb 2027');
    expect(formatDate(undefined)).toBe('—');
  });
  it('shortens and groups fingerprints', () => {
    const hex = 'e8826f1ba7fe8efc971cf7569867c6cc3cf6a375975f93230654bdaf85a27271';
    expect(shortFingerprint(hex)).toBe('e8826f1b…85a27271');
    expect(groupedFingerprint('a1b2c3')).toBe('a1:b2:c3');
  });
});
