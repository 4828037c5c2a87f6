/**
 * `json.dumps(value, sort_keys=True, indent=N)` as Python writes it: keys sorted by code point,
 * `": "` and `","` separators, `[]`/`{}` for empty containers, and every character outside
 * printable ASCII escaped as `\uXXXX` (ensure_ascii). Used where files must match manifest-tool byte for byte.
 */
export type PyJson = null | boolean | number | string | PyJson[] | { [key: string]: PyJson };

const asciiString = (s: string): string =>
  JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function pythonJsonDumps(value: PyJson, indent = 4, level = 0): string {
  const pad = ' '.repeat(indent * (level + 1));
  const end = ' '.repeat(indent * level);
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return JSON.stringify(value);
  if (typeof value === 'string') return asciiString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad + pythonJsonDumps(v, indent, level + 1)).join(',\n')}\n${end}]`;
  }
  const keys = Object.keys(value).sort();
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${pad}${asciiString(k)}: ${pythonJsonDumps(value[k] as PyJson, indent, level + 1)}`).join(',\n')}\n${end}}`;
}
