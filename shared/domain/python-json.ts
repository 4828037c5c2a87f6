/**
 * JSON the way Python's `json.dumps` writes it, so our files match manifest-tool's and mbl-cli's byte for byte:
 * every character outside printable ASCII escaped as `\uXXXX` (ensure_ascii, surrogate pairs for the rest),
 * `", "` and `": "` on one line without `indent`, `","` and newlines with it, `[]`/`{}` for empty containers,
 * keys in insertion order or, with `sortKeys`, by code point. Object members that are `undefined` are left out.
 */
export type PyJson = null | boolean | number | string | PyJson[] | { [key: string]: PyJson | undefined };

export interface PyJsonOptions {
  /** `indent=N`; without it, one line (Python's default). */
  indent?: number;
  /** `sort_keys=True`. */
  sortKeys?: boolean;
}

const asciiString = (s: string): string => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function pythonJsonDumps(value: PyJson, opts: PyJsonOptions = {}): string {
  return dump(value, opts, 0);
}

function dump(value: PyJson, opts: PyJsonOptions, level: number): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return JSON.stringify(value);
  if (typeof value === 'string') return asciiString(value);
  const items = Array.isArray(value)
    ? value.map((v) => dump(v, opts, level + 1))
    : (opts.sortKeys ? Object.keys(value).sort() : Object.keys(value))
        .filter((k) => value[k] !== undefined)
        .map((k) => `${asciiString(k)}: ${dump(value[k] as PyJson, opts, level + 1)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return `${open}${close}`;
  if (opts.indent === undefined) return `${open}${items.join(', ')}${close}`;
  const pad = ' '.repeat(opts.indent * (level + 1));
  return `${open}\n${items.map((i) => pad + i).join(',\n')}\n${' '.repeat(opts.indent * level)}${close}`;
}
