/**
 * Real developer certificates for the emulator: a fresh P-256 key per certificate, the device
 * certificate signed by the emulated account CA checked in at tests/fixtures/account-ca/.
 */
// @peculiar/x509 needs the reflect polyfill loaded first (environment notes).
// oxlint-disable-next-line import/no-unassigned-import
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { emulatorFile } from './paths';

const subtle = webcrypto.subtle;
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);
type X509Key = Parameters<typeof x509.X509CertificateGenerator.create>[0] extends { signingKey?: infer K } ? K : never;

const fixture = (rel: string) => readFileSync(emulatorFile(`../fixtures/${rel}`), 'utf8');

export function pemToDer(pem: string): Uint8Array {
  const b64 = pem.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

export function derToPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}

export type IssuedDeveloperCertificate = {
  certDer: Uint8Array;
  certPem: string;
  keyDer: Uint8Array; // PKCS#8
  keyPem: string;
  subject: string;
  issuer: string;
  notAfter: Date;
  fingerprintHex: string;
};

const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;

let ca: Promise<{ cert: x509.X509Certificate; key: webcrypto.CryptoKey }> | undefined;
function accountCa() {
  ca ??= (async () => {
    const cert = new x509.X509Certificate(fixture('account-ca/ca.pem'));
    const key = await subtle.importKey('pkcs8', pemToDer(fixture('account-ca/ca.key.pem')) as Uint8Array<ArrayBuffer>, ALG, false, ['sign']);
    return { cert, key };
  })();
  return ca;
}

let bootstrapCaDer: Uint8Array | undefined;
export function bootstrapServerRootCaDer(): Uint8Array {
  bootstrapCaDer ??= pemToDer(fixture('bootstrap-ca/ca.pem'));
  return bootstrapCaDer;
}

export async function issueDeveloperCertificate(endpointName: string, accountId: string): Promise<IssuedDeveloperCertificate> {
  const { cert: caCert, key: caKey } = await accountCa();
  const keys = (await subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + 10 * 365.25 * 24 * 3600 * 1000);
  const serial = Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial.toString('hex'),
    subject: `CN=${endpointName}, OU=${accountId}, O=Device Management emulator`,
    issuer: caCert.subject,
    notBefore,
    notAfter,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    publicKey: keys.publicKey as unknown as X509Key,
    signingKey: caKey as unknown as X509Key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false),
    ],
  });
  const certDer = new Uint8Array(cert.rawData);
  const keyDer = new Uint8Array(await subtle.exportKey('pkcs8', keys.privateKey));
  const fp = new Uint8Array(await subtle.digest('SHA-256', certDer as Uint8Array<ArrayBuffer>));
  return {
    certDer,
    certPem: derToPem(certDer, 'CERTIFICATE'),
    keyDer,
    keyPem: derToPem(keyDer, 'PRIVATE KEY'),
    subject: cert.subject,
    issuer: cert.issuer,
    notAfter,
    fingerprintHex: Buffer.from(fp).toString('hex'),
  };
}
