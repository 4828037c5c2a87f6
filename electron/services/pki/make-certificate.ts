import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { SubjectFields } from '../../../shared/domain/update-certificate';
import { rfc7093KeyId } from './certificate-summary';
import { bitString, element, octetString, oid, printableString, sequence, set, time, unsignedInteger, utf8String } from './der';

export interface NewCertificate {
  der: Uint8Array;
  /** SEC1 PEM (`-----BEGIN EC PRIVATE KEY-----`), as manifest-tool writes it. */
  keyPem: string;
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const VERSION_3 = element(0xa0, unsignedInteger(Uint8Array.of(2)));

/** Subject attributes in manifest-tool's order; the country is a PrintableString, the rest UTF8String. */
const SUBJECT_ATTRIBUTES: Array<[keyof SubjectFields, string, (text: string) => Uint8Array]> = [
  ['country', '2.5.4.6', printableString],
  ['state', '2.5.4.8', utf8String],
  ['locality', '2.5.4.7', utf8String],
  ['organization', '2.5.4.10', utf8String],
  ['commonName', '2.5.4.3', utf8String],
];

/** One RDN per non-empty field. */
const distinguishedName = (subject: SubjectFields) =>
  sequence(...SUBJECT_ATTRIBUTES.filter(([field]) => subject[field]).map(([field, type, encode]) => set(sequence(oid(type), encode(subject[field])))));

/** Non-critical (DER leaves the default FALSE out). */
const extension = (type: string, value: Uint8Array) => sequence(oid(type), octetString(value));

const updateCertificateExtensions = (spki: Uint8Array) =>
  element(
    0xa3,
    sequence(
      extension('2.5.29.15', element(0x03, Uint8Array.of(7, 0x80))), // KeyUsage: digitalSignature only (bit 0; 7 unused bits)
      extension('2.5.29.17', sequence(element(0x82, Buffer.from('localhost', 'latin1')))), // SubjectAltName: dNSName localhost
      extension('2.5.29.37', sequence(oid('1.3.6.1.5.5.7.3.3'))), // ExtendedKeyUsage: codeSigning
      extension('2.5.29.14', octetString(rfc7093KeyId(spki))), // SubjectKeyIdentifier
    ),
  );

/** Up to 159 random bits, never zero: always a positive INTEGER of at most 20 bytes. */
function randomSerial(): Uint8Array {
  const serial = randomBytes(20);
  serial[0]! &= 0x7f;
  if (serial.every((b) => b === 0)) serial[19] = 1;
  return serial;
}

export interface CertificateParams {
  subject: SubjectFields;
  notBefore: Date;
  notAfter: Date;
}

/** The self-signed certificate for a given key pair and serial (split out so tests can pin every byte). */
export function signUpdateCertificate(opts: CertificateParams & { serial: Uint8Array; privateKey: KeyObject; publicKey: KeyObject }): Uint8Array {
  const spki = new Uint8Array(opts.publicKey.export({ type: 'spki', format: 'der' }));
  const name = distinguishedName(opts.subject);
  const tbs = sequence(
    VERSION_3,
    unsignedInteger(opts.serial),
    ECDSA_WITH_SHA256,
    name,
    sequence(time(opts.notBefore), time(opts.notAfter)),
    name,
    spki,
    updateCertificateExtensions(spki),
  );
  const signature = sign('sha256', tbs, { key: opts.privateKey, dsaEncoding: 'der' });
  return sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
}

/**
 * A self-signed update-authenticity certificate with manifest-tool's profile (compat-formats §1.3):
 * P-256, ecdsa-with-SHA256, subject C/ST/L/O/CN (non-empty only), and the four non-critical extensions
 * KeyUsage, SAN, EKU and an RFC 7093 (SHA-256) SubjectKeyIdentifier, in that order. Built with Node's
 * crypto and the DER writer: an X.509 library would cost more to load than the whole rest of `pws init`.
 */
export function makeUpdateCertificate(opts: CertificateParams): NewCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const der = signUpdateCertificate({ ...opts, serial: randomSerial(), privateKey, publicKey });
  return { der, keyPem: privateKey.export({ type: 'sec1', format: 'pem' }) as string };
}
