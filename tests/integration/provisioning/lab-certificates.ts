import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCloudEmulator } from '../../cloud-emulator/emulator';
import { REPO_ROOT } from '../../lab/lab';

const run = promisify(execFile);

/** Runs the built pws CLI with a private HOME and data dir; never throws, returns the exit code and output. */
export async function pws(home: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [join(REPO_ROOT, 'bin', 'pws.cjs'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, HOME: home, PWS_DATA_DIR: join(home, 'data'), ...env },
      timeout: 180_000,
      maxBuffer: 16 << 20,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export interface LabCredentialsSetup {
  home: string;
  /** `update_default_resources.c` made by the wizard (`pws init -q`). */
  updateCFile: string;
  /** Environment for pws: the cloud emulator's URL and an API key of one of its accounts. */
  cloudEnv: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A temporary HOME, the cloud emulator running with an account (its developer certificates are signed by the
 * account CA the lab's utility trusts) and an update certificate C file made by the wizard. `pws provision -c -p`
 * then creates and imports both into the Team Store, as a user would.
 */
export async function setUpLabCredentials(): Promise<LabCredentialsSetup> {
  const home = await mkdtemp(join(tmpdir(), 'pws-prov-home-'));
  const emu = await startCloudEmulator();
  const acct = emu.addAccount({ name: 'lab', apiKey: `ak_provisioning_lab_${Date.now()}` });
  const wizardDir = await mkdtemp(join(tmpdir(), 'pws-prov-wizard-'));
  const init = await pws(home, ['init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', wizardDir]);
  if (init.code !== 0) {
    await emu.close();
    throw new Error(`pws init failed: ${init.stderr}`);
  }
  return {
    home,
    updateCFile: join(wizardDir, 'update_default_resources.c'),
    cloudEnv: { PWS_API_URL: emu.url, PWS_API_KEY: acct.apiKey },
    close: () => emu.close(),
  };
}

/** The `.bin` files of one Team Store certificate: file name → bytes. */
export async function teamStoreFiles(home: string, name: string): Promise<Map<string, Buffer>> {
  const dir = join(home, '.mbl-store', 'team', name);
  const out = new Map<string, Buffer>();
  for (const f of (await readdir(dir)).filter((x) => x.endsWith('.bin')).sort()) out.set(f, await readFile(join(dir, f)));
  return out;
}

export interface LabCertificates {
  home: string;
  teamDir: string;
  devName: string;
  updateName: string;
  devFiles: Map<string, Buffer>;
  updateFiles: Map<string, Buffer>;
}

/** Both certificates in a temporary HOME's Team Store via `pws certs create-dev` and `pws certs import-update` (the benchmark's setup). */
export async function makeLabCertificates(): Promise<LabCertificates> {
  const setup = await setUpLabCredentials();
  try {
    const dev = await pws(setup.home, ['certs', 'create-dev', 'lab-dev'], setup.cloudEnv);
    if (dev.code !== 0) throw new Error(`pws certs create-dev failed: ${dev.stderr}`);
    const upd = await pws(setup.home, ['certs', 'import-update', 'lab-update', setup.updateCFile]);
    if (upd.code !== 0) throw new Error(`pws certs import-update failed: ${upd.stderr}`);
  } finally {
    await setup.close();
  }
  return {
    home: setup.home,
    teamDir: join(setup.home, '.mbl-store', 'team'),
    devName: 'lab-dev',
    updateName: 'lab-update',
    devFiles: await teamStoreFiles(setup.home, 'lab-dev'),
    updateFiles: await teamStoreFiles(setup.home, 'lab-update'),
  };
}

/** sha256 of every file under a folder, for "unchanged" checks. */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out[p.slice(dir.length)] = createHash('sha256')
      .update(await readFile(p))
      .digest('hex');
  }
  return out;
}
