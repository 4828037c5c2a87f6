import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../../../shared/contract/history';
import { devCertAuditEntry } from '../../../../support/audit-entries';
import {
  DEVELOPER_CERTIFICATE_CAP,
  developerCapCounter,
  developerCapWarning,
  developerCertificateReach,
} from '../../../../../electron/services/provisioning/developer-cap';

const entry = (n: number, patch: Partial<AuditEntry> = {}) => devCertAuditEntry(`10.0.${n >> 8}.${n & 255}`, patch);
const refs = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ address: `10.0.${(from + i) >> 8}.${(from + i) & 255}` }));
const cert = { name: 'lab-dev', fingerprint: 'aa' };

describe('the developer-certificate cap', () => {
  it('counts the devices earlier runs gave the certificate (once each, by fingerprint) plus the new ones of this run', () => {
    const audit = [
      ...Array.from({ length: 95 }, (_, i) => entry(i)),
      entry(3),
      entry(200, { result: 'failed' }),
      entry(201, { devCert: { name: 'lab-dev', fingerprint: 'other' } }),
    ];
    expect(developerCertificateReach(audit, cert, refs(90, 10))).toBe(100); // 95 earlier, 5 of the 10 are new
    expect(developerCertificateReach(audit, cert, refs(90, 11))).toBe(101);
  });

  it('own-identity runs do not count, even though they name the developer certificate they took the account from', () => {
    const audit = Array.from({ length: 150 }, (_, i) => entry(i, { identity: { endpointName: `e${i}`, enrollmentIdentity: 'A-x', ca: { name: 'ca' } } }));
    expect(developerCertificateReach(audit, cert, refs(0, 3))).toBe(3);
  });

  it('counting devices as they come, warns once, for the device that takes the certificate past 100', () => {
    const counter = developerCapCounter(
      Array.from({ length: 98 }, (_, i) => entry(i)),
      cert,
    );
    const [again, the99th, the100th, the101st, the102nd] = [...refs(0, 1), ...refs(98, 4)].map((r) => counter.add(r));
    expect([again, the99th, the100th]).toEqual([undefined, undefined, undefined]);
    expect(the101st).toMatch(/"lab-dev" on 101 devices/);
    expect(the102nd).toBeUndefined();
    // earlier runs alone past the cap: said when the run started, not again per device
    expect(
      developerCapCounter(
        Array.from({ length: 101 }, (_, i) => entry(i)),
        cert,
      ).add(refs(500, 1)[0]!),
    ).toBeUndefined();
  });

  it('warns past 100, naming the certificate and suggesting own identities', () => {
    expect(developerCapWarning(DEVELOPER_CERTIFICATE_CAP, 'lab-dev')).toBeUndefined();
    expect(developerCapWarning(101, 'lab-dev')).toMatch(
      /puts the developer certificate "lab-dev" on 101 devices \(counting earlier runs\).*up to 100 devices; give the devices their own identities instead \(`pws provision --ca CA_NAME …`/,
    );
  });
});
