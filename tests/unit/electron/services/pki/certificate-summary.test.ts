import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { summarizeCertificate } from '../../../../../electron/services/pki/certificate-summary';

const run = promisify(execFile);
const fixtureDer = new Uint8Array(readFileSync(new URL('../../../../fixtures/update-cert/default.der', import.meta.url)));

describe('summarizeCertificate', () => {
  it('reads the golden certificate as openssl does', async () => {
    const r = summarizeCertificate(fixtureDer);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const fp = (
      await run('openssl', [
        'x509',
        '-inform',
        'DER',
        '-in',
        new URL('../../../../fixtures/update-cert/default.der', import.meta.url).pathname,
        '-noout',
        '-fingerprint',
        '-sha256',
      ])
    ).stdout;
    expect(r.value.fingerprint).toBe(fp.split('=')[1]!.trim().replace(/:/g, '').toLowerCase());
    expect(r.value).toMatchObject({
      subject: 'C=GB, ST=Cambridgeshire, L=Cambridge, O=Example Devices Ltd, CN=arm.com',
      notBefore: '2026-11-22T00:00:00.000Z',
      notAfter: '2036-11-19T00:00:00.000Z',
      keyType: 'EC P-256',
      selfSigned: true,
    });
    expect(r.value.ski).toMatch(/^[0-9a-f]{40}$/);
  });

  it('names RSA keys and their size, and a missing SKI as null', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pws-rsa-'));
    try {
      await run('openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.der'),
        '-outform',
        'DER',
        '-subj',
        '/CN=rsa.example',
        '-days',
        '1',
        '-addext',
        'subjectKeyIdentifier=none',
      ]);
      const r = summarizeCertificate(new Uint8Array(await readFile(join(dir, 'c.der'))));
      expect(r).toMatchObject({ ok: true, value: { keyType: 'RSA 2048', subject: 'CN=rsa.example' } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses what is not a certificate, without throwing', () => {
    expect(summarizeCertificate(new TextEncoder().encode('hello'))).toMatchObject({ ok: false, code: 'certificate-unreadable' });
    expect(summarizeCertificate(fixtureDer.subarray(0, 100))).toMatchObject({ ok: false, code: 'certificate-unreadable' });
  });
});
