import { X509Certificate, createHash } from 'node:crypto';
import { credentialsProblem } from '../cloud/developer-certificate';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { DEV_CREDENTIALS_SYMBOLS, parseCSymbols, requireSymbols, type CSymbolMap } from '../../../shared/domain/credentials-c-file';

export type BinFile = { name: string; data: Uint8Array };

/** manifest-tool's `update_default_resources.c` arrays, in file order (compat-formats §2.2). */
export const UPDATE_SYMBOLS = [
  'arm_uc_vendor_id',
  'arm_uc_class_id',
  'arm_uc_default_fingerprint',
  'arm_uc_default_subject_key_identifier',
  'arm_uc_default_certificate',
  'arm_uc_default_psk',
  'arm_uc_default_psk_id',
] as const;
const REQUIRED_UPDATE_SYMBOLS = UPDATE_SYMBOLS.slice(0, 5);
const EXPECTED_LENGTH: Record<string, number> = {
  arm_uc_vendor_id: 16,
  arm_uc_class_id: 16,
  arm_uc_default_fingerprint: 32,
  arm_uc_default_subject_key_identifier: 20,
};

function parsesAsCertificate(der: Uint8Array): boolean {
  try {
    return new X509Certificate(der).raw.length > 0;
  } catch {
    return false;
  }
}

/** What a C file importer expects, named in the refusal of a file that is not C source at all. */
const EXPECTED_C_FILE = {
  update: "manifest-tool's update_default_resources.c (pws init and manifest-tool init write it)",
  developer: "the portal's mbed_cloud_dev_credentials.c",
} as const;

/**
 * A file that is no C text at all (a DER certificate, a PEM key) is named as such: the C parser would only
 * report its first odd character.
 */
function notCSource(text: string, fileName: string, kind: keyof typeof EXPECTED_C_FILE): string | undefined {
  const what = text.includes('\u0000')
    ? 'a binary file (a DER certificate or key?)'
    : /^\s*-----BEGIN /.test(text)
      ? 'PEM text (a certificate or key)'
      : undefined;
  return what && `${fileName} is ${what}, not a C file: give ${EXPECTED_C_FILE[kind]}; nothing was stored`;
}

function parse(text: string, fileName: string, kind: keyof typeof EXPECTED_C_FILE): Result<CSymbolMap> {
  const notC = notCSource(text, fileName, kind);
  if (notC) return fail('parse-error', notC);
  const parsed = parseCSymbols(text, { file: fileName });
  if (!parsed.ok)
    return fail('parse-error', `${parsed.message}: nothing was stored; fix or regenerate the file`, {
      line: parsed.line,
      ...(parsed.symbol ? { symbol: parsed.symbol } : {}),
    });
  return ok(parsed.value);
}

/**
 * `update_default_resources.c` → the `arm_uc_*.bin` files, byte for byte: each array's bytes raw, the
 * PSK arrays as (usually empty) files, `*_size` lines skipped. Checks the lengths and that the
 * fingerprint is the certificate's SHA-256, so a spliced file is refused before anything is stored.
 */
export function updateCertificateFiles(text: string, fileName: string): Result<BinFile[]> {
  const parsed = parse(text, fileName, 'update');
  if (!parsed.ok) return parsed;
  const map = parsed.value;
  const missing = requireSymbols(map, REQUIRED_UPDATE_SYMBOLS, { file: fileName });
  if (!missing.ok)
    return fail('missing-symbol', `${missing.message}; is it manifest-tool's update_default_resources.c? Nothing was stored`, { symbol: missing.symbol });
  for (const name of UPDATE_SYMBOLS) {
    const sym = map.get(name);
    if (sym && sym.kind !== 'bytes') return fail('parse-error', `${fileName}: ${name} must be a uint8_t array: nothing was stored`, { symbol: name });
    const want = EXPECTED_LENGTH[name];
    if (sym && want !== undefined && sym.value.length !== want)
      return fail('parse-error', `${fileName}: ${name} has ${sym.value.length} bytes, expected ${want}: the file is damaged; nothing was stored`, {
        symbol: name,
      });
  }
  const cert = map.get('arm_uc_default_certificate')!.value;
  if (!parsesAsCertificate(cert)) {
    return fail('parse-error', `${fileName}: arm_uc_default_certificate is not a DER X.509 certificate: nothing was stored`, {
      symbol: 'arm_uc_default_certificate',
    });
  }
  const digest = createHash('sha256').update(cert).digest();
  if (!digest.equals(Buffer.from(map.get('arm_uc_default_fingerprint')!.value)))
    return fail(
      'parse-error',
      `${fileName}: arm_uc_default_fingerprint is not the SHA-256 of arm_uc_default_certificate: the file was edited or spliced; regenerate it (pws init). Nothing was stored`,
      {
        symbol: 'arm_uc_default_fingerprint',
      },
    );
  return ok(UPDATE_SYMBOLS.map((name) => ({ name: `${name}.bin`, data: map.get(name)?.value ?? new Uint8Array(0) })));
}

/**
 * The developer credentials C file (`security_file_content`, compat-formats §2.3) → `MBED_CLOUD_DEV_*.bin`:
 * byte arrays raw (DER), strings as their exact UTF-8 bytes without the NUL, `MBED_CLOUD_DEV_MEMORY_TOTAL_KB`
 * as 4 bytes little-endian. None of mbl-cli's alterations.
 */
export function developerCertificateBinFiles(map: CSymbolMap, fileName: string): Result<BinFile[]> {
  const files: BinFile[] = [];
  for (const [name, sym] of map) {
    if (!name.startsWith('MBED_CLOUD_DEV_')) continue;
    if (name === 'MBED_CLOUD_DEV_MEMORY_TOTAL_KB' && sym.kind !== 'uint32')
      return fail('parse-error', `${fileName}: MBED_CLOUD_DEV_MEMORY_TOTAL_KB must be a uint32 number: nothing was stored`, { symbol: name });
    files.push({ name: `${name}.bin`, data: sym.value });
  }
  return ok(files.sort((a, b) => a.name.localeCompare(b.name)));
}

/** The portal's C file, checked like the cloud's answers (a board could bootstrap with it), as `.bin` files. */
export function developerCertificateFiles(text: string, fileName: string): Result<BinFile[]> {
  const parsed = parse(text, fileName, 'developer');
  if (!parsed.ok) return parsed;
  const missing = requireSymbols(parsed.value, DEV_CREDENTIALS_SYMBOLS, { file: fileName });
  if (!missing.ok) return fail('missing-symbol', `${missing.message}; nothing was stored`, { symbol: missing.symbol });
  const problem = credentialsProblem(parsed.value);
  if (problem)
    return fail('parse-error', `${fileName}: ${problem.detail}: the file was edited or spliced; download it again: nothing was stored`, {
      symbol: problem.symbol,
    });
  return developerCertificateBinFiles(parsed.value, fileName);
}
