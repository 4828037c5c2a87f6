import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveKeyPath } from './ssh-key-file';

/**
 * The first IdentityFile of `Host <alias>` in ~/.ssh/config (mbl-cli's convention for production images is
 * host `mbl-device`). Only the simple form is understood: `Host` lines with space-separated patterns
 * (exact match or `*`), and `IdentityFile` with or without `=`.
 */
export async function identityFileFromSshConfig(home: string, alias: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(home, '.ssh', 'config'), 'utf8');
  } catch {
    return undefined;
  }
  let inBlock = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+)\s*(?:=\s*|\s+)(.+)$/.exec(line);
    if (!m) continue;
    const keyword = m[1]!.toLowerCase();
    const value = m[2]!.trim().replace(/^"(.*)"$/, '$1');
    if (keyword === 'host') inBlock = value.split(/\s+/).some((p) => p === alias || p === '*');
    else if (keyword === 'match') inBlock = false;
    else if (inBlock && keyword === 'identityfile') return resolveKeyPath(value, home);
  }
  return undefined;
}
