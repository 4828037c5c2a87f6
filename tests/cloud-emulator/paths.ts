import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Resolves a path relative to tests/cloud-emulator/, also when this code was bundled elsewhere
 * (e.g. into node_modules/.cache/): then it looks upwards for the project's tests/cloud-emulator/,
 * and finally relative to the working directory.
 */
export function emulatorFile(rel: string): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, rel)];
  for (let dir = here, i = 0; i < 8; i++, dir = dirname(dir)) candidates.push(join(dir, 'tests/cloud-emulator', rel));
  candidates.push(resolve(process.cwd(), 'tests/cloud-emulator', rel));
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}
