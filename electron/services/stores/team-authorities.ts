import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { writeFolderAtomic } from '../fs/atomic';
import { checkCertName, teamFolderNames } from './team-certificates';

/**
 * The user's own CAs in the Team Store, beside the developer and update certificates: `<team>/<name>/ca.der`
 * and `ca.key.pem` (mode 0600). mbl-cli lists only folders with `.bin` files, so it never sees them.
 */
export const CA_CERT_FILE = 'ca.der';
export const CA_KEY_FILE = 'ca.key.pem';

export interface StoredAuthority {
  name: string;
  path: string;
  der: Buffer;
}

/** True when `<teamDir>/<name>` is a CA folder (a name that a developer or update certificate must not take over). */
export async function isAuthorityFolder(teamDir: string, name: string): Promise<boolean> {
  try {
    return (await lstat(join(teamDir, name, CA_CERT_FILE))).isFile();
  } catch {
    return false;
  }
}

export async function readAuthority(teamDir: string, name: string): Promise<Result<StoredAuthority>> {
  const checked = checkCertName(name);
  if (!checked.ok) return fail('ca-missing', checked.message);
  const path = join(teamDir, name);
  try {
    return ok({ name, path, der: await readFile(join(path, CA_CERT_FILE)) });
  } catch {
    return fail(
      'ca-missing',
      `no CA "${name}" in the Team Store (${teamDir}): create one with \`pws ca create ${name}\` or import one with \`pws ca import\`; \`pws ca list\` shows what is there`,
    );
  }
}

/** The CA's private key (PEM), for signing inside the core only. */
export async function readAuthorityKey(teamDir: string, name: string): Promise<Result<string>> {
  const file = join(teamDir, name, CA_KEY_FILE);
  try {
    return ok(await readFile(file, 'utf8'));
  } catch (err) {
    return fail(
      'ca-missing',
      `could not read the CA key ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): only its owner can read it; import the CA again if it is lost`,
    );
  }
}

export async function listAuthorities(teamDir: string): Promise<Result<StoredAuthority[]>> {
  const names = await teamFolderNames(teamDir);
  if (!names.ok) return names;
  const out: StoredAuthority[] = [];
  for (const name of names.value) {
    if (!(await isAuthorityFolder(teamDir, name))) continue;
    const r = await readAuthority(teamDir, name);
    if (r.ok) out.push(r.value);
  }
  return ok(out);
}

/** Writes the CA folder in one step: the certificate (0644) and the key (0600). */
export async function writeAuthorityFolder(teamDir: string, name: string, der: Uint8Array, keyPem: string): Promise<void> {
  await writeFolderAtomic(
    join(teamDir, name),
    [
      { name: CA_CERT_FILE, data: der, mode: 0o644 },
      { name: CA_KEY_FILE, data: keyPem, mode: 0o600 },
    ],
    0o750,
  );
}
