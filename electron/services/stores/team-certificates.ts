import { X509Certificate, createHash } from 'node:crypto';
import { lstat, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { CertNameSchema, type TeamCertificate } from '../../../shared/contract/certificates';
import { writeFolderAtomic } from '../fs/atomic';
import { readInputFile, readProblem } from '../fs/user-paths';
import { expiryState } from '../../../shared/domain/expiry';
import { issueInWords } from '../../../shared/contract/issue-words';

export type CertificateKind = 'developer' | 'update';

/** One certificate of the Team Store as provisioning needs it: its `<SYMBOL>.bin` files, raw. */
export interface CertificateBins {
  name: string;
  kind: CertificateKind;
  /** Sorted by name; `MBED_CLOUD_DEV_MEMORY_TOTAL_KB.bin` normalised to 4 bytes little-endian. */
  files: Array<{ name: string; data: Buffer }>;
  /** SHA-256 of the DER certificate, lower-case hex. */
  fingerprint?: string;
  /** ISO 8601. */
  notAfter?: string;
  /** Made by mbl-cli 2.0 (uint32 stored as ASCII text). */
  legacy: boolean;
  warnings: string[];
  /** Set when the folder can't be provisioned as it is (its certificate .bin is missing or not DER X.509); also among `warnings`. */
  problem?: string;
}

export const DEV_CERT_FILE = 'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE.bin';
export const UPDATE_CERT_FILE = 'arm_uc_default_certificate.bin';
const MEMORY_FILE = 'MBED_CLOUD_DEV_MEMORY_TOTAL_KB.bin';
const CERT_FILE_MODE = 0o640; // a developer certificate folder holds its private key
const CERT_FOLDER_MODE = 0o750;

export const LEGACY_WARNING =
  'written by mbl-cli 2.0: MEMORY_TOTAL_KB was stored as text (read correctly here), and its strings may have lost spaces or a leading/trailing "r"; recreate it with `pws certs create-dev` to be sure';

export function checkCertName(name: string): Result<string> {
  const r = CertNameSchema.safeParse(name);
  if (!r.success) return fail('invalid-request', `"${name}" is not a certificate name: ${issueInWords(r.error.issues[0]!)}`);
  return ok(r.data);
}

export function kindOfFiles(names: readonly string[]): CertificateKind | undefined {
  if (names.includes(UPDATE_CERT_FILE) || names.some((n) => n.startsWith('arm_uc_'))) return 'update';
  if (names.includes(DEV_CERT_FILE) || names.some((n) => n.startsWith('MBED_CLOUD_DEV_'))) return 'developer';
  return undefined;
}

/** mbl-cli wrote uint32 values as ASCII digits; the device wants 4 bytes little-endian. */
function normaliseMemoryTotal(data: Buffer): { data: Buffer; legacy: boolean } {
  if (data.length === 4) return { data, legacy: false };
  const text = data.toString('latin1').trim();
  if (/^\d{1,10}$/.test(text) && Number(text) <= 0xffffffff) {
    const out = Buffer.alloc(4);
    out.writeUInt32LE(Number(text));
    return { data: out, legacy: true };
  }
  return { data, legacy: false };
}

/** The largest `.bin` a certificate holds is its DER certificate, about 1 KB; anything near this is not one. */
const MAX_BIN_BYTES = 1024 * 1024;

/**
 * One Team Store file, refusing a symbolic link (a planted `x.bin -> ~/.ssh/id_ed25519` would be uploaded to
 * every device) and anything that is not a regular file or is too large to be a certificate part.
 */
async function readPlainFile(path: string): Promise<Result<Buffer>> {
  try {
    return ok(await readInputFile(path, { maxBytes: MAX_BIN_BYTES, followLinks: false }));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP')
      return fail(
        'certificate-invalid',
        `${path} is a symbolic link: the Team Store holds only plain files; remove it and create or import the certificate again`,
      );
    return fail('certificate-invalid', `could not read ${path}: ${readProblem(err)}; remove it and create or import the certificate again`);
  }
}

/**
 * Reads `<teamDir>/<name>/*.bin` for provisioning (compat-formats §2.2). Copes with mbl-cli's own
 * stores (ASCII uint32 is converted, and the certificate is flagged `legacy`). Read-only.
 */
/** How a certificate of this kind gets into the Team Store, for a message about one that is not there. */
function howToAdd(name: string, kind: CertificateKind | undefined): string {
  const developer = `create it with \`pws certs create-dev ${name}\` or import the portal's file with \`pws certs import-dev ${name} FILE.c\``;
  const update = `make it with \`pws init\` (or the app's wizard), then \`pws certs import-update ${name} FILE.c\``;
  if (kind) return kind === 'developer' ? developer : update;
  return `a developer certificate: ${developer}; an update certificate: ${update}`;
}

/** `expected`, when the caller knows which kind it wants, only makes the message about a missing one say how to add that kind. */
export async function readCertificateBins(teamDir: string, name: string, expected?: CertificateKind): Promise<Result<CertificateBins>> {
  const checked = checkCertName(name);
  if (!checked.ok) return fail('certificate-missing', checked.message);
  const dir = join(teamDir, name);
  let names: string[];
  try {
    if ((await lstat(dir)).isSymbolicLink()) {
      return fail(
        'certificate-invalid',
        `${dir} is a symbolic link: a Team Store certificate is a plain folder; remove the link and create or import "${name}" again`,
      );
    }
    names = (await readdir(dir)).filter((f) => f.endsWith('.bin')).sort();
  } catch {
    return fail(
      'certificate-missing',
      `no ${expected ? `${expected} ` : ''}certificate "${name}" in the Team Store (${teamDir}): ${howToAdd(name, expected)}; \`pws certs list\` shows what is there`,
    );
  }
  const kind = kindOfFiles(names);
  if (!kind || names.length === 0) return fail('certificate-invalid', `${dir} holds no certificate .bin files: create or import "${name}" again`);
  let legacy = false;
  const files: CertificateBins['files'] = [];
  for (const f of names) {
    const read = await readPlainFile(join(dir, f));
    if (!read.ok) return read;
    let data: Buffer = read.value;
    if (f === MEMORY_FILE) {
      const n = normaliseMemoryTotal(data);
      data = n.data;
      legacy ||= n.legacy;
    }
    files.push({ name: f, data });
  }
  const der = files.find((x) => x.name === (kind === 'update' ? UPDATE_CERT_FILE : DEV_CERT_FILE))?.data;
  const warnings: string[] = legacy ? [LEGACY_WARNING] : [];
  const bins: CertificateBins = { name, kind, files, legacy, warnings };
  if (!der) {
    bins.problem = `${kind === 'update' ? UPDATE_CERT_FILE : DEV_CERT_FILE} is missing: import "${name}" again`;
    warnings.push(bins.problem);
    return ok(bins);
  }
  bins.fingerprint = createHash('sha256').update(der).digest('hex');
  try {
    bins.notAfter = new Date(new X509Certificate(der).validTo).toISOString();
  } catch {
    bins.problem = `the certificate in ${dir} does not parse as DER X.509: import "${name}" again`;
    warnings.push(bins.problem);
  }
  return ok(bins);
}

/** The list-view form of one certificate folder. */
export async function describeCertificate(teamDir: string, name: string, now: Date): Promise<Result<TeamCertificate>> {
  const bins = await readCertificateBins(teamDir, name);
  if (!bins.ok) return bins;
  const path = join(teamDir, name);
  let createdAt: string | null = null;
  try {
    createdAt = (await stat(path)).mtime.toISOString();
  } catch {
    /* raced with a delete: leave it unknown */
  }
  const b = bins.value;
  return ok({
    name,
    kind: b.kind,
    fingerprint: b.fingerprint ?? null,
    createdAt,
    notAfter: b.notAfter ?? null,
    expiry: expiryState(b.notAfter, now),
    path,
    files: b.files.map((f) => f.name),
    legacy: b.legacy,
    warnings: b.warnings,
  });
}

/** Every certificate folder of the Team Store (temporary `.name.tmp` folders and stray files skipped). */
/** The names of the Team Store's folders that can be certificates (temporary `.name.tmp` folders and stray files skipped), sorted. */
export async function teamFolderNames(teamDir: string): Promise<Result<string[]>> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(teamDir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ok([]);
    return fail('store-unreadable', `could not read the Team Store ${teamDir}: ${(err as Error).message}`);
  }
  return ok(
    entries
      .filter((x) => x.isDirectory() && !x.name.startsWith('.') && checkCertName(x.name).ok)
      .map((x) => x.name)
      .sort((a, b) => a.localeCompare(b)),
  );
}

/** Every certificate folder of the Team Store. */
export async function listTeamCertificates(teamDir: string, now: Date): Promise<Result<TeamCertificate[]>> {
  const names = await teamFolderNames(teamDir);
  if (!names.ok) return names;
  const out: TeamCertificate[] = [];
  for (const name of names.value) {
    const d = await describeCertificate(teamDir, name, now);
    if (d.ok) out.push(d.value);
  }
  return ok(out);
}

/** Writes `<teamDir>/<name>/` in one step (temporary folder + rename): readers see the old or the new set, never a mix. */
export async function writeCertificateFolder(teamDir: string, name: string, files: ReadonlyArray<{ name: string; data: Uint8Array }>): Promise<void> {
  await writeFolderAtomic(
    join(teamDir, name),
    files.map((f) => ({ name: f.name, data: f.data, mode: CERT_FILE_MODE })),
    CERT_FOLDER_MODE,
  );
}

export async function removeCertificateFolder(teamDir: string, name: string): Promise<boolean> {
  const dir = join(teamDir, name);
  try {
    await stat(dir);
  } catch {
    return false;
  }
  // Rename first, so the name disappears in one step even if removing the files is interrupted.
  const trash = join(teamDir, `.${name}.${process.pid}.${Date.now()}.deleted`);
  await rename(dir, trash);
  await rm(trash, { recursive: true, force: true });
  return true;
}
