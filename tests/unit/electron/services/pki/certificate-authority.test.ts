import { execFile } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCaImport, makeCaCertificate, type CaMaterial } from '../../../../../electron/services/pki/certificate-authority';
import { loadSigningCa, type SigningCa } from '../../../../../electron/services/pki/signing-ca';
import { issueDeviceIdentity } from '../../../../../electron/services/identities/issue-identity';

const run = promisify(execFile);
const now = new Date();
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);
const pem = (der: Uint8Array) => new X509Certificate(Buffer.from(der)).toString();
const names = { certificate: 'ca.pem', key: 'ca.key.pem' };

let dir: string;
let ca: CaMaterial;
const openssl = async (...args: string[]) => (await run('openssl', args, { cwd: dir })).stdout;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pws-ca-'));
  ca = makeCaCertificate({
    name: 'Lab CA',
    organization: 'Example Devices',
    organizationalUnit: 'Pilot line',
    country: 'gb',
    notBefore: now,
    notAfter: inDays(3650),
  });
  await writeFile(join(dir, 'ca.pem'), pem(ca.der));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function signing(material: CaMaterial, name = 'lab'): SigningCa {
  const r = loadSigningCa(name, material.der, material.keyPem);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('makeCaCertificate (openssl reads the CA profile of compat-formats §5)', () => {
  it('is a self-signed P-256 CA: CA:TRUE pathlen 0 and keyCertSign + cRLSign, both critical, with an SKI', async () => {
    const text = await openssl('x509', '-in', 'ca.pem', '-text', '-noout');
    expect(text).toContain('Subject: C = GB, O = Example Devices, OU = Pilot line, CN = Lab CA');
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/);
    expect(text).toMatch(/X509v3 Subject Key Identifier/);
    expect(text).toMatch(/ASN1 OID: prime256v1/);
    expect(await openssl('verify', '-CAfile', 'ca.pem', 'ca.pem')).toMatch(/ca\.pem: OK/);
    expect(ca.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });
});

describe('checkCaImport refuses, with a reason, anything but a usable CA and its own key', () => {
  it('accepts our CA as PEM or DER, with its key as PKCS#8 PEM, SEC1 PEM or DER', () => {
    const key = createPrivateKey(ca.keyPem);
    for (const cert of [Buffer.from(pem(ca.der)), Buffer.from(ca.der)]) {
      for (const k of [
        Buffer.from(ca.keyPem),
        Buffer.from(key.export({ type: 'sec1', format: 'pem' }) as string),
        key.export({ type: 'pkcs8', format: 'der' }),
      ]) {
        const r = checkCaImport(cert, k, names, now);
        expect(r.ok && Buffer.from(r.value.der).equals(Buffer.from(ca.der))).toBe(true);
      }
    }
  });

  it('a certificate that is not a CA', async () => {
    const leaf = await readFile(new URL('../../../../fixtures/update-cert/default.der', import.meta.url));
    const key = await readFile(new URL('../../../../fixtures/update-cert/default.key.pem', import.meta.url));
    const r = checkCaImport(leaf, key, names, now);
    expect(r).toMatchObject({ ok: false, code: 'not-a-ca' });
    expect(!r.ok && r.message).toMatch(/ca\.pem is not a CA certificate \(it has no basicConstraints CA:TRUE; subject .*CN=arm\.com\)/);
  });

  it('a key that does not match', () => {
    const other = makeCaCertificate({ name: 'other', notBefore: now, notAfter: inDays(10) });
    const r = checkCaImport(ca.der, Buffer.from(other.keyPem), names, now);
    expect(r).toMatchObject({ ok: false, code: 'key-mismatch', message: expect.stringMatching(/ca\.key\.pem is not the private key of ca\.pem/) });
  });

  it('an RSA key under 2048 bits, while RSA 2048 is fine', async () => {
    for (const bits of [1024, 2048]) {
      await openssl(
        'req',
        '-x509',
        '-newkey',
        `rsa:${bits}`,
        '-nodes',
        '-keyout',
        `rsa${bits}.key`,
        '-out',
        `rsa${bits}.pem`,
        '-days',
        '30',
        '-subj',
        '/CN=rsa',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
      );
      const r = checkCaImport(await readFile(join(dir, `rsa${bits}.pem`)), await readFile(join(dir, `rsa${bits}.key`)), names, now);
      if (bits === 1024) expect(r).toMatchObject({ ok: false, code: 'weak-key', message: expect.stringMatching(/RSA 1024 key: a CA needs at least RSA 2048/) });
      else expect(r.ok).toBe(true);
    }
  });

  it('an expired certificate', () => {
    const old = makeCaCertificate({ name: 'old', notBefore: inDays(-20), notAfter: inDays(-1) });
    const r = checkCaImport(old.der, Buffer.from(old.keyPem), names, now);
    expect(r).toMatchObject({ ok: false, code: 'certificate-expired', message: expect.stringMatching(/ca\.pem expired on \d{4}-\d\d-\d\d/) });
  });

  it('a CA certificate whose keyUsage does not allow signing certificates', async () => {
    await openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ku.key',
      '-out',
      'ku.pem',
      '-days',
      '30',
      '-subj',
      '/CN=ku',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,digitalSignature',
    );
    const r = checkCaImport(await readFile(join(dir, 'ku.pem')), await readFile(join(dir, 'ku.key')), names, now);
    expect(r).toMatchObject({ ok: false, code: 'not-a-ca', message: expect.stringMatching(/keyUsage lacks keyCertSign/) });
  });

  it('unreadable files and an encrypted key', () => {
    expect(checkCaImport(Buffer.from('hello'), Buffer.from(ca.keyPem), names, now)).toMatchObject({ ok: false, code: 'certificate-unreadable' });
    expect(checkCaImport(ca.der, Buffer.from('nope'), names, now)).toMatchObject({ ok: false, code: 'key-unreadable' });
    const encrypted = createPrivateKey(ca.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }) as string;
    expect(checkCaImport(ca.der, Buffer.from(encrypted), names, now)).toMatchObject({
      ok: false,
      code: 'key-unreadable',
      message: expect.stringMatching(/is encrypted/),
    });
  });

  it('an Ed25519 CA, which devices cannot verify', async () => {
    await openssl(
      'req',
      '-x509',
      '-newkey',
      'ed25519',
      '-nodes',
      '-keyout',
      'ed.key',
      '-out',
      'ed.pem',
      '-days',
      '30',
      '-subj',
      '/CN=ed',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    );
    const r = checkCaImport(await readFile(join(dir, 'ed.pem')), await readFile(join(dir, 'ed.key')), names, now);
    expect(r).toMatchObject({ ok: false, code: 'unsupported-key' });
  });
});

describe('issueDeviceIdentity (openssl checks each device certificate against the CA)', () => {
  it('chains to the CA, with CN = the endpoint name, O/OU of the CA, the profile of §5 and its own fresh key', async () => {
    const id = issueDeviceIdentity(signing(ca), 'mbed-linux-os-3', { notBefore: now, notAfter: inDays(20 * 365) });
    await writeFile(join(dir, 'dev.pem'), pem(id.certificate));
    expect(await openssl('verify', '-CAfile', 'ca.pem', '-purpose', 'sslclient', 'dev.pem')).toMatch(/dev\.pem: OK/);
    const text = await openssl('x509', '-in', 'dev.pem', '-text', '-noout');
    expect(text).toContain('Subject: O = Example Devices, OU = Pilot line, CN = mbed-linux-os-3');
    expect(text).toContain('Issuer: C = GB, O = Example Devices, OU = Pilot line, CN = Lab CA');
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: \n\s+TLS Web Client Authentication\n/);
    const aki = /Authority Key Identifier: \n\s+(?:keyid:)?([0-9A-F:]+)/.exec(text)![1];
    const caText = await openssl('x509', '-in', 'ca.pem', '-text', '-noout');
    expect(aki).toBe(/Subject Key Identifier: \n\s+([0-9A-F:]+)/.exec(caText)![1]);
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);

    const x = new X509Certificate(Buffer.from(id.certificate));
    expect(x.checkPrivateKey(createPrivateKey({ key: id.privateKey, format: 'der', type: 'pkcs8' }))).toBe(true);
    expect(x.serialNumber.toLowerCase()).toBe(id.record.serial.toUpperCase().toLowerCase());
    expect(Buffer.from(x.serialNumber, 'hex').length).toBeLessThanOrEqual(16);
    expect(id.record.fingerprint).toBe(x.fingerprint256.replace(/:/g, '').toLowerCase());
    expect(id.record.enrollmentIdentity).toBe(`A-${x.fingerprint256.toLowerCase()}`);
  });

  it('every identity has its own key and serial', async () => {
    const ids = [1, 2, 3, 4, 5].map((n) => issueDeviceIdentity(signing(ca), `d${n}`, { notBefore: now, notAfter: inDays(10) }));
    expect(new Set(ids.map((i) => i.privateKey.toString('hex'))).size).toBe(5);
    expect(new Set(ids.map((i) => i.record.serial)).size).toBe(5);
  });

  it('signs with an imported RSA or P-384 CA too (their own signature algorithms)', async () => {
    for (const [alg, opt, expected] of [
      ['rsa:2048', [], 'sha256WithRSAEncryption'],
      ['ec', ['-pkeyopt', 'ec_paramgen_curve:P-384'], 'ecdsa-with-SHA384'],
    ] as const) {
      await openssl(
        'req',
        '-x509',
        '-newkey',
        alg,
        ...opt,
        '-nodes',
        '-keyout',
        'other.key',
        '-out',
        'other.pem',
        '-days',
        '30',
        '-subj',
        '/O=Imported/CN=other',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign',
      );
      const material = checkCaImport(await readFile(join(dir, 'other.pem')), await readFile(join(dir, 'other.key')), names, now);
      if (!material.ok) throw new Error(material.message);
      const id = issueDeviceIdentity(signing(material.value), 'ep', { notBefore: now, notAfter: inDays(10) });
      await writeFile(join(dir, 'dev2.pem'), pem(id.certificate));
      expect(await openssl('verify', '-CAfile', 'other.pem', 'dev2.pem')).toMatch(/OK/);
      expect(await openssl('x509', '-in', 'dev2.pem', '-text', '-noout')).toContain(`Signature Algorithm: ${expected}`);
    }
  });

  it('loadSigningCa refuses a key that is not the CA key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(loadSigningCa('lab', ca.der, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toMatchObject({ ok: false, code: 'key-mismatch' });
  });
});
