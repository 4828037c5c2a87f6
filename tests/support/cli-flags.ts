import type { ParseArgsConfig } from 'node:util';

/** The flags parseArgs accepts for these options, long and short (`--quiet`, `-q`). */
export const flagsOf = (options: ParseArgsConfig['options'] = {}): string[] =>
  Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
