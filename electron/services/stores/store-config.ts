import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { writeFileAtomic } from '../fs/atomic';
import { pythonJsonDumps, type PyJson } from '../../../shared/domain/python-json';
import type { StoreKind } from './store-paths';

export const CONFIG_FILE = 'config.json';

/** A store's `config.json` as mbl-cli writes it; unknown keys are kept as they were. */
export interface StoreConfig {
  location: string;
  api_key: string;
  dev_certs: Record<string, string[]>;
  [other: string]: unknown;
}

export async function readStoreConfig(dir: string): Promise<Result<StoreConfig>> {
  const file = join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ok({ location: dir, api_key: '', dev_certs: {} });
    return fail('store-unreadable', `could not read ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('store-unreadable', `${file} is not valid JSON: fix it by hand or move it aside (the certificates next to it are not lost)`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    return fail('store-unreadable', `${file} is not a JSON object: fix it by hand or move it aside`);
  const obj = json as Record<string, unknown>;
  const devCerts: Record<string, string[]> = {};
  if (obj.dev_certs && typeof obj.dev_certs === 'object') {
    for (const [k, v] of Object.entries(obj.dev_certs as Record<string, unknown>))
      if (Array.isArray(v)) devCerts[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return ok({
    ...obj,
    location: typeof obj.location === 'string' ? obj.location : dir,
    api_key: typeof obj.api_key === 'string' ? obj.api_key : '',
    dev_certs: devCerts,
  });
}

export async function writeStoreConfig(dir: string, config: StoreConfig, kind: StoreKind): Promise<void> {
  // The user store's file may still hold an old plaintext key: keep it private.
  await writeFileAtomic(join(dir, CONFIG_FILE), pythonJsonDumps({ ...config, location: dir } as PyJson), kind === 'user' ? 0o600 : 0o640);
}

/**
 * `dev_certs` rebuilt from what is on disk: every certificate folder with its `.bin` files as absolute
 * paths, in mbl-cli's shape. Existing names keep their order; new ones go last; vanished ones go.
 */
export async function devCertsFromDisk(team: string, previous: Record<string, string[]>): Promise<Record<string, string[]>> {
  const found = new Map<string, string[]>();
  let entries: import('node:fs').Dirent[] = [];
  try {
    entries = await readdir(team, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const bins = (await readdir(join(team, e.name))).filter((f) => f.endsWith('.bin')).sort();
    if (bins.length)
      found.set(
        e.name,
        bins.map((f) => join(team, e.name, f)),
      );
  }
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(previous)) {
    const v = found.get(name);
    if (v) out[name] = v;
  }
  for (const [name, v] of [...found].sort(([a], [b]) => a.localeCompare(b))) if (!(name in out)) out[name] = v;
  return out;
}

/** Writes mbl-cli's empty `config.json` into a store that has none (first use); an existing one is left alone. */
export async function ensureStoreConfig(dir: string, kind: StoreKind): Promise<void> {
  try {
    await access(join(dir, CONFIG_FILE));
  } catch {
    await writeStoreConfig(dir, { location: dir, api_key: '', dev_certs: {} }, kind);
  }
}
