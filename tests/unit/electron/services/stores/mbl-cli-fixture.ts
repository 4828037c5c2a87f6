import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const FIXTURES = resolve(import.meta.dirname, '../../../../fixtures');

/** A temporary HOME holding the checked-in mbl-cli 2.0 store, with its `@STORE@` placeholders made absolute. */
export function homeWithMblCliStore(): { home: string; store: string } {
  const home = mkdtempSync(join(tmpdir(), 'pws-mblcli-home-'));
  const store = join(home, 'old-mbl-store');
  cpSync(join(FIXTURES, 'mbl-cli-store'), store, { recursive: true });
  for (const kind of ['user', 'team']) {
    const f = join(store, kind, 'config.json');
    writeFileSync(f, readFileSync(f, 'utf8').replaceAll('@STORE@', store));
  }
  writeFileSync(join(home, '.mbl-stores.json'), JSON.stringify({ user: join(store, 'user'), team: join(store, 'team') }));
  return { home, store };
}

export function emptyHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'pws-home-'));
  mkdirSync(home, { recursive: true });
  return home;
}

export const modeOf = (p: string) => statSync(p).mode & 0o777;
export const ls = (p: string) => readdirSync(p).sort();
