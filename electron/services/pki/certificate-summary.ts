import { createHash } from 'node:crypto';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { CertificateSummary } from '../../../shared/contract/certificates';
import { children, content, decodeOid, decodeString, decodeTime, DerError, expectTag, readTlv, whole, type Tlv } from './der';

const NAME_KEYS: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.8': 'ST',
  '2.5.4.7': 'L',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'emailAddress',
};
const CURVES: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
};
const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_RSA = '1.2.840.113549.1.1.1';
const OID_ED25519 = '1.3.101.112';
const OID_SKI = '2.5.29.14';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_KEY_USAGE = '2.5.29.15';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The parts of a DER certificate the wizard and the Team Store need, found by walking the DER. */
export interface CertificateParts {
  tbs: Uint8Array;
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  /** DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
  keyType: string;
  /** SubjectKeyIdentifier extension value (the key id bytes), if present. */
  ski: Uint8Array | undefined;
  /** The subject's attributes in order, e.g. `[{ key: 'O', value: 'Example' }, { key: 'CN', value: 'x' }]`. */
  subjectAttributes: Array<{ key: string; value: string }>;
  /** basicConstraints: whether it may sign certificates (absent: no). */
  isCa: boolean;
  /** keyUsage bits as named in RFC 5280 (`keyCertSign`, …); null without the extension. */
  keyUsage: string[] | null;
}

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

function nameAttributes(buf: Uint8Array, name: Tlv): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  for (const rdn of children(buf, name)) {
    for (const atv of children(buf, rdn)) {
      const [oid, value] = children(buf, atv);
      const key = decodeOid(content(buf, expectTag(oid, 0x06, 'attribute OID')));
      if (!value) throw new DerError('attribute without value');
      out.push({ key: NAME_KEYS[key] ?? key, value: decodeString(buf, value) });
    }
  }
  return out;
}

const nameText = (attributes: ReadonlyArray<{ key: string; value: string }>) => attributes.map((a) => `${a.key}=${a.value}`).join(', ');

/** basicConstraints' cA flag: SEQUENCE { BOOLEAN cA DEFAULT FALSE, … }. */
function caFlag(value: Uint8Array): boolean {
  const seq = expectTag(readTlv(value, 0), 0x30, 'basicConstraints SEQUENCE');
  const first = children(value, seq)[0];
  return first?.tag === 0x01 && content(value, first)[0] !== 0;
}

function keyUsageNames(value: Uint8Array): string[] {
  const bits = content(value, expectTag(readTlv(value, 0), 0x03, 'keyUsage BIT STRING')).subarray(1);
  return KEY_USAGE_BITS.filter((_, i) => ((bits[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0);
}

function keyTypeOf(buf: Uint8Array, spki: Tlv): string {
  const [alg, bits] = children(buf, spki);
  const [algOid, params] = children(buf, expectTag(alg, 0x30, 'AlgorithmIdentifier'));
  const oid = decodeOid(content(buf, expectTag(algOid, 0x06, 'algorithm OID')));
  if (oid === OID_EC_PUBLIC_KEY) {
    const curve = params?.tag === 0x06 ? decodeOid(content(buf, params)) : 'unknown';
    return `EC ${CURVES[curve] ?? curve}`;
  }
  if (oid === OID_RSA) {
    const keyBits = content(buf, expectTag(bits, 0x03, 'public key BIT STRING')).subarray(1);
    const rsa = readTlv(keyBits, 0);
    const modulus = content(keyBits, expectTag(children(keyBits, rsa)[0], 0x02, 'RSA modulus'));
    let i = 0;
    while (i < modulus.length && modulus[i] === 0) i++;
    const top = modulus[i] ?? 0;
    const size = (modulus.length - i - 1) * 8 + (top ? 32 - Math.clz32(top) : 0);
    return `RSA ${size}`;
  }
  if (oid === OID_ED25519) return 'Ed25519';
  return `unknown (${oid})`;
}

/** Throws DerError when `der` is not an X.509 certificate this reader understands. */
export function certificateParts(der: Uint8Array): CertificateParts {
  const cert = expectTag(readTlv(der, 0), 0x30, 'a certificate SEQUENCE');
  if (cert.end !== der.length) throw new DerError('trailing bytes after the certificate');
  const tbs = expectTag(children(der, cert)[0], 0x30, 'TBSCertificate');
  const fields = children(der, tbs);
  let i = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] version
  expectTag(fields[i++], 0x02, 'serial number');
  expectTag(fields[i++], 0x30, 'signature algorithm');
  const issuer = expectTag(fields[i++], 0x30, 'issuer');
  const validity = expectTag(fields[i++], 0x30, 'validity');
  const subject = expectTag(fields[i++], 0x30, 'subject');
  const spki = expectTag(fields[i++], 0x30, 'SubjectPublicKeyInfo');
  const [nb, na] = children(der, validity);
  if (!nb || !na) throw new DerError('validity needs two times');

  let ski: Uint8Array | undefined;
  let isCa = false;
  let keyUsage: string[] | null = null;
  const extsWrapper = fields.slice(i).find((f) => f.tag === 0xa3);
  if (extsWrapper) {
    const exts = expectTag(children(der, extsWrapper)[0], 0x30, 'extensions');
    for (const ext of children(der, exts)) {
      const parts = children(der, ext);
      const oid = decodeOid(content(der, expectTag(parts[0], 0x06, 'extension OID')));
      const inner = content(der, expectTag(parts[parts.length - 1], 0x04, 'extension value'));
      if (oid === OID_SKI) ski = content(inner, expectTag(readTlv(inner, 0), 0x04, 'key identifier')).slice();
      else if (oid === OID_BASIC_CONSTRAINTS) isCa = caFlag(inner);
      else if (oid === OID_KEY_USAGE) keyUsage = keyUsageNames(inner);
    }
  }
  const subjectAttributes = nameAttributes(der, subject);

  return {
    tbs: whole(der, tbs),
    subjectDer: whole(der, subject),
    issuerDer: whole(der, issuer),
    subject: nameText(subjectAttributes),
    notBefore: decodeTime(der, nb),
    notAfter: decodeTime(der, na),
    spki: whole(der, spki),
    keyType: keyTypeOf(der, spki),
    ski,
    subjectAttributes,
    isCa,
    keyUsage,
  };
}

export const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());

/** RFC 7093 method 1: the first 20 bytes of SHA-256 over the DER SubjectPublicKeyInfo. */
export const rfc7093KeyId = (spki: Uint8Array): Uint8Array => sha256(spki).subarray(0, 20);

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Subject, validity, SHA-256 fingerprint, SKI and key type of a DER certificate, without loading an
 * X.509 library (fast enough for listing a whole Team Store).
 */
export function summarizeCertificate(der: Uint8Array): Result<CertificateSummary, 'certificate-unreadable'> {
  try {
    const p = certificateParts(der);
    return ok({
      subject: p.subject,
      notBefore: p.notBefore.toISOString(),
      notAfter: p.notAfter.toISOString(),
      fingerprint: hex(sha256(der)),
      ski: p.ski ? hex(p.ski) : null,
      keyType: p.keyType,
      selfSigned: sameBytes(p.subjectDer, p.issuerDer),
    });
  } catch (err) {
    if (err instanceof DerError) return fail('certificate-unreadable', `not a DER X.509 certificate: ${err.message}`);
    throw err;
  }
}
