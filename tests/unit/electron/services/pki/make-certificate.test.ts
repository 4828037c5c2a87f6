import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateParts, sha256, summarizeCertificate } from '../../../../../electron/services/pki/certificate-summary';
import { makeUpdateCertificate, type NewCertificate } from '../../../../../electron/services/pki/make-certificate';

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
