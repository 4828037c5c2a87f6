import { generateKeyPairSync } from 'node:crypto';
import type { IdentityCertificate } from '../../../shared/contract/identities';
import { enrollmentIdentityFromFingerprint } from '../../../shared/domain/enrollment';
import { sha256 } from '../pki/certificate-summary';
import type { SigningCa } from '../pki/signing-ca';
import {
  authorityKeyIdentifier,
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
} from '../pki/x509-writer';

export interface DeviceIdentity {
  /** The bootstrap certificate, DER. */
  certificate: Uint8Array;
  /** The device's private key as PKCS#8 DER, as the developer credentials carry it. In memory only: see `forget`. */
  privateKey: Buffer;
  /** What the registry keeps: fingerprint, enrollment identity, serial, expiry. */
  record: IdentityCertificate;
}

/**
 * One device's identity (compat-formats §5): a fresh P-256 key pair and a certificate signed by the CA with subject
 * O/OU (from the CA) and CN = the endpoint name, keyUsage digitalSignature (critical), extendedKeyUsage clientAuth,
 * AuthorityKeyIdentifier = the CA's SKI and a random positive 16-byte serial. Nothing is written anywhere.
 */
export function issueDeviceIdentity(ca: SigningCa, endpointName: string, validity: { notBefore: Date; notAfter: Date }): DeviceIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const serial = randomSerial(16);
  const subject: NameAttribute[] = [
    ...(ca.organization ? [{ type: 'O' as const, value: ca.organization }] : []),
    ...(ca.organizationalUnit ? [{ type: 'OU' as const, value: ca.organizationalUnit }] : []),
    { type: 'CN', value: endpointName },
  ];
  const certificate = signCertificate({
    serial,
    issuer: ca.subjectDer,
    subject: distinguishedName(subject),
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    spki: spkiOf(publicKey),
    extensions: [
      extension(OID.keyUsage, keyUsage(KEY_USAGE.digitalSignature), true),
      extension(OID.extendedKeyUsage, extendedKeyUsage(OID.clientAuth)),
      ...(ca.ski ? [extension(OID.authorityKeyIdentifier, authorityKeyIdentifier(ca.ski))] : []),
    ],
    signingKey: ca.key,
  });
  const fingerprint = sha256(certificate);
  return {
    certificate,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }),
    record: {
      fingerprint: Buffer.from(fingerprint).toString('hex'),
      enrollmentIdentity: enrollmentIdentityFromFingerprint(fingerprint),
      serial: Buffer.from(serial)
        .toString('hex')
        .replace(/^(00)+(?=..)/, ''),
      notAfter: validity.notAfter.toISOString(),
    },
  };
}

/** Overwrites the key bytes once the device has them (the KeyObject itself is left to the garbage collector). */
export const forgetPrivateKey = (identity: Pick<DeviceIdentity, 'privateKey'>) => identity.privateKey.fill(0);
