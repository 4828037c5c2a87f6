import { X509Certificate, createHash, createPrivateKey, type KeyObject } from 'node:crypto';
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
export function developerCertificateFilesFromSymbols(map: CSymbolMap, fileName: string): Result<BinFile[]> {
  const missing = requireSymbols(map, DEV_CREDENTIALS_SYMBOLS, { file: fileName });
  if (!missing.ok) return fail('missing-symbol', `${missing.message}; nothing was stored`, { symbol: missing.symbol });
  const files: BinFile[] = [];
  for (const [name, sym] of map) {
    if (!name.startsWith('MBED_CLOUD_DEV_')) continue;
    if (name === 'MBED_CLOUD_DEV_MEMORY_TOTAL_KB' && sym.kind !== 'uint32')
      return fail('parse-error', `${fileName}: MBED_CLOUD_DEV_MEMORY_TOTAL_KB must be a uint32 number: nothing was stored`, { symbol: name });
    files.push({ name: `${name}.bin`, data: sym.value });
  }
  const consistent = credentialsProblem(map);
  if (consistent) return fail('parse-error', `${fileName}: ${consistent.message}: nothing was stored`, { symbol: consistent.symbol });
  return ok(files.sort((a, b) => a.name.localeCompare(b.name)));
}

const textOf = (map: CSymbolMap, name: string) => Buffer.from(map.get(name)!.value).toString('utf8');

/**
 * What would make a board given these credentials fail to bootstrap, found before anything is stored: a
 * certificate or key that does not parse, a key that is not the certificate's, a certificate whose CN is not the
 * endpoint name, or a bootstrap URI for another account.
 */
function credentialsProblem(map: CSymbolMap): { message: string; symbol: string } | undefined {
  const certificate = 'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE';
  const privateKey = 'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY';
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(map.get(certificate)!.value);
  } catch {
    return { message: `${certificate} is not a DER X.509 certificate`, symbol: certificate };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(map.get(privateKey)!.value), format: 'der', type: 'pkcs8' });
  } catch {
    return { message: `${privateKey} is not a DER (PKCS#8) private key`, symbol: privateKey };
  }
  if (!cert.checkPrivateKey(key))
    return { message: `${privateKey} does not belong to ${certificate}: the file was edited or spliced; download it again`, symbol: privateKey };
  const endpointName = textOf(map, 'MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME');
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1];
  if (cn !== endpointName)
    return {
      message: `the certificate's CN (${cn ?? 'none'}) is not MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME (${endpointName}): download the file again`,
      symbol: certificate,
    };
  const account = textOf(map, 'MBED_CLOUD_DEV_ACCOUNT_ID');
  const uriAccount = /[?&]aid=([^&]*)/.exec(textOf(map, 'MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI'))?.[1];
  if (uriAccount !== undefined && uriAccount !== account)
    return {
      message: `MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI is for account ${uriAccount}, but MBED_CLOUD_DEV_ACCOUNT_ID is ${account}: the file was edited or spliced; download it again`,
      symbol: 'MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI',
    };
  return undefined;
}

export function developerCertificateFiles(text: string, fileName: string): Result<BinFile[]> {
  const parsed = parse(text, fileName, 'developer');
  if (!parsed.ok) return parsed;
  return developerCertificateFilesFromSymbols(parsed.value, fileName);
}
