import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { certificateParts, sha256 } from './certificate-summary';

/** A CA ready to sign device certificates. Lives in memory for one run; its key never leaves the core. */
export interface SigningCa {
  name: string;
  /** SHA-256 of the DER certificate, lower-case hex. */
  fingerprint: string;
  /** The CA's subject as DER: every certificate it signs names it as issuer, byte for byte. */
  subjectDer: Uint8Array;
  /** Its SubjectKeyIdentifier (the AuthorityKeyIdentifier of what it signs), if it has one. */
  ski: Uint8Array | undefined;
  organization: string | undefined;
  organizationalUnit: string | undefined;
  notAfter: Date;
  key: KeyObject;
}

/** The CA certificate and its PEM key as stored, checked to belong together. */
export function loadSigningCa(name: string, der: Uint8Array, keyPem: string): Result<SigningCa> {
  try {
    const parts = certificateParts(der);
    const key = createPrivateKey(keyPem);
    if (!new X509Certificate(Buffer.from(der)).checkPrivateKey(key))
      return fail('key-mismatch', `the stored key of the CA "${name}" does not belong to its certificate: import the CA again`);
    const attr = (k: string) => parts.subjectAttributes.find((a) => a.key === k)?.value;
    return ok({
      name,
      fingerprint: Buffer.from(sha256(der)).toString('hex'),
      subjectDer: parts.subjectDer.slice(),
      ski: parts.ski,
      organization: attr('O'),
      organizationalUnit: attr('OU'),
      notAfter: parts.notAfter,
      key,
    });
  } catch (err) {
    return fail('certificate-unreadable', `the CA "${name}" in the Team Store can't be used (${(err as Error).message}): import it again`);
  }
}
