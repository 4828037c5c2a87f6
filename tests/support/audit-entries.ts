import type { AuditEntry } from '../../shared/contract/history';

/** An audit entry of a device at `address` given the developer certificate `lab-dev` (fingerprint `aa`), passed. */
export const devCertAuditEntry = (address: string, patch: Partial<AuditEntry> = {}): AuditEntry => ({
  time: '2026-01-01T00:00:00Z',
  runId: 'old',
  operator: 'o',
  door: 'cli',
  device: { name: address, addresses: [address] },
  devCert: { name: 'lab-dev', fingerprint: 'aa' },
  updateCert: { name: 'upd' },
  stages: [],
  result: 'passed',
  stage: 'done',
  durationMs: 1,
  ...patch,
});
