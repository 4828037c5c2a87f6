import type { CertificatesList, TeamCertificate } from '../../../shared/contract/certificates';

/** A Team Store certificate as `certificates:list` lists it. */
export const teamCert = (name: string, kind: TeamCertificate['kind'], extra: Partial<TeamCertificate> = {}): TeamCertificate => ({
  name,
  kind,
  fingerprint: 'ab'.repeat(32),
  createdAt: '2026-11-22T00:00:00Z',
  notAfter: '2027-02-20T00:00:00Z',
  expiry: 'ok',
  path: `/home/u/.mbl-store/team/${name}`,
  files: [],
  legacy: false,
  warnings: [],
  ...extra,
});

/** `certificates:list`'s answer without an API key: the Team Store only. */
export const teamList = (team: TeamCertificate[]): CertificatesList => ({
  teamStore: '/home/u/.mbl-store/team',
  team,
  cloud: null,
  cloudNote: 'No API key: add one in Settings to see the cloud.',
});
