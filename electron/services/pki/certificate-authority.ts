import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { CaErrorCode } from '../../../shared/contract/ca';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { certificateParts, rfc7093KeyId } from './certificate-summary';
import { octetString } from './der';
import { describeKey, readCertificate, readPrivateKey } from './key-material';
import {
  caBasicConstraints,
  distinguishedName,
  extension,
  KEY_USAGE,
  keyUsage,
  OID,
  randomSerial,
  signatureAlgorithm,
  signCertificate,
  spkiOf,
  type NameAttribute,
} from './x509-writer';

export interface CaMaterial {
  der: Uint8Array;
  /** PKCS#8 PEM. */
  keyPem: string;
}

export interface CaProfile {
  /** Becomes the CN. */
  name: string;
  organization?: string | undefined;
  organizationalUnit?: string | undefined;
  country?: string | undefined;
  notBefore: Date;
  notAfter: Date;
}

/**
 * A new CA (compat-formats §5): P-256, self-signed, subject C/O/OU/CN (non-empty only), basicConstraints CA:true
 * with pathLen 0 (it signs devices, never another CA) and keyUsage keyCertSign + cRLSign, both critical, and an
 * RFC 7093 SubjectKeyIdentifier that device certificates quote as their AuthorityKeyIdentifier.
 */
export function makeCaCertificate(profile: CaProfile): CaMaterial {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = spkiOf(publicKey);
  const attributes: NameAttribute[] = [
    { type: 'C', value: profile.country?.toUpperCase() ?? '' },
    { type: 'O', value: profile.organization ?? '' },
    { type: 'OU', value: profile.organizationalUnit ?? '' },
    { type: 'CN', value: profile.name },
  ];
  const name = distinguishedName(attributes.filter((a) => a.value));
  const der = signCertificate({
    serial: randomSerial(16),
    issuer: name,
    subject: name,
    notBefore: profile.notBefore,
    notAfter: profile.notAfter,
    spki,
    extensions: [
      extension(OID.basicConstraints, caBasicConstraints(), true),
      extension(OID.keyUsage, keyUsage(KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign), true),
      extension(OID.subjectKeyIdentifier, octetString(rfc7093KeyId(spki))),
    ],
    signingKey: privateKey,
  });
  return { der, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** Keys a CA may sign device certificates with: what devices and Device Management verify. */
function keyProblem(key: KeyObject, label: string): Result<void, CaErrorCode> {
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return bits < 2048
      ? fail('weak-key', `${label} holds an RSA ${bits} key: a CA needs at least RSA 2048 (or EC P-256); make a new CA with \`pws ca create\``)
      : ok(undefined);
  }
  try {
    signatureAlgorithm(key);
    return ok(undefined);
  } catch {
    return fail('unsupported-key', `${label} holds an ${describeKey(key)} key: a CA must use EC P-256, P-384, P-521 or RSA (2048 bits or more)`);
  }
}

/**
 * Checks an existing CA certificate and key before anything is written: readable (PEM or DER), a CA
 * (basicConstraints CA:true, and keyCertSign when keyUsage is present), not expired, a key strong enough to sign
 * with, and the private key that belongs to the certificate. Returns them normalised (DER, PKCS#8 PEM).
 */
export function checkCaImport(
  certBytes: Uint8Array,
  keyBytes: Uint8Array,
  names: { certificate: string; key: string },
  now: Date,
): Result<CaMaterial, CaErrorCode> {
  const cert = readCertificate(certBytes, names.certificate, 'choose the CA certificate file (.pem, .crt or .der)');
  if (!cert.ok) return cert;
  const der = new Uint8Array(cert.value.raw);
  const parts = certificateParts(der);
  if (!parts.isCa) {
    return fail(
      'not-a-ca',
      `${names.certificate} is not a CA certificate (it has no basicConstraints CA:TRUE; subject ${parts.subject}): give the certificate of the authority that is to sign device certificates`,
    );
  }
  if (parts.keyUsage && !parts.keyUsage.includes('keyCertSign')) {
    return fail('not-a-ca', `${names.certificate} may not sign certificates (its keyUsage lacks keyCertSign): give a CA certificate made for signing`);
  }
  if (parts.notAfter.getTime() <= now.getTime()) {
    return fail(
      'certificate-expired',
      `${names.certificate} expired on ${parts.notAfter.toISOString().slice(0, 10)}: devices could not use identities it signs; import a current CA or make one with \`pws ca create\``,
    );
  }
  const strength = keyProblem(cert.value.publicKey, names.certificate);
  if (!strength.ok) return strength;
  const key = readPrivateKey(keyBytes, names.key, 'choose the CA private key file (.pem or .der)');
  if (!key.ok) return key;
  if (!cert.value.checkPrivateKey(key.value)) {
    return fail(
      'key-mismatch',
      `${names.key} is not the private key of ${names.certificate}: give the key that belongs to this CA certificate; nothing was imported`,
    );
  }
  return ok({ der, keyPem: key.value.export({ type: 'pkcs8', format: 'pem' }) as string });
}
