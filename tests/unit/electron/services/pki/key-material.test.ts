import { execFile } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCertificateAndKey } from '../../../../../electron/services/pki/key-material';
import { makeUpdateCertificate, type NewCertificate } from '../../../../../electron/services/pki/make-certificate';

const run = promisify(execFile);
const names = { certificate: 'cert.der', key: 'key.pem' };
const subject = { country: '', state: '', locality: '', organization: '', commonName: 'arm.com' };
let dir: string;
let a: NewCertificate;
let b: NewCertificate;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pws-keys-'));
  a = await makeUpdateCertificate({ subject, notBefore: new Date(), notAfter: new Date(Date.now() + 864e5) });
  b = await makeUpdateCertificate({ subject, notBefore: new Date(), notAfter: new Date(Date.now() + 864e5) });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const pemCert = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

describe('checkCertificateAndKey', () => {
  it('accepts a matching P-256 pair in DER/PEM and PKCS#8/SEC1 forms and normalises them', () => {
    const pkcs8Pem = createPrivateKey(a.keyPem).export({ type: 'pkcs8', format: 'pem' }) as string;
    const sec1Der = createPrivateKey(a.keyPem).export({ type: 'sec1', format: 'der' });
    for (const [cert, key] of [
      [a.der, Buffer.from(a.keyPem)],
      [Buffer.from(pemCert(a.der)), Buffer.from(pkcs8Pem)],
      [a.der, sec1Der],
    ] as const) {
      const r = checkCertificateAndKey(cert, key, names);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (r.ok) {
        expect(Buffer.from(r.value.der).equals(Buffer.from(a.der))).toBe(true);
        expect(r.value.keyPem.startsWith('-----BEGIN EC PRIVATE KEY-----')).toBe(true);
      }
    }
  });

  it('refuses a key that is not the certificate’s', () => {
    expect(checkCertificateAndKey(a.der, Buffer.from(b.keyPem), names)).toEqual({
      ok: false,
      code: 'key-mismatch',
      message: 'key.pem is not the private key of cert.der: give the key that belongs to this certificate',
      details: { file: 'key' },
    });
  });

  it('refuses an RSA certificate and an RSA or P-384 key, naming the key type', async () => {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'rsa.pem'),
      '-out',
      join(dir, 'rsa.der'),
      '-outform',
      'DER',
      '-subj',
      '/CN=rsa',
      '-days',
      '1',
    ]);
    const r = checkCertificateAndKey(await readFile(join(dir, 'rsa.der')), await readFile(join(dir, 'rsa.pem')), names);
    expect(r).toMatchObject({ ok: false, code: 'unsupported-key' });
    expect(!r.ok && r.message).toMatch(/^cert\.der holds an RSA 2048 key: update certificates must use EC P-256/);
    await run('openssl', ['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', join(dir, 'p384.pem')]);
    const k = checkCertificateAndKey(a.der, await readFile(join(dir, 'p384.pem')), names);
    expect(!k.ok && k.message).toMatch(/^key\.pem is an EC secp384r1 key/);
  });

  it('refuses unreadable input, saying which file is at fault', () => {
    expect(checkCertificateAndKey(Buffer.from('nope'), Buffer.from(a.keyPem), names)).toMatchObject({
      ok: false,
      code: 'certificate-unreadable',
      details: { file: 'certificate' },
    });
    expect(checkCertificateAndKey(a.der, Buffer.from('nope'), names)).toMatchObject({
      ok: false,
      code: 'key-unreadable',
      message: "key.pem is not a private key in PEM or DER form: give the private key's file",
      details: { file: 'key' },
    });
  });
});
