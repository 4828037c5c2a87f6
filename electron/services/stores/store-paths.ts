import { chmod, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { StorePaths } from '../../../shared/contract/certificates';
import { writeFileAtomic } from '../fs/atomic';
import { pythonJsonDumps } from '../../../shared/domain/python-json';
import { makeFolders } from '../fs/user-paths';

export const STORES_FILE = '.mbl-stores.json';
export const USER_STORE_MODE = 0o700;
export const TEAM_STORE_MODE = 0o750;

export type StoreKind = 'user' | 'team';

export const defaultStorePaths = (home: string) => ({ user: join(home, '.mbl-store', 'user'), team: join(home, '.mbl-store', 'team') });

/**
 * `~/.mbl-stores.json` → where the User Store and Team Store are (compat-formats §2.1). On first use
 * the file is created with mbl-cli's defaults (`~/.mbl-store/user`, `~/.mbl-store/team`), compact
 * JSON as mbl-cli writes it. A file that exists but can't be read is reported, never replaced.
 */
export async function resolveStorePaths(home: string): Promise<Result<StorePaths>> {
  const storesFile = join(home, STORES_FILE);
  let text: string | undefined;
  try {
    text = await readFile(storesFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return fail('store-unreadable', `could not read ${storesFile}: ${(err as Error).message}`);
  }
  if (text === undefined) {
    const paths = defaultStorePaths(home);
    try {
      await writeFileAtomic(storesFile, pythonJsonDumps(paths), 0o644);
    } catch (err) {
      return fail('store-unwritable', `could not create ${storesFile}: ${(err as Error).message}`);
    }
    return ok({ storesFile, ...paths });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('store-unreadable', `${storesFile} is not valid JSON: fix it by hand or move it aside to use the default stores`);
  }
  const obj = (json ?? {}) as Record<string, unknown>;
  const defaults = defaultStorePaths(home);
  const pick = (k: StoreKind): string | undefined => {
    const v = obj[k];
    if (v === undefined) return defaults[k];
    if (typeof v !== 'string' || !v) return undefined;
    return isAbsolute(v) ? v : resolve(home, v);
  };
  const user = pick('user');
  const team = pick('team');
  if (!user || !team) return fail('store-unreadable', `${storesFile}: "user" and "team" must be folder paths: fix the file or move it aside`);
  return ok({ storesFile, user, team });
}

/** Makes a store folder with mbl-cli's mode if it is missing (an existing folder's mode is left alone). */
export async function ensureStoreFolder(dir: string, kind: StoreKind): Promise<void> {
  const mode = kind === 'user' ? USER_STORE_MODE : TEAM_STORE_MODE;
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) throw new Error(`${dir} exists and is not a folder`);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await makeFolders(dir, mode);
  await chmod(dir, mode); // mkdir's mode is filtered by the umask
}

/** Points `~/.mbl-stores.json` at other folders (absolute paths), creating them with mbl-cli's modes. */
export async function writeStorePaths(home: string, paths: { user: string; team: string }): Promise<StorePaths> {
  const storesFile = join(home, STORES_FILE);
  await writeFileAtomic(storesFile, pythonJsonDumps({ user: paths.user, team: paths.team }), 0o644);
  return { storesFile, ...paths };
}
