/**
 * The Team Store calls the Provisioning panel needs, in one place: list the certificates, create a
 * developer certificate in the cloud, import an update certificate from `update_default_resources.c`.
 */
import { channels, type Result } from '../../../shared/contract/index';
import type { ExpiryState, TeamCertificate } from '../../../shared/contract/certificates';
import { getClient } from '../../transport/client';

export interface CertificateOption {
  name: string;
  fingerprint: string | null;
  notAfter: string | null;
  expiry: ExpiryState;
}

const option = (c: TeamCertificate): CertificateOption => ({ name: c.name, fingerprint: c.fingerprint, notAfter: c.notAfter, expiry: c.expiry });

/** The Team Store's certificates by kind (the cloud is not asked: provisioning only uses the Team Store). */
export async function listCertificates(): Promise<Result<{ dev: CertificateOption[]; update: CertificateOption[] }>> {
  const r = await getClient().call(channels.certificates.list, { cloud: false });
  if (!r.ok) return r;
  const of = (kind: TeamCertificate['kind']) => r.value.team.filter((c) => c.kind === kind).map(option);
  return { ok: true, value: { dev: of('developer'), update: of('update') } };
}

export function createDeveloperCertificate(name: string): Promise<Result<TeamCertificate>> {
  return getClient().call(channels.certificates.createDev, { name });
}

export async function importUpdateCertificate(name: string, file: File): Promise<Result<TeamCertificate>> {
  return getClient().call(channels.certificates.importUpdate, { name, fileName: file.name, text: await file.text() });
}
