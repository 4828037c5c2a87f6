import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Resolves a path relative to tests/cloud-emulator/, also when this code was bundled elsewhere
 * (then relative to the working directory, which must be the project root).
 */
export function emulatorFile(rel: string): string {
  const candidates = [fileURLToPath(new URL(rel, import.meta.url)), resolve(process.cwd(), 'tests/cloud-emulator', rel)];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}
