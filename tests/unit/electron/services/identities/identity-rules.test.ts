import { describe, expect, it } from 'vitest';
import type { IdentityRecord } from '../../../../../shared/contract/identities';
import { refusalFor } from '../../../../../electron/services/identities/identity-rules';

const label = 'mbed-linux-os-2 (fe80::70:77ff:fe00:102%eth0)';
const record = (patch: Partial<IdentityRecord>): IdentityRecord => ({
  id: 'r1',
  seq: 1,
  endpointName: 'mbed-linux-os-2',
  state: 'unconfirmed',
  ca: { name: 'lab-ca', fingerprint: 'f'.repeat(64) },
  device: { id: 'd2', hostname: 'mbed-linux-os-2', addresses: ['fe80::70:77ff:fe00:102%eth0'] },
  runId: 'run-8a5b',
  operator: 'lab',
  station: 'bench-1',
  reservedAt: '2026-11-29T23:08:12Z',
  issuedAt: '2026-11-29T23:08:12Z',
  ...patch,
});
const messageOf = (r: IdentityRecord) => {
  const refusal = refusalFor(r, { reissue: 'none' });
  if (!refusal) throw new Error('expected a refusal');
  return refusal.message;
};

describe('refusalFor: why a device that holds an identity gets no other', () => {
  it('names the device once, says what to do before the old failure, and quotes that failure without its device label', () => {
    const message = messageOf(
      record({ reason: `${label}: provisioned, but --get-pelion-status reports a problem (exit 1): Error: not signed | Device is not configured correctly.` }),
    );
    expect(message).toBe(
      `${label} already holds the identity "mbed-linux-os-2" (issued on 2026-11-29 in run run-8a5b, never confirmed on the device): ` +
        're-issue it to give the device a new certificate for the same endpoint name (`pws provision --ca … --reissue`, or Re-issue in the app). ' +
        'Why it was not confirmed: provisioned, but --get-pelion-status reports a problem (exit 1): Error: not signed | Device is not configured correctly.',
    );
    expect(message.split(label)).toHaveLength(2);
  });

  it('also drops the label of a run that was given the address alone', () => {
    const message = messageOf(record({ device: { id: 'd2', addresses: ['169.254.20.2'] }, reason: '169.254.20.2: provisioned, but the status check failed' }));
    expect(message).toMatch(/^d2 already holds .*\. Why it was not confirmed: provisioned, but the status check failed$/);
  });

  it('keeps a reason that does not start with the device label as it is, and says so when there is none', () => {
    expect(messageOf(record({ reason: 'status check failed' }))).toMatch(/\. Why it was not confirmed: status check failed$/);
    expect(messageOf(record({ reason: undefined }))).toMatch(/\. Why it was not confirmed: its status check failed$/);
    expect(messageOf(record({ state: 'issued' }))).toMatch(
      /never confirmed on the device\): re-issue it .*\. Why it was not confirmed: that run did not finish$/,
    );
  });

  it('a confirmed identity says when it was confirmed, with no reason', () => {
    const message = messageOf(record({ state: 'confirmed', settledAt: '2026-11-30T08:00:00Z' }));
    expect(message).toBe(
      `${label} already holds the identity "mbed-linux-os-2" (confirmed on 2026-11-30, run run-8a5b): ` +
        're-issue it to give the device a new certificate for the same endpoint name (`pws provision --ca … --reissue`, or Re-issue in the app)',
    );
  });

  it('a reservation never signed is resumed, and the re-issue policies allow what they name', () => {
    expect(refusalFor(record({ state: 'reserved' }), { reissue: 'none' })).toBeUndefined();
    expect(refusalFor(record({}), { reissue: 'unconfirmed' })).toBeUndefined();
    expect(refusalFor(record({ state: 'confirmed' }), { reissue: 'unconfirmed' })).toBeDefined();
    expect(refusalFor(record({ state: 'confirmed' }), { reissue: 'any' })).toBeUndefined();
  });
});
