import { join } from 'node:path';
import { readInputFile, readProblem } from '../fs/user-paths';

/** A key path as ssh reads it: `~/…` is the user's home. */
export const resolveKeyPath = (path: string, home: string): string => (path.startsWith('~/') ? join(home, path.slice(2)) : path);

/** The key file's bytes, or why it could not be read (words that follow "could not be read"). */
export function readKeyFile(path: string): Promise<Buffer | string> {
  return readInputFile(path).catch(readProblem);
}

/**
 * Why the SSH key at `path` could not be offered at login, or null when it can be read: asked when the setting
 * is made, so a wrong path is said then, not at the next login (which would be refused).
 */
export async function sshKeyProblem(path: string, home: string): Promise<string | null> {
  const key = await readKeyFile(resolveKeyPath(path.trim(), home));
  return typeof key === 'string' ? key : null;
}
