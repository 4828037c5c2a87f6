/**
 * Provisioning benchmark (needs root: it brings the device lab up itself, and restores what was there).
 *
 *   node --import tsx bench/provisioning.bench.ts
 *
 * For N = 10 and N = 50 lab devices: wall time to provision all of them at concurrency 1, 4 and 8 with the
 * engine (one SSH connection per device for the whole pipeline), and the same devices provisioned the way
 * mbl-cli did it: one device after another, a new SSH connection for every step (prepare the folder, copy,
 * run the utility, clean up). Certificates come from the cloud emulator and the wizard, as in the tests.
 * For N = 10 also the CLI as a user runs it, whole processes: `pws discover` with its default timeout, and
 * `pws provision … --all` against the same run given the ten addresses (discovery settles early, and provisioning
 * starts on each board as soon as it has resolved).
 * Prints one Markdown section on stdout; progress on stderr.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCore, defaultCoreDeps } from '../electron/services/composition';
import { silentLogger } from '../electron/services/log';
import { MBL_PROFILE, shq } from '../electron/services/provisioning/device-profile';
import { filesToUpload, type CertificateBundle } from '../electron/services/provisioning/engine';
import { createTeamStoreCertificateSource } from '../electron/services/provisioning/team-store-certificates';
import { createSshConnector, type DeviceConnection, type SshConnector } from '../electron/services/ssh/connection';
import { createKnownHostsStore } from '../electron/services/ssh/known-hosts';
import { makeLabCertificates } from '../tests/integration/provisioning/lab-certificates';
import { REPO_ROOT, deviceAddress, requireLab } from '../tests/lab/lab';
import { currentLabArgs, lab, labIsUp, runWorker } from './lab-harness';

const run = promisify(execFile);
const say = (m: string) => process.stderr.write(`bench(provisioning): ${m}\n`);
const CONCURRENCIES = [1, 4, 8];
const SIZES = [10, 50];

interface Row {
  n: number;
  mode: 'engine' | 'mbl-cli style';
  concurrency: number;
  wallMs: number;
  connectionsPerDevice: number;
  passed: number;
}

// ---------------------------------------------------------------------------------------------------------
// worker: runs inside the lab's workstation namespace

async function resetDevices(): Promise<void> {
  for (const d of requireLab().devices) await rm(join(d.root, 'config', 'user', 'pal'), { recursive: true, force: true });
}

async function engineRun(home: string, addresses: string[], concurrency: number): Promise<Row> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pws-bench-data-'));
  let connector: SshConnector | undefined;
  const { provisioning } = createCore(defaultCoreDeps({ home, dataDir, door: 'test' }), { sshConnector: (c) => (connector = c) }).services;
  const t0 = performance.now();
  const started = await provisioning.start({ devices: addresses, devCert: 'lab-dev', updateCert: 'lab-update', concurrency });
  if (!started.ok) throw new Error(started.message);
  const done = await provisioning.wait(started.value.runId);
  const wallMs = performance.now() - t0;
  if (!done.ok) throw new Error(done.message);
  const failed = done.value.devices.filter((d) => d.state !== 'passed');
  if (failed.length) say(`engine c=${concurrency}: ${failed.length} failed, first: ${failed[0]!.error?.message}`);
  await provisioning.close();
  return {
    n: addresses.length,
    mode: 'engine',
    concurrency,
    wallMs,
    connectionsPerDevice: connector!.stats.opened / addresses.length,
    passed: done.value.passed,
  };
}

/** mbl-cli 2.0's shape: sequential devices, and a fresh SSH connection for each step. */
async function mblCliStyleRun(home: string, addresses: string[]): Promise<Row> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pws-bench-data-'));
  const connector: SshConnector = createSshConnector({
    home,
    knownHosts: createKnownHostsStore(dataDir),
    sshKeyPath: async () => '',
    clock: () => new Date(),
    log: silentLogger,
  });
  const source = createTeamStoreCertificateSource(createCore(defaultCoreDeps({ home, dataDir, door: 'test' })).services.stores);
  const certs: CertificateBundle[] = [];
  for (const name of ['lab-dev', 'lab-update']) {
    const r = await source.read(name);
    if (!r.ok) throw new Error(r.message);
    certs.push(r.value);
  }
  const files = filesToUpload(certs);
  const target = MBL_PROFILE.certsDir;
  const step = async (address: string, work: (c: DeviceConnection) => Promise<void>) => {
    const c = await connector.connect({ address });
    if (!c.ok) throw new Error(c.message);
    try {
      await work(c.value);
    } finally {
      await c.value.close();
    }
  };
  let passed = 0;
  const t0 = performance.now();
  for (const address of addresses) {
    try {
      await step(address, async (c) => void (await c.exec(`rm -r -f ${shq(target)} && mkdir -p ${shq(target)}`)));
      await step(address, (c) => c.upload(target, files));
      let ok = false;
      await step(address, async (c) => {
        ok = (await c.exec(`${MBL_PROFILE.utility} --provision`)).code === 0;
      });
      await step(address, async (c) => void (await c.exec(`rm -r -f ${shq(target)}`)));
      if (ok) passed += 1;
    } catch (err) {
      say(`mbl-cli style ${address}: ${(err as Error).message}`);
    }
  }
  return {
    n: addresses.length,
    mode: 'mbl-cli style',
    concurrency: 1,
    wallMs: performance.now() - t0,
    connectionsPerDevice: connector.stats.opened / addresses.length,
    passed,
  };
}

interface CliTimes {
  discoverMs: number[];
  discoverFound: number[];
  allMs: number[];
  addressesMs: number[];
}

/** One `pws` process (the built CLI), its wall time and stdout. */
async function timedPws(home: string, args: string[]): Promise<{ ms: number; stdout: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pws-bench-cli-'));
  const t0 = performance.now();
  const r = await run(process.execPath, [join(REPO_ROOT, 'bin', 'pws.cjs'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOME: home, PWS_DATA_DIR: dataDir },
    maxBuffer: 16 << 20,
  });
  const ms = performance.now() - t0;
  await rm(dataDir, { recursive: true, force: true });
  return { ms, stdout: r.stdout };
}

async function cliRuns(home: string, addresses: string[]): Promise<CliTimes> {
  const times: CliTimes = { discoverMs: [], discoverFound: [], allMs: [], addressesMs: [] };
  for (let i = 0; i < 5; i++) {
    const d = await timedPws(home, ['discover', '--json']);
    times.discoverMs.push(d.ms);
    times.discoverFound.push((JSON.parse(d.stdout) as unknown[]).length);
  }
  for (let i = 0; i < 3; i++) {
    await resetDevices();
    times.addressesMs.push((await timedPws(home, ['provision', 'lab-dev', 'lab-update', ...addresses.flatMap((a) => ['--device', a]), '--json'])).ms);
    await resetDevices();
    times.allMs.push((await timedPws(home, ['provision', 'lab-dev', 'lab-update', '--all', '--json'])).ms);
  }
  return times;
}

async function worker(home: string): Promise<void> {
  const addresses = requireLab().devices.map((d) => deviceAddress(d));
  const cli = addresses.length === 10 ? await cliRuns(home, addresses) : undefined;
  const rows: Row[] = [];
  for (const c of CONCURRENCIES) {
    await resetDevices();
    say(`N=${addresses.length}: engine, concurrency ${c}`);
    rows.push(await engineRun(home, addresses, c));
  }
  await resetDevices();
  say(`N=${addresses.length}: mbl-cli style, sequential`);
  rows.push(await mblCliStyleRun(home, addresses));
  await resetDevices();
  process.stdout.write(`${JSON.stringify({ rows, cli })}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// orchestrator: host namespace, root

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function cliMarkdown(cli: CliTimes): string[] {
  const all = median(cli.allMs);
  const given = median(cli.addressesMs);
  const discover = median(cli.discoverMs);
  return [
    '',
    '### The CLI on the 10-board lab: settling early',
    '',
    'Whole `pws` processes (the built CLI, Node start-up included), medians: `pws discover --json` with its default',
    'timeout (3 s, a cap: it ends once the list has settled), 5 runs; `pws provision lab-dev lab-update --all` and the same',
    'given the ten addresses with `--device`, 3 runs each, alternating, the boards emptied before each.',
    '',
    '| command | median | runs |',
    '|---|---:|---|',
    `| \`pws discover --json\` | ${s(discover)} | ${cli.discoverMs.map(s).join(', ')} (found ${cli.discoverFound.join(', ')}) |`,
    `| \`pws provision … --device ×10\` | ${s(given)} | ${cli.addressesMs.map(s).join(', ')} |`,
    `| \`pws provision … --all\` | ${s(all)} | ${cli.allMs.map(s).join(', ')} |`,
    '',
    `- \`pws discover\` returns all 10 in under 1 s: ${s(discover)}, ${Math.min(...cli.discoverFound)} of 10 in every run: **${discover < 1000 && Math.min(...cli.discoverFound) === 10 ? 'met' : 'missed'}**.`,
    `- \`--all\` takes at most 1.3× the run given the addresses: **${(all / given).toFixed(2)}×**: **${all / given <= 1.3 ? 'met' : 'missed'}**.`,
  ];
}

function markdown(rows: Row[], cli: CliTimes | undefined): string {
  const lines = [
    '## Provisioning: bulk runner vs an mbl-cli-style sequence',
    '',
    'Wall time to provision every device of the lab (emulated boards in network namespaces, each running sshd and the',
    'emulated `pelion-provisioning-util`, all on this machine) with a developer certificate from the cloud emulator and an',
    'update certificate from the wizard. **engine**: the bulk runner, one SSH connection per device for connect → stage',
    '(SFTP into a temporary folder, rename into place) → provision → verify (`--get-pelion-status`) → cleanup → restart-client.',
    '**mbl-cli style**: devices one after another and a new SSH connection for every step (prepare folder, copy, run the',
    'utility, clean up), without verification. Connections are counted in the SSH connection factory.',
    '',
    '| devices | mode | concurrency | wall time | per device | SSH connections / device | passed |',
    '|---:|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) => `| ${r.n} | ${r.mode} | ${r.concurrency} | ${s(r.wallMs)} | ${s(r.wallMs / r.n)} | ${r.connectionsPerDevice.toFixed(2)} | ${r.passed}/${r.n} |`,
    ),
    '',
    'Ratios (same run):',
    '',
  ];
  for (const n of SIZES) {
    const get = (mode: Row['mode'], c: number) => rows.find((r) => r.n === n && r.mode === mode && r.concurrency === c);
    const c1 = get('engine', 1);
    const c8 = get('engine', 8);
    const old = get('mbl-cli style', 1);
    if (c1 && c8) lines.push(`- N=${n}: concurrency 8 is **${(c1.wallMs / c8.wallMs).toFixed(2)}×** faster than concurrency 1 (target ≥ 2×).`);
    if (old && c1)
      lines.push(
        `- N=${n}: the engine at concurrency 1 is ${(old.wallMs / c1.wallMs).toFixed(2)}× faster than the mbl-cli-style sequence, while also verifying.`,
      );
    if (old && c8) lines.push(`- N=${n}: the engine at concurrency 8 is **${(old.wallMs / c8.wallMs).toFixed(2)}×** faster than the mbl-cli-style sequence.`);
  }
  const fifty = rows.find((r) => r.n === 50 && r.mode === 'engine' && r.concurrency === 8);
  if (fifty) lines.push(`- 50 devices at concurrency 8: ${s(fifty.wallMs)} (target < 15 s).`);
  if (cli) lines.push(...cliMarkdown(cli));
  lines.push('', `_Machine: ${process.platform}, Node ${process.version}, ${cpus().length} CPUs; the lab's devices share these CPUs with the workstation._`);
  return lines.join('\n');
}

async function orchestrate(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the provisioning benchmark needs root (it brings up the device lab): sudo npm run bench -- provisioning');
  const previous = currentLabArgs();
  say(previous ? `a lab is up (${previous.join(' ')}); it is restored afterwards` : 'no lab is up; it is taken down afterwards');
  await run(process.execPath, ['scripts/build.mjs', 'node'], { cwd: REPO_ROOT });
  const certs = await makeLabCertificates();
  const rows: Row[] = [];
  let cli: CliTimes | undefined;
  try {
    for (const n of SIZES) {
      if (labIsUp()) await lab(['down'], say);
      await lab(['up', String(n)], say);
      const r = await runWorker<{ rows: Row[]; cli?: CliTimes }>('bench/provisioning.bench.ts', [certs.home]);
      rows.push(...r.rows);
      cli ??= r.cli;
    }
  } finally {
    if (labIsUp()) await lab(['down'], say).catch((e) => say(`down failed: ${(e as Error).message}`));
    if (previous) await lab(previous, say).catch((e) => say(`restoring the lab failed: ${(e as Error).message}`));
    await rm(certs.home, { recursive: true, force: true });
  }
  process.stdout.write(`${markdown(rows, cli)}\n`);
}

const main = process.argv[2] === '--worker' ? worker(process.argv[3]!) : orchestrate();
main.catch((err) => {
  process.stderr.write(`bench(provisioning): ${(err as Error).message}\n`);
  process.exit(1);
});
