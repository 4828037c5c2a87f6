import { randomBytes, sign, type KeyObject } from 'node:crypto';
import { bitString, element, octetString, oid, printableString, sequence, set, time, unsignedInteger, utf8String } from './der';

/**
 * X.509 v3 certificates written with the DER writer and signed with Node's crypto: the update certificate, the
 * own CA and every device's bootstrap certificate are made here, one way. No X.509 library is loaded: it would
 * cost more start-up time than `pws init` takes in total, and issuing a device identity stays a few hundred µs.
 */

const ATTRIBUTE_TYPES = { C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' } as const;
export type NameAttribute = { type: keyof typeof ATTRIBUTE_TYPES; value: string };

/** One RDN per attribute, in the order given; the country is a PrintableString, the rest UTF8String. */
export const distinguishedName = (attributes: readonly NameAttribute[]) =>
  sequence(...attributes.map(({ type, value }) => set(sequence(oid(ATTRIBUTE_TYPES[type]), type === 'C' ? printableString(value) : utf8String(value)))));

const TRUE = Uint8Array.of(0x01, 0x01, 0xff);

/** An extension; a non-critical one leaves the DEFAULT FALSE out, as DER requires. */
export const extension = (type: string, value: Uint8Array, critical = false) =>
  critical ? sequence(oid(type), TRUE, octetString(value)) : sequence(oid(type), octetString(value));

/** keyUsage bits by RFC 5280 number (digitalSignature 0 … cRLSign 6), as a BIT STRING without trailing zero bits. */
export function keyUsage(...bits: number[]): Uint8Array {
  const byte = bits.reduce((b, n) => b | (0x80 >> n), 0);
  const unused = Math.min(7, 7 - Math.max(...bits));
  return element(0x03, Uint8Array.of(unused, byte));
}
export const KEY_USAGE = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;

/** basicConstraints for a CA that may sign only end-entity certificates (pathLenConstraint 0). */
export const caBasicConstraints = () => sequence(TRUE, unsignedInteger(Uint8Array.of(0)));
/** AuthorityKeyIdentifier with the issuer's key id ([0] IMPLICIT OCTET STRING). */
export const authorityKeyIdentifier = (keyId: Uint8Array) => sequence(element(0x80, keyId));
export const extendedKeyUsage = (...purposes: string[]) => sequence(...purposes.map(oid));
export const OID = {
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extendedKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
} as const;

/** The signature algorithm for a signing key: ECDSA with the curve's hash, or RSA PKCS#1 v1.5 with SHA-256. */
export function signatureAlgorithm(key: KeyObject): { identifier: Uint8Array; hash: string } {
  if (key.asymmetricKeyType === 'rsa') return { identifier: sequence(oid('1.2.840.113549.1.1.11'), Uint8Array.of(0x05, 0x00)), hash: 'sha256' };
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'secp384r1') return { identifier: sequence(oid('1.2.840.10045.4.3.3')), hash: 'sha384' };
    if (curve === 'secp521r1') return { identifier: sequence(oid('1.2.840.10045.4.3.4')), hash: 'sha512' };
    if (curve === 'prime256v1') return { identifier: sequence(oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
  }
  throw new Error(
    `cannot sign with a ${key.asymmetricKeyType ?? 'unknown'} ${key.asymmetricKeyDetails?.namedCurve ?? ''} key: use EC P-256, P-384, P-521 or RSA`,
  );
}

/** A random positive serial number of `bytes` bytes (never zero, top bit clear, so the INTEGER is `bytes` long at most). */
export function randomSerial(bytes: number): Uint8Array {
  const serial = randomBytes(bytes);
  serial[0]! &= 0x7f;
  if (serial.every((b) => b === 0)) serial[bytes - 1] = 1;
  return serial;
}

export interface CertificateFields {
  serial: Uint8Array;
  /** DER Names (see `distinguishedName`); the same bytes for a self-signed certificate. */
  issuer: Uint8Array;
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** DER SubjectPublicKeyInfo of the certified key. */
  spki: Uint8Array;
  extensions: Uint8Array[];
  /** The issuer's private key. */
  signingKey: KeyObject;
}

/** The signed DER certificate. */
export function signCertificate(f: CertificateFields): Uint8Array {
  const alg = signatureAlgorithm(f.signingKey);
  const tbs = sequence(
    element(0xa0, unsignedInteger(Uint8Array.of(2))), // v3
    unsignedInteger(f.serial),
    alg.identifier,
    f.issuer,
    sequence(time(f.notBefore), time(f.notAfter)),
    f.subject,
    f.spki,
    element(0xa3, sequence(...f.extensions)),
  );
  const signature = sign(alg.hash, tbs, f.signingKey.asymmetricKeyType === 'ec' ? { key: f.signingKey, dsaEncoding: 'der' } : f.signingKey);
  return sequence(tbs, alg.identifier, bitString(signature));
}

export const spkiOf = (key: KeyObject) => new Uint8Array(key.export({ type: 'spki', format: 'der' }));
