import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { SubjectFields } from '../../../shared/domain/update-certificate';
import { rfc7093KeyId } from './certificate-summary';
import { element, octetString, sequence } from './der';
import {
  distinguishedName,
  extendedKeyUsage,
  extension,
  KEY_USAGE,
  keyUsage,
  OID,
  randomSerial,
  signCertificate,
  spkiOf,
  type NameAttribute,
} from './x509-writer';

export interface NewCertificate {
  der: Uint8Array;
  /** SEC1 PEM (`-----BEGIN EC PRIVATE KEY-----`), as manifest-tool writes it. */
  keyPem: string;
}

/** Subject attributes in manifest-tool's order, non-empty ones only. */
const SUBJECT_ORDER: Array<[keyof SubjectFields, NameAttribute['type']]> = [
  ['country', 'C'],
  ['state', 'ST'],
  ['locality', 'L'],
  ['organization', 'O'],
  ['commonName', 'CN'],
];

const updateCertificateExtensions = (spki: Uint8Array) => [
  extension(OID.keyUsage, keyUsage(KEY_USAGE.digitalSignature)),
  extension(OID.subjectAltName, sequence(element(0x82, Buffer.from('localhost', 'latin1')))), // dNSName localhost
  extension(OID.extendedKeyUsage, extendedKeyUsage(OID.codeSigning)),
  extension(OID.subjectKeyIdentifier, octetString(rfc7093KeyId(spki))),
];

export interface CertificateParams {
  subject: SubjectFields;
  notBefore: Date;
  notAfter: Date;
}

/** The self-signed certificate for a given key pair and serial (split out so tests can pin every byte). */
export function signUpdateCertificate(opts: CertificateParams & { serial: Uint8Array; privateKey: KeyObject; publicKey: KeyObject }): Uint8Array {
  const spki = spkiOf(opts.publicKey);
  const name = distinguishedName(SUBJECT_ORDER.filter(([field]) => opts.subject[field]).map(([field, type]) => ({ type, value: opts.subject[field] })));
  return signCertificate({
    serial: opts.serial,
    issuer: name,
    subject: name,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    spki,
    extensions: updateCertificateExtensions(spki),
    signingKey: opts.privateKey,
  });
}

/**
 * A self-signed update-authenticity certificate with manifest-tool's profile (compat-formats §1.3):
 * P-256, ecdsa-with-SHA256, subject C/ST/L/O/CN (non-empty only), and the four non-critical extensions
 * KeyUsage, SAN, EKU and an RFC 7093 (SHA-256) SubjectKeyIdentifier, in that order.
 */
export function makeUpdateCertificate(opts: CertificateParams): NewCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const der = signUpdateCertificate({ ...opts, serial: randomSerial(20), privateKey, publicKey });
  return { der, keyPem: privateKey.export({ type: 'sec1', format: 'pem' }) as string };
}
