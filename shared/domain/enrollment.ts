/**
 * First-to-Claim enrollment identities and the bulk-upload CSV (compat-formats §4).
 *
 * - `enrollmentIdentityOf(certificateDer)`: `A-` + the SHA-256 fingerprint of the bootstrap certificate,
 *   32 colon-separated lower-case hex bytes (`enrollmentIdentityFromFingerprint` when the hash is at hand).
 * - `ENROLLMENT_IDENTITY_RE`: what the API accepts (`^A-[A-Za-z0-9:]{95}$`).
 * - `buildEnrollmentCsv(ids)` / `parseEnrollmentCsv(textOrBytes)`: the bulk CSV rules.
 *
 * Pure: uses only `globalThis.crypto.subtle`, TextEncoder/TextDecoder.
 */

/** The API's own pattern for an enrollment identity. */
export const ENROLLMENT_IDENTITY_RE = /^A-[A-Za-z0-9:]{95}$/;

/**
 * A device's enrollment identity: the interface version `A`, then the fingerprint of its bootstrap certificate
 * (SHA-256 over the certificate's whole DER) as colon-separated hex, lower case as in the API's own example.
 * This is the one place the derivation lives; `enrollmentIdentityOf` hashes a certificate for it.
 */
export function enrollmentIdentityFromFingerprint(sha256: Uint8Array): string {
  if (sha256.length !== 32) throw new RangeError(`a SHA-256 fingerprint is 32 bytes, not ${sha256.length}`);
  return `A-${Array.from(sha256, (b) => b.toString(16).padStart(2, '0')).join(':')}`;
}

export async function enrollmentIdentityOf(certificateDer: Uint8Array): Promise<string> {
  return enrollmentIdentityFromFingerprint(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', certificateDer as Uint8Array<ArrayBuffer>)));
}

/**
 * Builds a bulk-upload CSV: a header line, then one identity per line, `\n` line ends, UTF-8 text.
 * Throws a RangeError for an identity the API would refuse (callers validate user input first).
 */
export function buildEnrollmentCsv(ids: readonly string[]): string {
  for (const id of ids) {
    if (!ENROLLMENT_IDENTITY_RE.test(id)) throw new RangeError(`not an enrollment identity: ${JSON.stringify(id.slice(0, 120))}`);
  }
  return ['enrollment_identity', ...ids].map((l) => `${l}\n`).join('');
}

export type EnrollmentCsvRow = { line: number; value: string };
export type ParsedEnrollmentCsv = {
  /** Valid identities in file order (duplicates kept; the caller decides). */
  identities: string[];
  /** Values that are not enrollment identities, with their 1-based line. */
  invalid: EnrollmentCsvRow[];
  /** Every data row read (valid or not), in order. */
  rows: EnrollmentCsvRow[];
};

/** Why bytes are no text CSV (a NUL byte, or not UTF-8), or undefined when they are text. */
export function notTextProblem(bytes: Uint8Array): string | undefined {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return `it holds binary data (a NUL byte at offset ${nul})`;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return undefined;
  } catch {
    return 'it is not UTF-8 text';
  }
}

/**
 * Reads a bulk CSV following the rules:
 * - the first line is a header and is ignored; empty (or blank) lines are ignored;
 * - only the first comma-separated value counts; it may be quoted (`"…"`, `""` for a quote);
 * - whitespace around the value (and inside the quotes) is trimmed;
 * - lines end in `\n`, `\r` or `\r\n`; bytes are decoded as UTF-8 (a BOM is dropped).
 */
export function parseEnrollmentCsv(input: string | Uint8Array): ParsedEnrollmentCsv {
  let text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const lines = text.split(/\r\n|\r|\n/);
  const out: ParsedEnrollmentCsv = { identities: [], invalid: [], rows: [] };
  lines.forEach((raw, idx) => {
    if (idx === 0) return; // header
    if (raw.trim() === '') return;
    const value = firstCsvValue(raw).trim();
    const row = { line: idx + 1, value };
    out.rows.push(row);
    if (ENROLLMENT_IDENTITY_RE.test(value)) out.identities.push(value);
    else out.invalid.push(row);
  });
  return out;
}

function firstCsvValue(line: string): string {
  const s = line.trimStart();
  if (!s.startsWith('"')) {
    const comma = s.indexOf(',');
    return comma < 0 ? s : s.slice(0, comma);
  }
  let v = '';
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      if (s[i + 1] === '"') {
        v += '"';
        i++;
        continue;
      }
      return v;
    }
    v += c;
  }
  return v; // unclosed quote: take the rest
}
