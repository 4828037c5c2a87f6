/**
 * Byte formatting of manifest-tool 1.x's `update_default_resources.c`: each byte `0x` + lower-case hex
 * without zero padding (`0xd`, `0x0`), joined by `, `.
 */
export const cByte = (b: number): string => `0x${b.toString(16)}`;

export const cBytes = (bytes: Uint8Array): string => Array.from(bytes, cByte).join(', ');

/**
 * Lines of `perLine` bytes joined by `,\n    ` (the caller writes the first line's 4-space indent), exactly
 * as Python's `',\n    '.join(', '.join(chunk) for chunk ...)`. An empty array gives an empty string.
 */
export function cByteLines(bytes: Uint8Array, perLine = 16): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) lines.push(cBytes(bytes.subarray(i, i + perLine)));
  return lines.join(',\n    ');
}

/** manifest-tool's split for the fingerprint and SKI: the first 16 bytes, then the rest, always two lines. */
export const cBytesSplitAt16 = (bytes: Uint8Array): string => `${cBytes(bytes.subarray(0, 16))},\n    ${cBytes(bytes.subarray(16))}`;
