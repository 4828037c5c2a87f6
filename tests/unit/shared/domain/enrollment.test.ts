import { describe, it, expect } from 'vitest';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  ENROLLMENT_IDENTITY_RE,
  buildEnrollmentCsv,
  enrollmentIdentityFromFingerprint,
  enrollmentIdentityOf,
  parseEnrollmentCsv,
} from '../../../../shared/domain/enrollment';

const ID1 = `A-${Array.from({ length: 32 }, (_, i) => (i * 8).toString(16).padStart(2, '0').toUpperCase()).join(':')}`;
const ID2 = `A-${Array.from({ length: 32 }, () => 'AB').join(':')}`;

describe('enrollmentIdentityOf', () => {
  it('is A- plus the colon-separated lower-case SHA-256 of the whole certificate DER (its fingerprint)', async () => {
    const der = new X509Certificate(readFileSync(new URL('../../../fixtures/account-ca/ca.pem', import.meta.url))).raw;
    const id = await enrollmentIdentityOf(der);
    expect(id).toBe(`A-${createHash('sha256').update(der).digest('hex').match(/../g)!.join(':')}`);
    expect(id).toBe(`A-${new X509Certificate(der).fingerprint256.toLowerCase()}`);
    expect(id).toHaveLength(97);
    expect(id).toMatch(ENROLLMENT_IDENTITY_RE);
  });

  it('enrollmentIdentityFromFingerprint formats a 32-byte hash the same way, and refuses anything else', async () => {
    const der = new Uint8Array([1, 2, 3]);
    expect(enrollmentIdentityFromFingerprint(createHash('sha256').update(der).digest())).toBe(await enrollmentIdentityOf(der));
    expect(() => enrollmentIdentityFromFingerprint(new Uint8Array(20))).toThrow(RangeError);
  });

  it('has a known answer for empty input', async () => {
    expect(await enrollmentIdentityOf(new Uint8Array(0))).toBe(
      'A-e3:b0:c4:42:98:fc:1c:14:9a:fb:f4:c8:99:6f:b9:24:27:ae:41:e4:64:9b:93:4c:a4:95:99:1b:78:52:b8:55',
    );
  });

  it('the API pattern rejects near misses', () => {
    expect(ENROLLMENT_IDENTITY_RE.test(ID1)).toBe(true);
    expect(ENROLLMENT_IDENTITY_RE.test(ID1.slice(0, -1))).toBe(false);
    expect(ENROLLMENT_IDENTITY_RE.test(`B-${ID1.slice(2)}`)).toBe(false);
    expect(ENROLLMENT_IDENTITY_RE.test(`${ID1}\n`)).toBe(false);
  });
});

describe('enrollment CSV', () => {
  it('builds a header line and one identity a line, and reads it back', () => {
    const csv = buildEnrollmentCsv([ID1, ID2]);
    expect(csv).toBe(`enrollment_identity\n${ID1}\n${ID2}\n`);
    expect(parseEnrollmentCsv(csv)).toEqual({
      identities: [ID1, ID2],
      invalid: [],
      rows: [
        { line: 2, value: ID1 },
        { line: 3, value: ID2 },
      ],
    });
  });

  it('refuses to build with an invalid identity', () => {
    expect(() => buildEnrollmentCsv([ID1, 'nope'])).toThrow(RangeError);
  });

  it('ignores the header even when it looks like an identity, and empty lines', () => {
    const r = parseEnrollmentCsv(`${ID1}\n\n   \n${ID2}\n\n`);
    expect(r.identities).toEqual([ID2]);
    expect(r.invalid).toEqual([]);
  });

  it('takes only the first value, trims whitespace and unquotes', () => {
    const r = parseEnrollmentCsv(`id,comment\n  ${ID1}  ,first, device\n"${ID2}",second\n" ${ID1} " , third\n`);
    expect(r.identities).toEqual([ID1, ID2, ID1]);
  });

  it('accepts \\n, \\r and \\r\\n line ends together, and UTF-8 bytes with a BOM', () => {
    const text = `\uFEFFhéader\r\n${ID1}\r${ID2}\n${ID1}`;
    expect(parseEnrollmentCsv(text).identities).toEqual([ID1, ID2, ID1]);
    expect(parseEnrollmentCsv(new TextEncoder().encode(text)).identities).toEqual([ID1, ID2, ID1]);
  });

  it('reports invalid values with their line', () => {
    const r = parseEnrollmentCsv(`h\n${ID1}\nnot-an-id,x\n\n"",y\n`);
    expect(r.identities).toEqual([ID1]);
    expect(r.invalid).toEqual([
      { line: 3, value: 'not-an-id' },
      { line: 5, value: '' },
    ]);
  });
});
