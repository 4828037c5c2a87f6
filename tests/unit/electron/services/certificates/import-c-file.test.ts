import { describe, it, expect } from 'vitest';
import { X509Certificate, createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { developerCertificateFiles, updateCertificateFiles } from '../../../../../electron/services/certificates/import-c-file';
import { FIXTURES } from '../stores/mbl-cli-fixture';

const cFile = (n: string) => readFileSync(join(FIXTURES, 'c-files', n), 'utf8');
const hex = (s: string) => Buffer.from(s.replace(/-/g, ''), 'hex');

describe('update_default_resources.c → arm_uc_*.bin', () => {
  const der = readFileSync(join(FIXTURES, 'c-files/update-default.der'));

  it('gives every array byte for byte, the empty PSK files included (checked against the DER, not the parser)', () => {
    const r = updateCertificateFiles(cFile('update_default_resources.c'), 'update_default_resources.c');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const files = Object.fromEntries(r.value.map((f) => [f.name, Buffer.from(f.data)]));
    expect(Object.keys(files).sort()).toEqual([
      'arm_uc_class_id.bin',
      'arm_uc_default_certificate.bin',
      'arm_uc_default_fingerprint.bin',
      'arm_uc_default_psk.bin',
      'arm_uc_default_psk_id.bin',
      'arm_uc_default_subject_key_identifier.bin',
      'arm_uc_vendor_id.bin',
    ]);
    // compat-formats §1.2 known answers for arm.com / dev-device.
    expect(files['arm_uc_vendor_id.bin']).toEqual(hex('fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe'));
    expect(files['arm_uc_class_id.bin']).toEqual(hex('4d131344-feab-5a2e-84a2-0dccdd905f35'));
    expect(files['arm_uc_default_certificate.bin']).toEqual(der);
    expect(files['arm_uc_default_fingerprint.bin']).toEqual(createHash('sha256').update(der).digest());
    const spki = new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
    expect(files['arm_uc_default_subject_key_identifier.bin']).toEqual(createHash('sha256').update(spki).digest().subarray(0, 20));
    expect(files['arm_uc_default_psk.bin']!.length).toBe(0);
    expect(files['arm_uc_default_psk_id.bin']!.length).toBe(0);
  });

  it('reads the same bytes from a CRLF copy with comments', () => {
    const text = `/* copied from a Windows box */\r\n${cFile('update_default_resources.c').replace(/\n/g, ' // c\r\n')}`;
    const a = updateCertificateFiles(cFile('update_default_resources.c'), 'a.c');
    const b = updateCertificateFiles(text, 'b.c');
    expect(b).toEqual(a);
  });

  it('refuses a truncated file naming the line and the symbol', () => {
    const lines = cFile('update_default_resources.c').split('\n');
    const cut = lines.findIndex((l) => l.startsWith('const uint8_t arm_uc_default_certificate[]')) + 5;
    const r = updateCertificateFiles(lines.slice(0, cut).join('\n'), 'update_default_resources.c');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('parse-error');
    expect(r.message).toMatch(/update_default_resources\.c, line \d+: arm_uc_default_certificate: unterminated array/);
    expect(r.message).toMatch(/nothing was stored/);
  });

  it('refuses a file without the certificate, naming the symbol', () => {
    const text = cFile('update_default_resources.c').replace(/const uint8_t arm_uc_default_certificate\[\][\s\S]*?\};/, '');
    const r = updateCertificateFiles(text, 'upd.c');
    expect(r).toMatchObject({ ok: false, code: 'missing-symbol', details: { symbol: 'arm_uc_default_certificate' } });
    expect(!r.ok && r.message).toMatch(/upd\.c has no arm_uc_default_certificate/);
  });

  it("refuses a bad byte naming the line, and a fingerprint that is not the certificate's", () => {
    const text = cFile('update_default_resources.c').replace('0xfa, 0x6b', '0xfa, 0xg6b');
    const r = updateCertificateFiles(text, 'upd.c');
    expect(!r.ok && r.message).toMatch(/upd\.c, line \d+: arm_uc_vendor_id: '0xg6b' is not a byte value/);
    const spliced = cFile('update_default_resources.c').replace(/(arm_uc_default_fingerprint\[\] =\s+\{\s+)0x[0-9a-f]+/, '$10x0');
    const s = updateCertificateFiles(spliced, 'upd.c');
    expect(s).toMatchObject({ ok: false, details: { symbol: 'arm_uc_default_fingerprint' } });
  });

  it('names a DER or PEM file given instead of the C file, and says which file to give', () => {
    const derAsText = der.toString('utf8'); // as a file picker's text
    expect(updateCertificateFiles(derAsText, 'default.der')).toMatchObject({
      ok: false,
      message:
        "default.der is a binary file (a DER certificate or key?), not a C file: give manifest-tool's update_default_resources.c (pws init and manifest-tool init write it); nothing was stored",
    });
    const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
    expect(developerCertificateFiles(pem, 'device.pem')).toMatchObject({
      ok: false,
      message: "device.pem is PEM text (a certificate or key), not a C file: give the portal's mbed_cloud_dev_credentials.c; nothing was stored",
    });
  });
});

describe('developer credentials C file → MBED_CLOUD_DEV_*.bin', () => {
  it('stores strings exactly (UTF-8, no NUL), MEMORY_TOTAL_KB as 4 bytes LE and the arrays as raw DER', () => {
    const r = developerCertificateFiles(cFile('mbed_cloud_dev_credentials.c'), 'creds.c');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const f = Object.fromEntries(r.value.map((x) => [x.name, Buffer.from(x.data)]));
    expect(Object.keys(f)).toHaveLength(12);
    expect(f['MBED_CLOUD_DEV_MANUFACTURER.bin']!.toString('utf8')).toBe('ACME Inc. dev_manufacturer');
    expect(f['MBED_CLOUD_DEV_MODEL_NUMBER.bin']!.toString('utf8')).toBe('dev model num');
    expect(f['MBED_CLOUD_DEV_SERIAL_NUMBER.bin']).toEqual(Buffer.from('0'));
    expect(f['MBED_CLOUD_DEV_MEMORY_TOTAL_KB.bin']).toEqual(Buffer.from([0x00, 0x00, 0x08, 0x00]));
    expect(f['MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME.bin']!.toString()).toBe('0172a3b4c5d6e7f80123456789abcdef');
    const pem = cFile('mbed_cloud_dev_credentials.pem');
    const cert = new X509Certificate(pem);
    expect(f['MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE.bin']).toEqual(cert.raw);
    const keyDer = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
    expect(f['MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY.bin']).toEqual(keyDer);
    expect(cert.verify(new X509Certificate(readFileSync(join(FIXTURES, 'account-ca/ca.pem'))).publicKey)).toBe(true);
  });

  it('names a missing symbol', () => {
    const text = cFile('mbed_cloud_dev_credentials.c').replace(/const char MBED_CLOUD_DEV_HARDWARE_VERSION\[\] = "[^"]*";/, '');
    const r = developerCertificateFiles(text, 'creds.c');
    expect(r).toMatchObject({ ok: false, code: 'missing-symbol', details: { symbol: 'MBED_CLOUD_DEV_HARDWARE_VERSION' } });
  });

  it('refuses credentials a board could not bootstrap with: a key not the certificate’s, a CN not the endpoint name, a URI for another account', () => {
    const text = cFile('mbed_cloud_dev_credentials.c');
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'der' });
    const array = `{ ${[...otherKey].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')} };`;
    const cases: Array<[string, string, RegExp]> = [
      [
        text.replace(/(MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY\[\] =\s*)\{[^}]*\};/, `$1${array}`),
        'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY',
        /^creds\.c: MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY does not belong to MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE: .*download it again: nothing was stored$/,
      ],
      [
        text.replace(/MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME\[\] = "[^"]*"/, 'MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME[] = "someone-else"'),
        'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE',
        /the certificate's CN \(0172a3b4c5d6e7f80123456789abcdef\) is not MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME \(someone-else\)/,
      ],
      [
        text.replace(/\?aid=[0-9a-f]+/, '?aid=0000000000000000000000000000beef'),
        'MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI',
        /MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI is for account 0000000000000000000000000000beef, but MBED_CLOUD_DEV_ACCOUNT_ID is 016f/,
      ],
    ];
    for (const [bad, symbol, message] of cases) {
      expect(bad).not.toBe(text);
      const r = developerCertificateFiles(bad, 'creds.c');
      expect(r).toMatchObject({ ok: false, code: 'parse-error', details: { symbol } });
      expect(!r.ok && r.message).toMatch(message);
    }
  });
});
