/**
 * The developer credentials C file (Device Management's `security_file_content`, compat-formats §2.3)
 * and a tolerant reader for C constant files.
 *
 * API (kept deliberately small; other services import it):
 *
 * - `renderDeveloperCredentialsC(input): string`
 *     Writes the §2.3 layout byte for byte: strings, then the DER arrays (`{ ` + 8 bytes a line as
 *     `0x%02x` joined by `, `, continuation lines start with one space, closing ` };`), the device
 *     info strings, `MBED_CLOUD_DEV_MEMORY_TOTAL_KB`, the `*_SIZE` lines and the closing `#endif`.
 *
 * - `parseCSymbols(text, { file }): CParseResult`
 *     Reads BOTH this file and manifest-tool's `update_default_resources.c`. On success
 *     `{ ok: true, value: Map<symbol, CSymbol> }` where a `CSymbol` is
 *       - `{ kind: 'bytes',  value }`  raw bytes of a `uint8_t x[] = { ... }` array (may be empty);
 *       - `{ kind: 'string', value }`  UTF-8 bytes of a `char x[] = "..."`, without the NUL, exactly
 *                                      as written (C escapes decoded; nothing stripped or trimmed);
 *       - `{ kind: 'uint32', value }`  a scalar integer constant as 4 bytes little-endian.
 *     Skipped: `*_SIZE` / `*_size` symbols, any initialiser using `sizeof(...)`, preprocessor lines,
 *     `//` and `/* *\/` comments, declarations without an initialiser.
 *     Copes with CRLF/CR line ends, `<inttypes.h>` or `<stdint.h>`, 8-a-line `0x%02x` or 16-a-line
 *     unpadded bytes, trailing commas and empty arrays.
 *     On failure `{ ok: false, code: 'parse-error', message, line, symbol? }`: the message names the
 *     file, the line and the symbol (a truncated file gives "unterminated array", a bad byte literal
 *     names the literal). Nothing is returned partially, so a caller can leave its store untouched.
 *
 * - `requireSymbols(map, names, { file? })`: `{ ok: true }` or
 *     `{ ok: false, code: 'missing-symbol', message, symbol }` naming the first missing symbol.
 *
 * - `DEV_CREDENTIALS_SYMBOLS`: the symbol names of §2.3 in file order (without the `*_SIZE` ones).
 *
 * - `symbolText(sym)`: the UTF-8 text of a `string` symbol.
 *
 * Unlike mbl-cli, strings are never altered (no stripping of 'r', no deleting spaces) and uint32 values
 * are stored as 4-byte little-endian integers, not ASCII text.
 *
 * Pure: no Node-only imports, no I/O.
 */
import type { Failure, Ok } from './result';

export type CSymbolKind = 'bytes' | 'string' | 'uint32';
export type CSymbol = { kind: CSymbolKind; value: Uint8Array };
export type CSymbolMap = Map<string, CSymbol>;

export type CParseError = Failure<'parse-error'> & {
  /** 1-based line of the problem. */
  line: number;
  /** The symbol being read, when known. */
  symbol?: string;
};
export type CParseResult = Ok<CSymbolMap> | CParseError;

export type MissingSymbolError = Failure<'missing-symbol'> & { symbol: string };

export const DEV_CREDENTIALS_SYMBOLS = [
  'MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME',
  'MBED_CLOUD_DEV_ACCOUNT_ID',
  'MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI',
  'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE',
  'MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE',
  'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY',
  'MBED_CLOUD_DEV_MANUFACTURER',
  'MBED_CLOUD_DEV_MODEL_NUMBER',
  'MBED_CLOUD_DEV_SERIAL_NUMBER',
  'MBED_CLOUD_DEV_DEVICE_TYPE',
  'MBED_CLOUD_DEV_HARDWARE_VERSION',
  'MBED_CLOUD_DEV_MEMORY_TOTAL_KB',
] as const;

export type DeveloperCredentialsInput = {
  endpointName: string;
  accountId: string;
  serverUri: string;
  deviceCertDer: Uint8Array;
  serverRootCaDer: Uint8Array;
  /** DER PKCS#8, EC P-256. */
  devicePrivateKeyDer: Uint8Array;
  manufacturer?: string;
  modelNumber?: string;
  serialNumber?: string;
  deviceType?: string;
  hardwareVersion?: string;
  memoryTotalKb?: number;
};

const hex2 = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

function renderPortalArray(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 8) lines.push(Array.from(bytes.subarray(i, i + 8), hex2).join(', '));
  return `{ ${lines.join(',\n ')} };`;
}

/** A C string literal body: printable ASCII as is, everything else as 3-digit octal escapes of its UTF-8 bytes. */
function cString(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x3f && out.endsWith('?'))
      out += '\\?'; // no "??" trigraphs
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return out;
}

export function renderDeveloperCredentialsC(input: DeveloperCredentialsInput): string {
  const mem = input.memoryTotalKb ?? 0;
  if (!Number.isInteger(mem) || mem < 0 || mem > 0xffffffff) throw new RangeError('memoryTotalKb must be a uint32');
  const str = (name: string, v: string) => `const char ${name}[] = "${cString(v)}";`;
  const arr = (name: string, v: Uint8Array) => `const uint8_t ${name}[] = \n${renderPortalArray(v)}`;
  const size = (name: string) => `const uint32_t ${name}_SIZE = sizeof(${name});`;
  return [
    '#ifndef __MBED_CLOUD_DEV_CREDENTIALS_H__',
    '#define __MBED_CLOUD_DEV_CREDENTIALS_H__',
    '',
    '#include <inttypes.h>',
    '',
    str('MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME', input.endpointName),
    str('MBED_CLOUD_DEV_ACCOUNT_ID', input.accountId),
    str('MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI', input.serverUri),
    '',
    arr('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE', input.deviceCertDer),
    arr('MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE', input.serverRootCaDer),
    arr('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY', input.devicePrivateKeyDer),
    str('MBED_CLOUD_DEV_MANUFACTURER', input.manufacturer ?? 'dev_manufacturer'),
    str('MBED_CLOUD_DEV_MODEL_NUMBER', input.modelNumber ?? 'dev_model_num'),
    str('MBED_CLOUD_DEV_SERIAL_NUMBER', input.serialNumber ?? '0'),
    str('MBED_CLOUD_DEV_DEVICE_TYPE', input.deviceType ?? 'dev_device_type'),
    str('MBED_CLOUD_DEV_HARDWARE_VERSION', input.hardwareVersion ?? 'dev_hardware_version'),
    `const uint32_t MBED_CLOUD_DEV_MEMORY_TOTAL_KB = ${mem};`,
    size('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE'),
    size('MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE'),
    size('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY'),
    '',
    '#endif //__MBED_CLOUD_DEV_CREDENTIALS_H__',
    '',
  ].join('\n');
}

type Tok =
  | { t: 'id'; v: string; line: number }
  | { t: 'num'; v: string; line: number }
  | { t: 'str'; v: Uint8Array; line: number }
  | { t: 'chr'; v: number; line: number }
  | { t: 'punct'; v: string; line: number };

class ParseFailure {
  constructor(
    readonly message: string,
    readonly line: number,
    readonly symbol?: string,
  ) {}
}

const isIdStart = (c: string) => /[A-Za-z_]/.test(c);
const isIdChar = (c: string) => /[A-Za-z0-9_]/.test(c);

/** Decodes the C escapes of a string/char literal body into bytes (UTF-8 for non-escaped text). */
function decodeCEscapes(body: string, line: number): Uint8Array {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out.push(...enc.encode(ch));
      i += ch.length - 1;
      continue;
    }
    const n = body[++i];
    if (n === undefined) throw new ParseFailure('a string ends with a lone backslash', line);
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34, "'": 39, '?': 63 };
    if (/[0-7]/.test(n)) {
      let digits = n;
      while (digits.length < 3 && /[0-7]/.test(body[i + 1] ?? '')) digits += body[++i];
      out.push(parseInt(digits, 8) & 0xff);
    } else if (n === 'x') {
      let digits = '';
      while (/[0-9a-fA-F]/.test(body[i + 1] ?? '')) digits += body[++i];
      if (!digits) throw new ParseFailure('a \\x escape has no hex digits', line);
      out.push(parseInt(digits.slice(-2), 16));
    } else if (n in simple) out.push(simple[n]!);
    else if (n === '\n') {
      /* line continuation inside a string */
    } else throw new ParseFailure(`unknown escape \\${n} in a string`, line);
  }
  return Uint8Array.from(out);
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let line = 1;
  let atLineStart = true;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      line++;
      atLineStart = true;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const start = line;
      i += 2;
      while (i < src.length && !(src[i] === '*' && src[i + 1] === '/')) {
        if (src[i] === '\n') line++;
        i++;
      }
      if (i >= src.length) throw new ParseFailure('a /* comment is never closed', start);
      i += 2;
      continue;
    }
    if (c === '#' && atLineStart) {
      // Preprocessor line (with backslash continuations); comments after it are swallowed too.
      while (i < src.length && src[i] !== '\n') {
        if (src[i] === '\\' && src[i + 1] === '\n') {
          line++;
          i++;
        }
        i++;
      }
      continue;
    }
    atLineStart = false;
    if (c === '"' || c === "'") {
      const start = line;
      let j = i + 1;
      let body = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\n') throw new ParseFailure(`a ${c === '"' ? 'string' : 'character'} literal is not closed on its line`, start);
        if (src[j] === '\\') {
          body += src[j]! + (src[j + 1] ?? '');
          j += 2;
          continue;
        }
        body += src[j];
        j++;
      }
      if (j >= src.length) throw new ParseFailure('a literal is not closed before the end of the file', start);
      const bytes = decodeCEscapes(body, start);
      if (c === '"') toks.push({ t: 'str', v: bytes, line: start });
      else {
        if (bytes.length !== 1) throw new ParseFailure(`bad character literal '${body}'`, start);
        toks.push({ t: 'chr', v: bytes[0]!, line: start });
      }
      i = j + 1;
      continue;
    }
    if (isIdStart(c)) {
      let j = i;
      while (j < src.length && isIdChar(src[j]!)) j++;
      toks.push({ t: 'id', v: src.slice(i, j), line });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i;
      while (j < src.length && /[0-9A-Za-z_.]/.test(src[j]!)) j++;
      toks.push({ t: 'num', v: src.slice(i, j), line });
      i = j;
      continue;
    }
    toks.push({ t: 'punct', v: c, line });
    i++;
  }
  return toks;
}

/** Parses a C integer literal (hex, octal, decimal; optional u/l suffixes). Returns undefined if it is not one. */
function parseIntLiteral(text: string): number | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([uU]?[lL]{0,2}|[lL]{1,2}[uU])$/.exec(text);
  if (!m) return undefined;
  const body = m[1]!;
  if (/^0[xX]/.test(body)) return parseInt(body.slice(2), 16);
  if (body.length > 1 && body.startsWith('0')) return parseInt(body, 8);
  return parseInt(body, 10);
}

function isSizeSymbol(name: string): boolean {
  return /_(SIZE|size)$/.test(name);
}

function parseStatement(toks: Tok[], out: CSymbolMap): void {
  const eq = toks.findIndex((t) => t.t === 'punct' && t.v === '=');
  const head = eq < 0 ? toks : toks.slice(0, eq);
  const nameTok = [...head].reverse().find((t): t is Extract<Tok, { t: 'id' }> => t.t === 'id');
  if (!nameTok) return; // e.g. a stray ';'
  const symbol = nameTok.v;
  if (eq < 0) return; // declaration without initialiser (extern, forward declaration)
  const init = toks.slice(eq + 1);
  if (isSizeSymbol(symbol)) return;
  if (init.some((t) => t.t === 'id' && t.v === 'sizeof')) return;
  const isArray = head.some((t) => t.t === 'punct' && t.v === '[');
  const typeWords = head.filter((t) => t.t === 'id' && t !== nameTok).map((t) => t.v as string);
  const isChar = typeWords.includes('char') && !typeWords.includes('unsigned');
  const line = init[0]?.line ?? nameTok.line;

  if (init.length === 0) throw new ParseFailure(`${symbol} has an empty initialiser`, nameTok.line, symbol);

  // String initialiser: one or more adjacent literals ("a" "b").
  if (init.every((t) => t.t === 'str')) {
    const parts = init.map((t) => (t as Extract<Tok, { t: 'str' }>).v);
    const total = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      total.set(p, o);
      o += p.length;
    }
    set(out, symbol, { kind: 'string', value: total }, nameTok.line);
    return;
  }

  const first = init[0]!;
  if (first.t === 'punct' && first.v === '{') {
    const last = init[init.length - 1]!;
    if (!(last.t === 'punct' && last.v === '}')) throw new ParseFailure(`${symbol}: the array is not closed with '}' before ';'`, last.line, symbol);
    const bytes: number[] = [];
    const inner = init.slice(1, -1);
    let expectValue = true;
    for (const t of inner) {
      if (t.t === 'punct' && t.v === ',') {
        if (expectValue) throw new ParseFailure(`${symbol}: an empty element (two commas in a row)`, t.line, symbol);
        expectValue = true;
        continue;
      }
      if (!expectValue) throw new ParseFailure(`${symbol}: a ',' is missing before '${tokText(t)}'`, t.line, symbol);
      let v: number | undefined;
      if (t.t === 'num') v = parseIntLiteral(t.v);
      else if (t.t === 'chr') v = t.v;
      if (v === undefined || v > 0xff) throw new ParseFailure(`${symbol}: '${tokText(t)}' is not a byte value (0 to 0xff)`, t.line, symbol);
      bytes.push(v);
      expectValue = false;
    }
    let value = Uint8Array.from(bytes);
    if (isChar) {
      if (value.length && value[value.length - 1] === 0) value = value.subarray(0, -1);
      set(out, symbol, { kind: 'string', value }, nameTok.line);
    } else set(out, symbol, { kind: 'bytes', value }, nameTok.line);
    return;
  }

  if (!isArray && init.length === 1 && first.t === 'num') {
    const v = parseIntLiteral(first.v);
    if (v === undefined || v > 0xffffffff) throw new ParseFailure(`${symbol}: '${first.v}' is not an unsigned 32-bit integer`, line, symbol);
    const value = new Uint8Array(4);
    new DataView(value.buffer).setUint32(0, v, true);
    set(out, symbol, { kind: 'uint32', value }, nameTok.line);
    return;
  }

  throw new ParseFailure(`${symbol}: cannot read the initialiser starting with '${tokText(first)}'`, line, symbol);
}

function tokText(t: Tok): string {
  if (t.t === 'str') return '"…"';
  if (t.t === 'chr') return `'${String.fromCharCode(t.v)}'`;
  return t.v;
}

function set(out: CSymbolMap, symbol: string, sym: CSymbol, line: number) {
  if (out.has(symbol)) throw new ParseFailure(`${symbol} is defined twice`, line, symbol);
  out.set(symbol, sym);
}

export function parseCSymbols(text: string, opts: { file?: string } = {}): CParseResult {
  const file = opts.file ?? 'the C file';
  const src = text.replace(/\r\n?/g, '\n');
  const fail = (f: ParseFailure): CParseError => ({
    ok: false,
    code: 'parse-error',
    message: `${file}, line ${f.line}: ${f.message}`,
    line: f.line,
    ...(f.symbol !== undefined ? { symbol: f.symbol } : {}),
  });
  try {
    const toks = tokenize(src);
    const out: CSymbolMap = new Map();
    let stmt: Tok[] = [];
    let depth = 0;
    let openLine = 0;
    for (const t of toks) {
      if (t.t === 'punct' && t.v === '{') {
        if (depth === 0) openLine = t.line;
        depth++;
      } else if (t.t === 'punct' && t.v === '}') {
        depth--;
        if (depth < 0) throw new ParseFailure("a '}' without a matching '{'", t.line, nameOf(stmt));
      } else if (t.t === 'punct' && t.v === ';' && depth === 0) {
        parseStatement(stmt, out);
        stmt = [];
        continue;
      } else if (t.t === 'punct' && t.v === ';' && depth > 0) {
        // A ';' inside braces means the array was never closed (e.g. a truncated or spliced file).
        throw new ParseFailure(`${nameOf(stmt) ?? 'an array'}: unterminated array (opened on line ${openLine})`, t.line, nameOf(stmt));
      }
      stmt.push(t);
    }
    if (depth > 0) {
      const last = stmt[stmt.length - 1];
      throw new ParseFailure(
        `${nameOf(stmt) ?? 'an array'}: unterminated array (opened on line ${openLine}); the file looks truncated`,
        last?.line ?? openLine,
        nameOf(stmt),
      );
    }
    if (stmt.length > 0) {
      const sym = nameOf(stmt);
      throw new ParseFailure(
        `${sym ?? 'the last declaration'}: missing ';' at the end of the file; the file looks truncated`,
        stmt[stmt.length - 1]!.line,
        sym,
      );
    }
    return { ok: true, value: out };
  } catch (e) {
    if (e instanceof ParseFailure) return fail(e);
    throw e;
  }
}

function nameOf(stmt: Tok[]): string | undefined {
  const eq = stmt.findIndex((t) => t.t === 'punct' && t.v === '=');
  const head = eq < 0 ? stmt : stmt.slice(0, eq);
  for (let k = head.length - 1; k >= 0; k--) {
    const t = head[k]!;
    if (t.t === 'id') return t.v;
  }
  return undefined;
}

export function requireSymbols(map: CSymbolMap, names: readonly string[], opts: { file?: string } = {}): { ok: true } | MissingSymbolError {
  for (const name of names) {
    if (!map.has(name))
      return {
        ok: false,
        code: 'missing-symbol',
        message: `${opts.file ?? 'the C file'} has no ${name}: the file is incomplete or not the expected one`,
        symbol: name,
      };
  }
  return { ok: true };
}

/** The text of a `string` symbol (UTF-8). */
export function symbolText(sym: CSymbol): string {
  return new TextDecoder().decode(sym.value);
}
