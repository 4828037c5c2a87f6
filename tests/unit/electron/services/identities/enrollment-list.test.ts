import { describe, expect, it } from 'vitest';
import type { IdentityRecord } from '../../../../../shared/contract/identities';
import { parseEnrollmentCsv } from '../../../../../shared/domain/enrollment';
import { enrollmentExport } from '../../../../../electron/services/identities/enrollment-list';
import { devCertAuditEntry } from '../../../../support/audit-entries';

const id = (n: number) => `A-${Array.from({ length: 32 }, (_, i) => ((i + n) & 0xff).toString(16).padStart(2, '0')).join(':')}`;

const record = (n: number, patch: Partial<IdentityRecord> = {}): IdentityRecord => ({
  id: `r${n}`,
  seq: n,
  endpointName: `lab-${n}`,
  state: 'confirmed',
  certificate: { fingerprint: 'f', enrollmentIdentity: id(n), serial: '01', notAfter: '2046-01-01T00:00:00Z' },
  ca: { name: 'ca', fingerprint: 'c' },
  device: { id: `mbed-linux-os-${n}`, hostname: `mbed-linux-os-${n}`, addresses: [`169.254.20.${n}`] },
  runId: 'run-1',
  operator: 'o',
  station: 's',
  reservedAt: '2026-01-01T00:00:00Z',
  ...patch,
});

describe('enrollmentExport', () => {
  it('one line per confirmed, live identity, in the bulk CSV format', () => {
    const out = enrollmentExport({ records: [record(1), record(2), record(3, { supersededBy: 'r9' })], audit: [] });
    expect(parseEnrollmentCsv(out.csv).identities).toEqual([id(1), id(2)]);
    expect(out.identities).toEqual([
      { device: 'mbed-linux-os-1 (169.254.20.1)', endpointName: 'lab-1', enrollmentIdentity: id(1) },
      { device: 'mbed-linux-os-2 (169.254.20.2)', endpointName: 'lab-2', enrollmentIdentity: id(2) },
    ]);
    expect(out.refused).toEqual([]);
  });

  it('an identity never confirmed on its device is left out, with what to do', () => {
    const out = enrollmentExport({ records: [record(1), record(2, { state: 'unconfirmed' })], audit: [] });
    expect(out.identities.map((i) => i.endpointName)).toEqual(['lab-1']);
    expect(out.refused).toEqual([
      {
        device: 'mbed-linux-os-2 (169.254.20.2)',
        endpointName: 'lab-2',
        reason: expect.stringMatching(/never confirmed on the device \(unconfirmed\): re-issue it/),
      },
    ]);
  });

  it('by device: a board given a developer certificate is refused with the reason; an unknown one too', () => {
    const out = enrollmentExport({
      records: [record(1)],
      devices: [
        { id: '169.254.20.1', addresses: ['169.254.20.1'] },
        { id: '169.254.20.4', addresses: ['169.254.20.4'] },
        { id: '169.254.20.5', addresses: ['169.254.20.5'] },
      ],
      audit: [devCertAuditEntry('169.254.20.4')],
    });
    expect(out.identities.map((i) => i.endpointName)).toEqual(['lab-1']);
    expect(out.refused).toEqual([
      {
        device: '169.254.20.4',
        reason: expect.stringMatching(
          /provisioned with the developer certificate "lab-dev" .*does not accept First-to-Claim for developer credentials; give the device its own identity/,
        ),
      },
      { device: '169.254.20.5', reason: expect.stringMatching(/no identity in the registry: provision it with its own identity first/) },
    ]);
  });
});
