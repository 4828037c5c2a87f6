import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseCSymbols } from '../../../shared/domain/credentials-c-file';
import { createCloudClient } from '../../../electron/services/cloud/client';
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

export interface LabCertificates {
  home: string;
  teamDir: string;
  devName: string;
  updateName: string;
  /** file name (`<SYMBOL>.bin`) → bytes, as written into the Team Store */
  devFiles: Map<string, Buffer>;
  updateFiles: Map<string, Buffer>;
}

async function writeCertFolder(dir: string, text: string, prefix: string, file: string): Promise<Map<string, Buffer>> {
  const parsed = parseCSymbols(text, { file });
  if (!parsed.ok) throw new Error(`${file}: ${parsed.message}`);
  await mkdir(dir, { recursive: true });
  const out = new Map<string, Buffer>();
  for (const [symbol, sym] of parsed.value) {
    if (!symbol.startsWith(prefix)) continue;
    const data = Buffer.from(sym.value);
    await writeFile(join(dir, `${symbol}.bin`), data);
    out.set(`${symbol}.bin`, data);
  }
  return out;
}

/**
 * A temporary HOME whose Team Store holds a developer certificate issued by the cloud emulator (signed by the
 * account CA the lab's utility trusts) and an update certificate made by the wizard (`pws init -q`), stored the
 * mbl-cli way: one `<SYMBOL>.bin` per C symbol (compat-formats §2.2).
 */
export async function makeLabCertificates(): Promise<LabCertificates> {
  const home = await mkdtemp(join(tmpdir(), 'pws-prov-home-'));
  const teamDir = join(home, '.mbl-store', 'team');
  const devName = 'lab-dev';
  const updateName = 'lab-update';

  const emu = await startCloudEmulator();
  let devC: string;
  try {
    const acct = emu.addAccount({ name: 'lab', apiKey: `ak_provisioning_lab_${Date.now()}` });
    const client = createCloudClient({ baseUrl: emu.url, apiKey: acct.apiKey });
    const created = await client.createDeveloperCertificate({ name: devName });
    if (!created.ok) throw new Error(`emulator: ${created.message}`);
    devC = created.value.security_file_content;
  } finally {
    await emu.close();
  }
  const devFiles = await writeCertFolder(join(teamDir, devName), devC, 'MBED_CLOUD_DEV_', 'security_file_content');

  const wizardDir = await mkdtemp(join(tmpdir(), 'pws-prov-wizard-'));
  const init = await pws(home, ['init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', wizardDir]);
  if (init.code !== 0) throw new Error(`pws init failed: ${init.stderr}`);
  const cText = await readFile(join(wizardDir, 'update_default_resources.c'), 'utf8');
  const updateFiles = await writeCertFolder(join(teamDir, updateName), cText, 'arm_uc_', 'update_default_resources.c');
  return { home, teamDir, devName, updateName, devFiles, updateFiles };
}

/** sha256 of every file under a folder, for "unchanged" checks. */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out[p.slice(dir.length)] = createHash('sha256').update(await readFile(p)).digest('hex');
  }
  return out;
}
