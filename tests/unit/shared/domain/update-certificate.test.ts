import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cByteLines, cBytes } from '../../../../shared/domain/c-array';
import { countryOptions, COUNTRY_CODES, isCountryCode } from '../../../../shared/domain/countries';
import { parseCSymbols } from '../../../../shared/domain/credentials-c-file';
import {
  certificateWarnings,
  C_FILE_HEADER,
  expiryDate,
  renderManifestToolJson,
  renderUpdateDefaultResourcesC,
  shortValidityWarning,
  subjectText,
  validateUpdateCertInput,
  SELF_SIGNED_WARNING,
} from '../../../../shared/domain/update-certificate';
import { certificateParts, sha256 } from '../../../../electron/services/pki/certificate-summary';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/update-cert/${name}`, import.meta.url));
const ARM = { vendorId: 'fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe', classId: '4d131344-feab-5a2e-84a2-0dccdd905f35' };

function renderFixture() {
  const der = new Uint8Array(fixture('default.der'));
  const ski = certificateParts(der).ski!;
  return { der, ski, text: renderUpdateDefaultResourcesC({ ...ARM, fingerprint: sha256(der), ski, certificate: der }) };
}

describe('validateUpdateCertInput', () => {
  const errorsOf = (input: Parameters<typeof validateUpdateCertInput>[0]) => {
    const r = validateUpdateCertInput(input);
    return r.ok ? {} : r.errors;
  };

  it.each(['arm', 'arm..com', '', '.com', 'arm.'])('refuses the domain %j with the old wording', (domain) => {
    expect(errorsOf({ domain, model: 'dev-device' }).domain).toBe(`"${domain}" is not a valid domain name.`);
  });

  it('accepts what manifest-tool accepted and derives the IDs', () => {
    const r = validateUpdateCertInput({ domain: 'arm.com', model: 'dev-device' });
    expect(r.ok && r.value).toMatchObject({ ...ARM, vendorDomain: 'arm.com', modelName: 'dev-device', days: 90 });
    expect(r.ok && r.value.subject.commonName).toBe('arm.com');
  });

  it.each([[0], ['0'], ['-5'], [-5], ['abc'], ['1.5'], [2.5], ['']])('refuses days %j naming the field and the rule', (days) => {
    expect(errorsOf({ domain: 'arm.com', model: 'm', days })).toEqual({ days: `days must be a positive whole number of days (got "${days}")` });
  });

  it('refuses more than 100 years', () => {
    expect(errorsOf({ domain: 'arm.com', model: 'm', days: 36501 }).days).toBe('days must be at most 36500, 100 years (got "36501")');
  });

  it('takes UUIDs instead of domain and model, with null names', () => {
    const r = validateUpdateCertInput({ vendorId: ARM.vendorId.toUpperCase(), classId: ARM.classId });
    expect(r.ok && r.value).toMatchObject({ ...ARM, vendorDomain: null, modelName: null });
    expect(r.ok && r.value.subject.commonName).toBe('');
  });

  it('reports every bad field at once, and still derives what it can for the live preview', () => {
    const r = validateUpdateCertInput({ domain: 'arm.com', model: '', country: 'Britain', commonName: 'x'.repeat(65), days: 'abc' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['commonName', 'country', 'days', 'model']);
    expect(r.errors.country).toMatch(/^country must be a two-letter ISO 3166 code/);
    expect(r.errors.commonName).toMatch(/^common name must be at most 64 characters/);
    expect(r.partial.vendorId).toBe(ARM.vendorId);
  });

  it('refuses control characters in every name that goes into the certificate, saying where', () => {
    expect(errorsOf({ domain: 'arm\u001b[31m.com', model: 'dev' }).domain).toBe(
      'vendor domain must not contain control characters (found \\u001b at character 4): type it again without them',
    );
    expect(errorsOf({ domain: 'arm.com', model: 'dev\u0007' }).model).toMatch(/^model name must not contain control characters \(found \\u0007/);
    const subject = errorsOf({ domain: 'arm.com', model: 'dev', organization: '\u001b]0;pwned\u0007', state: 'Ca\u009bm', commonName: 'a\u007fb' });
    expect(subject.organization).toMatch(/^organization name must not contain control characters/);
    expect(subject.state).toMatch(/^state or province must not contain control characters \(found \\u009b/);
    expect(subject.commonName).toMatch(/^common name must not contain control characters/);
    expect(Object.keys(errorsOf({ domain: 'ärm.example', model: 'Déveloper board №1', organization: 'Ünïcode Ltd' }))).toEqual([]);
  });

  it('a domain too long to be the common name says so, and how to fix it, rather than blaming a flag not given', () => {
    const domain = `${'a'.repeat(300)}.com`;
    expect(errorsOf({ domain, model: 'dev' }).commonName).toMatch(
      /^the vendor domain is the certificate's common name unless one is given, .*\(the domain has 304\): give a shorter common name$/,
    );
    expect(errorsOf({ domain, model: 'dev', commonName: 'short.example' }).commonName).toBeUndefined();
  });

  it('refuses missing or doubled identities and bad UUIDs', () => {
    expect(errorsOf({}).domain).toMatch(/vendor domain is required/);
    expect(errorsOf({ domain: 'arm.com' }).model).toMatch(/model name is required/);
    expect(errorsOf({ domain: 'arm.com', vendorId: ARM.vendorId, model: 'm' }).vendorId).toMatch(/not both/);
    expect(errorsOf({ vendorId: 'nope', classId: ARM.classId }).vendorId).toBe(
      'vendor ID "nope" is not a valid UUID (expected the form fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe)',
    );
  });

  it('takes only ISO 3166 country codes: two letters that name no country are refused', () => {
    for (const country of ['UK', 'ZZ', 'EU'])
      expect(errorsOf({ domain: 'arm.com', model: 'm', country }).country, country).toMatch(/^country must be a two-letter ISO 3166 code/);
    expect(errorsOf({ domain: 'arm.com', model: 'm', country: 'gb' }).country).toBeUndefined();
  });

  it('orders the subject C, ST, L, O, CN with empty fields left out, country upper-cased', () => {
    const r = validateUpdateCertInput({ domain: 'arm.com', model: 'm', country: 'gb', locality: ' Cambridge ' });
    expect(r.ok && subjectText(r.value.subject)).toBe('C=GB, L=Cambridge, CN=arm.com');
  });
});

describe('warnings and expiry', () => {
  it('warns below ten years only', () => {
    expect(shortValidityWarning(90)).toBe(
      'This certificate is valid for only 90 days. Production should use at least 10 years (3650 days): a device whose update certificate has expired can no longer be updated.',
    );
    expect(shortValidityWarning(3650)).toBeUndefined();
    const now = new Date('2026-01-01T00:00:00Z');
    expect(expiryDate(now, 90).toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(certificateWarnings({ selfSigned: true, notBefore: now, notAfter: expiryDate(now, 4000), now })).toEqual([SELF_SIGNED_WARNING]);
    expect(certificateWarnings({ selfSigned: false, notBefore: now, notAfter: now, now })[0]).toMatch(/expired/);
  });
});

describe('.manifest_tool.json', () => {
  it('is byte-identical to Python json.dumps(sort_keys=True, indent=4)', () => {
    expect(renderManifestToolJson({ ...ARM, vendorDomain: 'arm.com', modelName: 'dev-device' })).toBe(fixture('expected.manifest_tool.json').toString('utf8'));
  });

  it('writes null names for UUID input and escapes non-ASCII like ensure_ascii', () => {
    const text = renderManifestToolJson({ ...ARM, vendorDomain: null, modelName: null, deviceURNs: ['urn:dev:ops:ünï'] });
    expect(text).toBe(fixture('expected-uuids.manifest_tool.json').toString('utf8'));
    expect(text.endsWith('}')).toBe(true);
  });
});

describe('update_default_resources.c', () => {
  it('formats bytes as unpadded lower-case hex, 16 a line', () => {
    expect(cBytes(Uint8Array.of(0, 13, 255))).toBe('0x0, 0xd, 0xff');
    expect(cByteLines(new Uint8Array(17))).toBe(`${Array(16).fill('0x0').join(', ')},\n    0x0`);
  });

  it('matches manifest-tool 1.x byte for byte from the first #ifdef (golden file)', () => {
    const { text } = renderFixture();
    const body = text.slice(text.indexOf('#ifdef'));
    expect(body).toBe(fixture('expected-update_default_resources.c').toString('utf8'));
    expect(text).toBe(C_FILE_HEADER + body);
  });

  it("keeps the old tool's irregular spacing and ends with #endif and a newline", () => {
    const { text } = renderFixture();
    expect(text).toContain('const uint8_t arm_uc_class_id[]  = {\n');
    expect(text).toContain('const uint8_t arm_uc_default_fingerprint[] =  {\n');
    expect(text).toContain('const uint8_t arm_uc_default_subject_key_identifier[] =  {\n');
    expect(text).toContain('const uint8_t arm_uc_default_psk[] = {\n    \n};');
    expect(text).toContain('const uint8_t arm_uc_default_psk_id[] = {\n    \n};');
    expect(text.endsWith('#endif\n')).toBe(true);
    expect(text).not.toMatch(/Licen[cs]e|Copyright|ARM Limited/i);
    for (const line of text.split('\n').filter((l) => l.startsWith('    0x'))) expect(line.split(', ').length).toBeLessThanOrEqual(16);
  });

  it('parses back to the certificate, fingerprint, SKI and IDs', () => {
    const { der, ski, text } = renderFixture();
    const parsed = parseCSymbols(text, { file: 'update_default_resources.c' });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const bytes = (name: string) => Buffer.from(parsed.value.get(name)!.value).toString('hex');
    expect(bytes('arm_uc_default_certificate')).toBe(Buffer.from(der).toString('hex'));
    expect(bytes('arm_uc_default_fingerprint')).toBe(Buffer.from(sha256(der)).toString('hex'));
    expect(bytes('arm_uc_default_subject_key_identifier')).toBe(Buffer.from(ski).toString('hex'));
    expect(bytes('arm_uc_vendor_id')).toBe(ARM.vendorId.replace(/-/g, ''));
    expect(bytes('arm_uc_class_id')).toBe(ARM.classId.replace(/-/g, ''));
    expect(parsed.value.get('arm_uc_default_psk')!.value.length).toBe(0);
  });
});

describe('countries', () => {
  it('lists the 249 ISO 3166-1 alpha-2 codes with names', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_CODES).size).toBe(249);
    expect(isCountryCode('gb')).toBe(true);
    expect(isCountryCode('UK')).toBe(false);
    const options = countryOptions('en');
    expect(options.find((o) => o.code === 'GB')?.name).toBe('United Kingdom');
    expect(options.every((o) => /^[A-Z]{2}$/.test(o.code) && o.name.length > 0)).toBe(true);
  });
});
