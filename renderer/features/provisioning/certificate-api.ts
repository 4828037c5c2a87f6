/**
 * The Team Store calls the Provisioning panel needs, in one place: list the certificates, create a
 * developer certificate in the cloud, import an update certificate from `update_default_resources.c`.
 * TEMPORARY shapes until `shared/contract/certificates.ts` gains its Team Store section.
 */
import { z } from 'zod';
import { channel, type Result } from '../../../shared/contract/index';
import { getClient } from '../../transport/client';

export interface CertificateOption {
  name: string;
  fingerprint?: string;
  notAfter?: string;
}

const list = channel<Array<{ name: string; kind: string; fingerprint?: string; notAfter?: string }>>()('certificates:list', z.object({}));
const createDev = channel<unknown>()('certificates:create-dev', z.object({ name: z.string() }));
const importUpdate = channel<unknown>()('certificates:import-update', z.object({ name: z.string(), text: z.string() }));

export async function listCertificates(): Promise<Result<{ dev: CertificateOption[]; update: CertificateOption[] }>> {
  const r = await getClient().call(list, {});
  if (!r.ok) return r;
  const pick = (kind: string) => r.value.filter((c) => c.kind.startsWith(kind)).map(({ name, fingerprint, notAfter }) => ({ name, fingerprint, notAfter }));
  return { ok: true, value: { dev: pick('dev'), update: pick('update') } };
}

export async function createDeveloperCertificate(name: string): Promise<Result<unknown>> {
  return getClient().call(createDev, { name });
}

export async function importUpdateCertificate(name: string, file: File): Promise<Result<unknown>> {
  return getClient().call(importUpdate, { name, text: await file.text() });
}
