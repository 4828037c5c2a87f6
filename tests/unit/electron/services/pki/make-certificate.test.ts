import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateParts, rfc7093KeyId, sha256, summarizeCertificate } from '../../../../../electron/services/pki/certificate-summary';
import { makeUpdateCertificate, signUpdateCertificate, type NewCertificate } from '../../../../../electron/services/pki/make-certificate';
import type { SubjectFields } from '../../../../../shared/domain/update-certificate';

const run = promisify(execFile);
const subject = { country: 'GB', state: 'Cambridgeshire', locality: 'Cambridge', organization: 'Example Devices', commonName: 'arm.com' };
const notBefore = new Date('2026-11-22T10:00:00Z');
const notAfter = new Date('2027-02-20T10:00:00Z');

let dir: string;
let cert: NewCertificate;
let text: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pws-cert-'));
  cert = await makeUpdateCertificate({ subject, notBefore, notAfter });
  await writeFile(join(dir, 'c.der'), cert.der);
  text = (await run('openssl', ['x509', '-inform', 'DER', '-in', join(dir, 'c.der'), '-text', '-noout'])).stdout;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('makeUpdateCertificate (openssl reads the profile of compat-formats §1.3)', () => {
  it('is a self-signed P-256 ecdsa-with-SHA256 certificate with the subject in C, ST, L, O, CN order', () => {
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    expect(text).toMatch(/ASN1 OID: prime256v1/);
    expect(text).toContain('Subject: C = GB, ST = Cambridgeshire, L = Cambridge, O = Example Devices, CN = arm.com');
    expect(text).toContain('Issuer: C = GB, ST = Cambridgeshire, L = Cambridge, O = Example Devices, CN = arm.com');
    expect(text).toContain('Not Before: Nov 22 10:00:00 2026 GMT');
    expect(text).toContain('Not After : Feb 20 10:00:00 2027 GMT');
    expect(new X509Certificate(Buffer.from(cert.der)).verify(new X509Certificate(Buffer.from(cert.der)).publicKey)).toBe(true);
  });

  it('has exactly the four extensions, in order, none critical', () => {
    const exts = text.slice(text.indexOf('X509v3 extensions:'), text.indexOf('Signature Algorithm', text.indexOf('X509v3 extensions:')));
    const names = [...exts.matchAll(/^ {12}(X509v3 [^:]+):( critical)?/gm)].map((m) => [m[1], m[2] ?? '']);
    expect(names).toEqual([
      ['X509v3 Key Usage', ''],
      ['X509v3 Subject Alternative Name', ''],
      ['X509v3 Extended Key Usage', ''],
      ['X509v3 Subject Key Identifier', ''],
    ]);
    expect(exts).toMatch(/Key Usage: \n\s+Digital Signature\n/);
    expect(exts).toMatch(/Alternative Name: \n\s+DNS:localhost\n/);
    expect(exts).toMatch(/Extended Key Usage: \n\s+Code Signing\n/);
  });

  it('uses SHA-256(SPKI DER)[:20] as the SKI, not SHA-1', async () => {
    const pem = (await run('openssl', ['x509', '-inform', 'DER', '-in', join(dir, 'c.der'), '-pubkey', '-noout'])).stdout;
    const spki = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const expected = Buffer.from(sha256(spki).subarray(0, 20)).toString('hex');
    const shown = /Subject Key Identifier: \n\s+([0-9A-F:]+)/.exec(text)![1]!.replace(/:/g, '').toLowerCase();
    expect(shown).toBe(expected);
    expect(Buffer.from(certificateParts(cert.der).ski!).toString('hex')).toBe(expected);
  });

  it('has a random positive serial of at most 159 bits', async () => {
    const serials = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const c = i === 0 ? cert : await makeUpdateCertificate({ subject, notBefore, notAfter });
      const serial = new X509Certificate(Buffer.from(c.der)).serialNumber; // hex, as DER INTEGER content
      const n = BigInt(`0x${serial}`);
      expect(n > 0n).toBe(true);
      expect(n < 1n << 159n).toBe(true);
      serials.add(serial);
    }
    expect(serials.size).toBe(8);
  });

  it('gives the key as SEC1 PEM, P-256, belonging to the certificate', () => {
    expect(cert.keyPem.startsWith('-----BEGIN EC PRIVATE KEY-----\n')).toBe(true);
    const key = createPrivateKey(cert.keyPem);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(new X509Certificate(Buffer.from(cert.der)).checkPrivateKey(key)).toBe(true);
  });

  it('leaves empty subject fields out', async () => {
    const c = await makeUpdateCertificate({ subject: { ...subject, country: '', state: '', locality: '', organization: '' }, notBefore, notAfter });
    expect(summarizeCertificate(c.der)).toMatchObject({ ok: true, value: { subject: 'CN=arm.com' } });
  });
});

const fixture = (name: string) => readFile(new URL(`../../../../fixtures/update-cert/${name}`, import.meta.url));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The certificate as @peculiar/x509 made it before pws built it itself: the reference for every byte but the signature. */
async function peculiarTbs(opts: { subject: SubjectFields; notBefore: Date; notAfter: Date; serial: Uint8Array; privateKey: KeyObject; publicKey: KeyObject }) {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const spki = opts.publicKey.export({ type: 'spki', format: 'der' });
  const keys = {
    privateKey: await webcrypto.subtle.importKey('pkcs8', opts.privateKey.export({ type: 'pkcs8', format: 'der' }), alg, false, ['sign']),
    publicKey: await webcrypto.subtle.importKey('spki', spki, alg, true, ['verify']),
  } as unknown as x509.X509CertificateCreateSelfSignedParams['keys'];
  const s = opts.subject;
  const name = (
    [
      ['C', s.country, true],
      ['ST', s.state],
      ['L', s.locality],
      ['O', s.organization],
      ['CN', s.commonName],
    ] as const
  )
    .filter(([, v]) => v)
    .map(([k, v, printable]) => ({ [k]: [printable ? { printableString: v } : { utf8String: v }] }));
  const reference = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: hex(opts.serial),
    name: new x509.Name(name),
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, false),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }], false),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning], false),
      new x509.SubjectKeyIdentifierExtension(hex(rfc7093KeyId(new Uint8Array(spki))), false),
    ],
  });
  return hex(certificateParts(new Uint8Array(reference.rawData)).tbs);
}

describe('the certificate bytes stay as the X.509 library made them (compat-formats §1.3)', () => {
  it('rebuilds the golden certificate byte for byte but the signature, from its key, serial, dates and subject', async () => {
    const der = await fixture('default.der');
    const privateKey = createPrivateKey(await fixture('default.key.pem'));
    const publicKey = createPublicKey(privateKey);
    const golden = certificateParts(der);
    const rebuilt = signUpdateCertificate({
      subject: { country: 'GB', state: 'Cambridgeshire', locality: 'Cambridge', organization: 'Example Devices Ltd', commonName: 'arm.com' },
      notBefore: golden.notBefore,
      notAfter: golden.notAfter,
      serial: Buffer.from(new X509Certificate(der).serialNumber, 'hex'),
      privateKey,
      publicKey,
    });
    expect(hex(certificateParts(rebuilt).tbs)).toBe(hex(golden.tbs));
    expect(rebuilt.length).toBeGreaterThan(golden.tbs.length);
    expect(new X509Certificate(Buffer.from(rebuilt)).verify(publicKey)).toBe(true);
  });

  it.each([
    ['a serial with leading zero bytes and then a high bit', { serial: '00009f' + 'ab'.repeat(17) }],
    ['a serial of one byte', { serial: '00'.repeat(19) + '01' }],
    [
      'long UTF-8 subject fields (two-byte lengths)',
      { subject: { ...subject, state: 'Île-de-France ✓', organization: 'Ö'.repeat(140), locality: 'x'.repeat(300) } },
    ],
    ['only a common name', { subject: { country: '', state: '', locality: '', organization: '', commonName: 'example.org' } }],
    [
      'an expiry from 2050 on (GeneralizedTime) and milliseconds dropped',
      { notBefore: new Date('2049-12-31T23:59:59.999Z'), notAfter: new Date('2126-01-01T00:00:00.500Z') },
    ],
  ])('matches @peculiar/x509 for %s', async (_, c: { serial?: string; subject?: SubjectFields; notBefore?: Date; notAfter?: Date }) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const opts = {
      subject: c.subject ?? subject,
      notBefore: c.notBefore ?? notBefore,
      notAfter: c.notAfter ?? notAfter,
      serial: Buffer.from(c.serial ?? '5cc0e60508dcc71cc01e31293f92f2e3ea30cf97', 'hex'),
      privateKey,
      publicKey,
    };
    const ours = signUpdateCertificate(opts);
    expect(hex(certificateParts(ours).tbs)).toBe(await peculiarTbs(opts));
    expect(new X509Certificate(Buffer.from(ours)).verify(publicKey)).toBe(true);
  });
});
