import { describe, it, expect } from 'vitest';
import {
  DEV_CREDENTIALS_SYMBOLS,
  parseCSymbols,
  renderDeveloperCredentialsC,
  requireSymbols,
  symbolText,
  type CSymbolMap,
} from '../../../../shared/domain/credentials-c-file';

const seq = (n: number, start = 0) => Uint8Array.from({ length: n }, (_, i) => (start + i * 7) & 0xff);
const CERT = Uint8Array.from([0x30, 0x82, 0x02, 0x82, 0x30, 0x82, 0x02, 0x29, 0xa0, 0x03, 0x0b]);
const ROOT = seq(17, 3);
const KEY = seq(8, 100);
const EP = '0123456789abcdef0123456789abcdef';
const ACCT = 'fedcba9876543210fedcba9876543210';
const URI = `coaps://bootstrap.emulator.invalid:5684?aid=${ACCT}`;

function render(extra: Partial<Parameters<typeof renderDeveloperCredentialsC>[0]> = {}) {
  return renderDeveloperCredentialsC({
    endpointName: EP,
    accountId: ACCT,
    serverUri: URI,
    deviceCertDer: CERT,
    serverRootCaDer: ROOT,
    devicePrivateKeyDer: KEY,
    ...extra,
  });
}

function parsed(text: string, file = 'test.c'): CSymbolMap {
  const r = parseCSymbols(text, { file });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('renderDeveloperCredentialsC', () => {
  it('writes exactly the §2.3 layout', () => {
    const expected = [
      '#ifndef __MBED_CLOUD_DEV_CREDENTIALS_H__',
      '#define __MBED_CLOUD_DEV_CREDENTIALS_H__',
      '',
      '#include <inttypes.h>',
      '',
      `const char MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME[] = "${EP}";`,
      `const char MBED_CLOUD_DEV_ACCOUNT_ID[] = "${ACCT}";`,
      `const char MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI[] = "${URI}";`,
      '',
      'const uint8_t MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE[] = ',
      '{ 0x30, 0x82, 0x02, 0x82, 0x30, 0x82, 0x02, 0x29,',
      ' 0xa0, 0x03, 0x0b };',
      'const uint8_t MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE[] = ',
      '{ 0x03, 0x0a, 0x11, 0x18, 0x1f, 0x26, 0x2d, 0x34,',
      ' 0x3b, 0x42, 0x49, 0x50, 0x57, 0x5e, 0x65, 0x6c,',
      ' 0x73 };',
      'const uint8_t MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY[] = ',
      '{ 0x64, 0x6b, 0x72, 0x79, 0x80, 0x87, 0x8e, 0x95 };',
      'const char MBED_CLOUD_DEV_MANUFACTURER[] = "dev_manufacturer";',
      'const char MBED_CLOUD_DEV_MODEL_NUMBER[] = "dev_model_num";',
      'const char MBED_CLOUD_DEV_SERIAL_NUMBER[] = "0";',
      'const char MBED_CLOUD_DEV_DEVICE_TYPE[] = "dev_device_type";',
      'const char MBED_CLOUD_DEV_HARDWARE_VERSION[] = "dev_hardware_version";',
      'const uint32_t MBED_CLOUD_DEV_MEMORY_TOTAL_KB = 0;',
      'const uint32_t MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE_SIZE = sizeof(MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE);',
      'const uint32_t MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE_SIZE = sizeof(MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE);',
      'const uint32_t MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY_SIZE = sizeof(MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY);',
      '',
      '#endif //__MBED_CLOUD_DEV_CREDENTIALS_H__',
      '',
    ].join('\n');
    expect(render()).toBe(expected);
  });

  it('round-trips through the parser', () => {
    const m = parsed(render({ manufacturer: 'ACME r', modelNumber: 'dev model r', serialNumber: 'SN "1" \\ ü', memoryTotalKb: 0x12345678 }));
    expect(requireSymbols(m, DEV_CREDENTIALS_SYMBOLS)).toEqual({ ok: true });
    expect([...m.keys()]).toEqual([...DEV_CREDENTIALS_SYMBOLS]);
    expect(m.get('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE')).toEqual({ kind: 'bytes', value: CERT });
    expect(m.get('MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE')!.value).toEqual(ROOT);
    expect(m.get('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY')!.value).toEqual(KEY);
    expect(symbolText(m.get('MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI')!)).toBe(URI);
    expect(m.get('MBED_CLOUD_DEV_ACCOUNT_ID')!.kind).toBe('string');
    // mbl-cli's bugs are not copied: no 'r' stripping, no space deletion.
    expect(symbolText(m.get('MBED_CLOUD_DEV_MANUFACTURER')!)).toBe('ACME r');
    expect(symbolText(m.get('MBED_CLOUD_DEV_MODEL_NUMBER')!)).toBe('dev model r');
    expect(symbolText(m.get('MBED_CLOUD_DEV_SERIAL_NUMBER')!)).toBe('SN "1" \\ ü');
    expect(m.get('MBED_CLOUD_DEV_MEMORY_TOTAL_KB')).toEqual({ kind: 'uint32', value: Uint8Array.from([0x78, 0x56, 0x34, 0x12]) });
    expect(m.has('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE_SIZE')).toBe(false);
  });

  it('keeps the default strings exact (dev_manufacturer keeps its r)', () => {
    const m = parsed(render());
    expect(symbolText(m.get('MBED_CLOUD_DEV_MANUFACTURER')!)).toBe('dev_manufacturer');
    expect(m.get('MBED_CLOUD_DEV_MEMORY_TOTAL_KB')!.value).toEqual(new Uint8Array(4));
  });
});

const UPDATE_RESOURCES = `// Written by the provisioning workstation from the update certificate.
#ifdef MBED_CLOUD_CLIENT_USER_CONFIG_FILE
#include MBED_CLOUD_CLIENT_USER_CONFIG_FILE
#endif

#include <stdint.h>

#ifdef MBED_CLOUD_DEV_UPDATE_ID
const uint8_t arm_uc_vendor_id[] = {
    0xfa, 0x6b, 0x4a, 0x53, 0xd5, 0xad, 0x5f, 0xdf, 0xbe, 0x9d, 0xe6, 0x63, 0xe4, 0xd4, 0x1f, 0xfe
};
const uint16_t arm_uc_vendor_id_size = sizeof(arm_uc_vendor_id);

const uint8_t arm_uc_class_id[]  = {
    0x4d, 0x13, 0x13, 0x44, 0xfe, 0xab, 0x5a, 0x2e, 0x84, 0xa2, 0xd, 0xcc, 0xdd, 0x90, 0x5f, 0x35
};
const uint16_t arm_uc_class_id_size = sizeof(arm_uc_class_id);
#endif

#ifdef MBED_CLOUD_DEV_UPDATE_CERT
const uint8_t arm_uc_default_fingerprint[] =  {
    0x0, 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x9, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f
};
const uint16_t arm_uc_default_fingerprint_size =
    sizeof(arm_uc_default_fingerprint);

const uint8_t arm_uc_default_certificate[] = {
    0x30, 0x82, 0x1, 0x0
};
const uint16_t arm_uc_default_certificate_size = sizeof(arm_uc_default_certificate);
#endif


#ifdef MBED_CLOUD_DEV_UPDATE_PSK
const uint8_t arm_uc_default_psk[] = {
    
};
const uint8_t arm_uc_default_psk_size = sizeof(arm_uc_default_psk);
const uint16_t arm_uc_default_psk_bits = sizeof(arm_uc_default_psk)*8;

const uint8_t arm_uc_default_psk_id[] = {
    
};
const uint8_t arm_uc_default_psk_id_size = sizeof(arm_uc_default_psk_id);
#endif
`;

describe('parseCSymbols variations', () => {
  it("reads manifest-tool's update_default_resources.c (16 a line, unpadded, empty arrays, sizeof()*8)", () => {
    const m = parsed(UPDATE_RESOURCES, 'update_default_resources.c');
    expect([...m.keys()]).toEqual([
      'arm_uc_vendor_id',
      'arm_uc_class_id',
      'arm_uc_default_fingerprint',
      'arm_uc_default_certificate',
      'arm_uc_default_psk',
      'arm_uc_default_psk_id',
    ]);
    expect(Buffer.from(m.get('arm_uc_vendor_id')!.value).toString('hex')).toBe('fa6b4a53d5ad5fdfbe9de663e4d41ffe');
    expect(Buffer.from(m.get('arm_uc_class_id')!.value).toString('hex')).toBe('4d131344feab5a2e84a20dccdd905f35');
    expect(m.get('arm_uc_default_fingerprint')!.value).toEqual(Uint8Array.from({ length: 32 }, (_, i) => i));
    expect(m.get('arm_uc_default_certificate')!.value).toEqual(Uint8Array.from([0x30, 0x82, 1, 0]));
    expect(m.get('arm_uc_default_psk')).toEqual({ kind: 'bytes', value: new Uint8Array(0) });
    expect(m.get('arm_uc_default_psk_id')!.value.length).toBe(0);
  });

  it('copes with CRLF line ends, comments and trailing commas', () => {
    const text = [
      '/* a header comment with a "quote" and { brace',
      '   over two lines */',
      '#include <inttypes.h> // the old include',
      'const char MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI[] = "coaps://host:5684?aid=1"; // not a comment inside the string',
      'const uint8_t MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE[] = ',
      '{ 0x30, 0x82, // first two',
      ' /* middle */ 0x01, 0x02,',
      ' };',
      'const uint32_t MBED_CLOUD_DEV_MEMORY_TOTAL_KB = 512u;',
      'const char MBED_CLOUD_DEV_MANUFACTURER[] = "a /* not a comment */ b";',
      '',
    ].join('\r\n');
    const m = parsed(text);
    expect(symbolText(m.get('MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI')!)).toBe('coaps://host:5684?aid=1');
    expect(m.get('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE')!.value).toEqual(Uint8Array.from([0x30, 0x82, 1, 2]));
    expect(m.get('MBED_CLOUD_DEV_MEMORY_TOTAL_KB')!.value).toEqual(Uint8Array.from([0, 2, 0, 0]));
    expect(symbolText(m.get('MBED_CLOUD_DEV_MANUFACTURER')!)).toBe('a /* not a comment */ b');
  });

  it('gives the same values for the CRLF and LF versions of a rendered file', () => {
    const lf = parsed(render());
    const crlf = parsed(render().replace(/\n/g, '\r\n'));
    expect([...crlf.entries()]).toEqual([...lf.entries()]);
  });

  it('reads padded 8-a-line and unpadded 16-a-line arrays alike', () => {
    const a = parsed('const uint8_t X[] = \n{ 0x00, 0x0a, 0xff,\n 0x10 };');
    const b = parsed('const uint8_t X[] = {\n    0x0, 0xa, 0xff, 0x10\n};');
    expect(a.get('X')).toEqual(b.get('X'));
  });

  it('names the symbol and line of a truncated array', () => {
    const text = render();
    const cut = text.slice(0, text.indexOf('0x29') + 4);
    const r = parseCSymbols(cut, { file: 'security.c' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('parse-error');
    expect(r.symbol).toBe('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE');
    expect(r.line).toBe(11);
    expect(r.message).toContain('security.c');
    expect(r.message).toContain('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE');
    expect(r.message).toMatch(/unterminated/);
  });

  it('names the symbol when a file is cut after an array and before its ;', () => {
    const r = parseCSymbols('const uint8_t A[] = { 0x1 };\nconst char B[] = "x"', { file: 'f.c' });
    expect(r).toMatchObject({ ok: false, code: 'parse-error', symbol: 'B', line: 2 });
  });

  it('reports a bad byte literal with its line and symbol', () => {
    const r = parseCSymbols('#include <stdint.h>\nconst uint8_t K[] = {\n    0x01, 0x1g,\n};\n', { file: 'k.c' });
    expect(r).toMatchObject({ ok: false, code: 'parse-error', line: 3, symbol: 'K' });
    if (!r.ok) expect(r.message).toContain('0x1g');
    const big = parseCSymbols('const uint8_t K[] = { 0x100 };');
    expect(big).toMatchObject({ ok: false, symbol: 'K' });
  });

  it('reports an unterminated string', () => {
    const r = parseCSymbols('const char S[] = "abc;\n');
    expect(r).toMatchObject({ ok: false, line: 1 });
  });

  it('requireSymbols names the first missing symbol', () => {
    const text = render().replace(/const char MBED_CLOUD_DEV_ACCOUNT_ID.*\n/, '');
    const m = parsed(text);
    const r = requireSymbols(m, DEV_CREDENTIALS_SYMBOLS, { file: 'security.c' });
    expect(r).toMatchObject({ ok: false, code: 'missing-symbol', symbol: 'MBED_CLOUD_DEV_ACCOUNT_ID' });
    if (!r.ok) expect(r.message).toContain('MBED_CLOUD_DEV_ACCOUNT_ID');
  });

  it('decodes C escapes and concatenated literals', () => {
    const m = parsed('const char S[] = "a\\tb\\x41\\101" "\\"c\\"";');
    expect(symbolText(m.get('S')!)).toBe('a\tbAA"c"');
  });
});
