import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

import { fail, ok, type Result } from '../../../shared/contract/result';
import type { UpdateCertErrorCode } from '../../../shared/contract/certificates';

export interface CertificateAndKey {
  /** The certificate as DER, whatever form it was read in. */
  der: Uint8Array;
  /** The private key as SEC1 PEM. */
  keyPem: string;
}

const looksLikePem = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 64)).toString('latin1').includes('-----BEGIN');

export function describeKey(key: KeyObject): string {
  const type = key.asymmetricKeyType ?? 'unknown';
  if (type === 'ec') return `EC ${key.asymmetricKeyDetails?.namedCurve ?? 'unknown curve'}`;
  if (type === 'rsa') return `RSA ${key.asymmetricKeyDetails?.modulusLength ?? ''}`.trim();
  return type.toUpperCase();
}
const isP256 = (key: KeyObject) => key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';

/** `hint` says what to do instead; the default names the file, not a flag, so the app can show it too. */
export function readCertificate(bytes: Uint8Array, label: string, hint = "give the certificate's file"): Result<X509Certificate, 'certificate-unreadable'> {
  try {
    return ok(new X509Certificate(Buffer.from(bytes)));
  } catch {
    return fail('certificate-unreadable', `${label} is not an X.509 certificate in DER or PEM form: ${hint}`, { file: 'certificate' });
  }
}

export function readPrivateKey(bytes: Uint8Array, label: string, hint = "give the private key's file"): Result<KeyObject, 'key-unreadable'> {
  const buf = Buffer.from(bytes);
  const attempts: Array<() => KeyObject> = looksLikePem(bytes)
    ? [() => createPrivateKey({ key: buf, format: 'pem' })]
    : [() => createPrivateKey({ key: buf, format: 'der', type: 'pkcs8' }), () => createPrivateKey({ key: buf, format: 'der', type: 'sec1' })];
  const encryptedPem = looksLikePem(bytes) && /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(buf.toString('latin1'));
  for (const attempt of attempts) {
    try {
      return ok(attempt());
    } catch (err) {
      if (encryptedPem || /passphrase/i.test((err as Error).message)) {
        return fail('key-unreadable', `${label} is encrypted: give an unencrypted key (e.g. \`openssl pkey -in ${label} -out key.pem\`)`, { file: 'key' });
      }
    }
  }
  return fail('key-unreadable', `${label} is not a private key in PEM or DER form: ${hint}`, { file: 'key' });
}

/**
 * Checks an existing certificate and key for use as the update certificate: both readable, the
 * certificate's key EC P-256, and the private key the one that belongs to it. Returns them normalised
 * (DER certificate, SEC1 PEM key).
 */
export function checkCertificateAndKey(
  certBytes: Uint8Array,
  keyBytes: Uint8Array,
  names: { certificate: string; key: string },
): Result<CertificateAndKey, UpdateCertErrorCode> {
  const cert = readCertificate(certBytes, names.certificate);
  if (!cert.ok) return cert;
  const publicKey = cert.value.publicKey;
  if (!isP256(publicKey)) {
    return fail(
      'unsupported-key',
      `${names.certificate} holds an ${describeKey(publicKey)} key: update certificates must use EC P-256 (prime256v1); make one with \`pws init --force\``,
      { file: 'certificate' },
    );
  }
  const key = readPrivateKey(keyBytes, names.key);
  if (!key.ok) return key;
  if (!isP256(key.value)) {
    return fail('unsupported-key', `${names.key} is an ${describeKey(key.value)} key: update certificates must use EC P-256 (prime256v1)`, { file: 'key' });
  }
  if (!cert.value.checkPrivateKey(key.value)) {
    return fail('key-mismatch', `${names.key} is not the private key of ${names.certificate}: give the key that belongs to this certificate`, { file: 'key' });
  }
  return ok({
    der: new Uint8Array(cert.value.raw),
    keyPem: key.value.export({ type: 'sec1', format: 'pem' }) as string,
  });
}
