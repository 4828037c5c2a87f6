import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import type { SubjectFields } from '../../../shared/domain/update-certificate';
import { rfc7093KeyId } from './certificate-summary';

import type { JsonNameParams, X509CertificateCreateSelfSignedParams } from '@peculiar/x509';

type X509Module = typeof import('@peculiar/x509');
let x509Module: Promise<X509Module> | undefined;

/** @peculiar/x509 and its reflect polyfill are loaded on first use only, so `pws --help` stays fast. */
export function loadX509(): Promise<X509Module> {
  x509Module ??= (async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    return x509;
  })();
  return x509Module;
}

export interface NewCertificate {
  der: Uint8Array;
  /** SEC1 PEM (`-----BEGIN EC PRIVATE KEY-----`), as manifest-tool writes it. */
  keyPem: string;
}

const EC_P256_SHA256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** Up to 159 random bits, never zero: always a positive INTEGER of at most 20 bytes. */
function randomSerialHex(): string {
  const serial = randomBytes(20);
  serial[0]! &= 0x7f;
  if (serial.every((b) => b === 0)) serial[19] = 1;
  return serial.toString('hex');
}

/**
 * A self-signed update-authenticity certificate with manifest-tool's profile (compat-formats §1.3):
 * P-256, ecdsa-with-SHA256, subject C/ST/L/O/CN (non-empty only), and the four non-critical extensions
 * KeyUsage, SAN, EKU and an RFC 7093 (SHA-256) SubjectKeyIdentifier, in that order.
 */
export async function makeUpdateCertificate(opts: { subject: SubjectFields; notBefore: Date; notAfter: Date }): Promise<NewCertificate> {
  const x509 = await loadX509();
  const keys = (await webcrypto.subtle.generateKey(EC_P256_SHA256, true, ['sign', 'verify'])) as unknown as X509CertificateCreateSelfSignedParams['keys'];
  const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.publicKey as unknown as webcrypto.CryptoKey));
  const { country, state, locality, organization, commonName } = opts.subject;
  const rdns: Array<[string, string, 'printableString' | 'utf8String']> = [
    ['C', country, 'printableString'],
    ['ST', state, 'utf8String'],
    ['L', locality, 'utf8String'],
    ['O', organization, 'utf8String'],
    ['CN', commonName, 'utf8String'],
  ];
  const name: JsonNameParams = rdns.filter(([, v]) => v).map(([k, v, type]) => ({ [k]: [type === 'printableString' ? { printableString: v } : { utf8String: v }] }));
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(),
    name: new x509.Name(name),
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    signingAlgorithm: EC_P256_SHA256,
    keys,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, false),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }], false),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning], false),
      new x509.SubjectKeyIdentifierExtension(Buffer.from(rfc7093KeyId(spki)).toString('hex'), false),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey));
  const keyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'sec1', format: 'pem' }) as string;
  return { der: new Uint8Array(cert.rawData), keyPem };
}
