/**
 * Own identities benchmark (needs root: it brings the 50-device lab up itself, and restores what was there).
 *
 *   node --import tsx bench/identities.bench.ts
 *
 * 1. What issuing one device identity costs on the workstation, in process: the P-256 key pair, the certificate
 *    signed by the CA, and the whole of it with the local identity registry (reserve and record, each flushed).
 * 2. The 50-device run with own identities against the same run with one shared developer certificate, both at
 *    concurrency 8 through the same core, interleaved over several rounds so machine load hits them alike.
 * Prints one Markdown section on stdout; progress on stderr.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCore, defaultCoreDeps } from '../electron/services/composition';
import { createLocalIdentityStore } from '../electron/services/identities/local-identity-store';
import { issueDeviceIdentity } from '../electron/services/identities/issue-identity';
import { accountItemsFrom, issueOwnIdentity } from '../electron/services/identities/own-identity';
import { makeCaCertificate } from '../electron/services/pki/certificate-authority';
import { loadSigningCa } from '../electron/services/pki/signing-ca';
import { startCloudEmulator } from '../tests/cloud-emulator/emulator';
import { makeLabCertificates, pws } from '../tests/integration/provisioning/lab-certificates';
import { REPO_ROOT, deviceAddress, requireLab } from '../tests/lab/lab';
import { currentLabArgs, lab, labIsUp, runWorker } from './lab-harness';

const run = promisify(execFile);
const say = (m: string) => process.stderr.write(`bench(identities): ${m}\n`);
const N = 50;
const ROUNDS = 5;
const CONCURRENCY = 8;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// ---------------------------------------------------------------------------------------------------------
// 1. issuance, in process

/** Per call: the median batch, and the fastest (what the work costs when nothing else competes for the CPU). */
type Cost = { median: number; min: number };

interface Issuance {
  keygen: Cost;
  sign: Cost;
  identity: Cost;
  withRegistry: Cost;
  samples: number;
}

const cost = (xs: number[]): Cost => ({ median: median(xs), min: Math.min(...xs) });

/** `rounds` batches of `per` calls, per call. */
function perCall(per: number, rounds: number, work: () => void): Cost {
  const batches: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < per; i++) work();
    batches.push((performance.now() - t0) / per);
  }
  return cost(batches);
}

async function issuance(devFiles: Map<string, Buffer>): Promise<Issuance> {
  const material = makeCaCertificate({
    name: 'bench-ca',
    organization: 'Bench',
    notBefore: new Date(),
    notAfter: new Date(Date.now() + 30 * 365 * 86_400_000),
  });
  const ca = loadSigningCa('bench-ca', material.der, material.keyPem);
  if (!ca.ok) throw new Error(ca.message);
  const validity = { notBefore: new Date(), notAfter: new Date(Date.now() + 20 * 365 * 86_400_000) };
  const tbs = Buffer.alloc(300, 7);
  const keygen = perCall(200, 7, () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));
  const signing = perCall(200, 7, () => sign('sha256', tbs, { key: ca.value.key, dsaEncoding: 'der' }));
  const identity = perCall(200, 7, () => issueDeviceIdentity(ca.value, 'device-1', validity));
  const account = accountItemsFrom(
    'lab-dev',
    [...devFiles].map(([name, data]) => ({ name, data })),
  );
  if (!account.ok) throw new Error(account.message);
  const dataDir = await mkdtemp(join(tmpdir(), 'pws-bench-registry-'));
  const store = createLocalIdentityStore(dataDir);
  const withRegistry: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    const issued = await issueOwnIdentity(
      {
        ca: ca.value,
        store,
        template: 'bench-{seq}',
        reissue: 'none',
        account: account.value,
        profile: {},
        years: 20,
        runId: 'bench',
        operator: 'bench',
        station: 'bench',
        clock: () => new Date(),
      },
      { id: `10.0.${i >> 8}.${i & 255}`, addresses: [] },
    );
    if (!issued.ok) throw new Error(issued.message);
    withRegistry.push(performance.now() - t0);
    await issued.value.settle({ confirmed: true });
  }
  await rm(dataDir, { recursive: true, force: true });
  return { keygen, sign: signing, identity, withRegistry: cost(withRegistry), samples: 200 };
}

// ---------------------------------------------------------------------------------------------------------
// 2. the 50-device runs: worker inside the lab's workstation namespace

interface RunRow {
  mode: 'developer certificate' | 'own identities';
  round: number;
  wallMs: number;
  passed: number;
}

async function resetDevices(): Promise<void> {
  for (const d of requireLab().devices) await rm(join(d.root, 'config', 'user', 'pal'), { recursive: true, force: true });
}

async function oneRun(home: string, env: NodeJS.ProcessEnv, mode: RunRow['mode'], round: number): Promise<RunRow> {
  await resetDevices();
  const dataDir = await mkdtemp(join(tmpdir(), 'pws-bench-data-'));
  const core = createCore(defaultCoreDeps({ home, dataDir, env }));
  const addresses = requireLab().devices.map((d) => deviceAddress(d));
  const credentials = mode === 'own identities' ? { identity: { ca: 'bench-ca', endpointTemplate: 'bench-{seq}' } } : { devCert: 'lab-dev' };
  const t0 = performance.now();
  const started = await core.services.provisioning.start({ devices: addresses, ...credentials, updateCert: 'lab-update', concurrency: CONCURRENCY });
  if (!started.ok) throw new Error(started.message);
  const done = await core.services.provisioning.wait(started.value.runId);
  const wallMs = performance.now() - t0;
  if (!done.ok) throw new Error(done.message);
  const failed = done.value.devices.filter((d) => d.state !== 'passed');
  if (failed.length) say(`${mode}: ${failed.length} failed, first: ${failed[0]!.error?.message}`);
  await core.close();
  await rm(dataDir, { recursive: true, force: true });
  return { mode, round, wallMs, passed: done.value.passed };
}

async function worker(home: string): Promise<void> {
  // The account trusts the CA (the emulator mirrors it where the lab's utility looks), as after `pws ca trust`.
  const emu = await startCloudEmulator({ trustedCaDir: requireLab().trustedCaDir });
  const acct = emu.addAccount({ name: 'bench', apiKey: `ak_bench_identities_${randomUUID().replace(/-/g, '')}` });
  const env = { ...process.env, PWS_API_URL: emu.url, PWS_API_KEY: acct.apiKey };
  const trusted = await createCore(defaultCoreDeps({ home, dataDir: await mkdtemp(join(tmpdir(), 'pws-bench-trust-')), env })).services.ca.trust({
    name: 'bench-ca',
  });
  if (!trusted.ok) throw new Error(trusted.message);
  const rows: RunRow[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const mode of (round % 2 ? ['developer certificate', 'own identities'] : ['own identities', 'developer certificate']) as RunRow['mode'][]) {
        say(`round ${round}: ${mode}`);
        rows.push(await oneRun(home, env, mode, round));
      }
    }
  } finally {
    await resetDevices();
    await emu.close();
  }
  process.stdout.write(`${JSON.stringify(rows)}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// orchestrator: host namespace, root

function markdown(c: Issuance, rows: RunRow[]): string {
  const of = (mode: RunRow['mode']) => rows.filter((r) => r.mode === mode);
  const dev = median(of('developer certificate').map((r) => r.wallMs));
  const own = median(of('own identities').map((r) => r.wallMs));
  // Paired by round: the two runs of a round ran back to back, under the same load.
  const perRound = Array.from({ length: ROUNDS }, (_, i) => of('own identities')[i]!.wallMs / of('developer certificate')[i]!.wallMs);
  const ratio = median(perRound);
  const cell = (x: Cost) => `${us(x.median)} | ${us(x.min)}`;
  const passed = (mode: RunRow['mode']) => `${of(mode).reduce((a, r) => a + r.passed, 0)}/${of(mode).length * N}`;
  return [
    '## Own identities: issuing one, and a 50-device run against a shared developer certificate',
    '',
    `Issuing one device identity on the workstation, in process (per device: the median batch of ${c.samples}, and the fastest):`,
    '',
    '| step | median | fastest |',
    '|---|---:|---:|',
    `| P-256 key pair (\`generateKeyPairSync\`) | ${cell(c.keygen)} |`,
    `| ECDSA signature by the CA | ${cell(c.sign)} |`,
    `| keygen + sign: the identity (key pair, certificate from the DER writer, SHA-256 and enrollment identity) | ${cell(c.identity)} |`,
    `| the same with the local identity registry, one device at a time: reserve and record, each appended and fsync'd under its lock | ${cell(c.withRegistry)} |`,
    '',
    `The 50-device lab (\`lab.sh up 50\`) at concurrency ${CONCURRENCY}, through one core each, ${ROUNDS} rounds, the two modes interleaved`,
    '(alternating which goes first); devices emptied before every run. **developer certificate**: one shared developer certificate',
    'from the cloud emulator. **own identities**: each device its own key pair and certificate from a CA the (emulated) account',
    'trusts, issued once the device is connected, recorded in a fresh registry, the template `bench-{seq}`. Both stage the same',
    "files and run the same verification (the lab's utility checks the chain to the trusted CA).",
    '',
    '| mode | runs (wall time) | median | passed |',
    '|---|---|---:|---:|',
    `| developer certificate | ${of('developer certificate')
      .map((r) => s(r.wallMs))
      .join(', ')} | ${s(dev)} | ${passed('developer certificate')} |`,
    `| own identities | ${of('own identities')
      .map((r) => s(r.wallMs))
      .join(', ')} | ${s(own)} | ${passed('own identities')} |`,
    '',
    `Own identities over the developer certificate, round by round: ${perRound.map((r) => `${r.toFixed(2)}×`).join(', ')}; median **${ratio.toFixed(2)}×** (target: within 1.2×): **${ratio <= 1.2 ? 'met' : 'not met'}**. The medians of the wall times alone give ${(own / dev).toFixed(2)}×.`,
    'In a run the registry batches: the devices that reserve or record at the same moment share one append and one fsync.',
    '',
    `_Machine: ${process.platform}, Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} at the end; the lab's devices share these CPUs with the workstation._`,
  ].join('\n');
}

async function orchestrate(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the identities benchmark needs root (it brings up the device lab): sudo npm run bench -- identities');
  const previous = currentLabArgs();
  say(previous ? `a lab is up (${previous.join(' ')}); it is restored afterwards` : 'no lab is up; it is taken down afterwards');
  await run(process.execPath, ['scripts/build.mjs', 'node'], { cwd: REPO_ROOT });
  const certs = await makeLabCertificates();
  const made = await pws(certs.home, ['ca', 'create', 'bench-ca', '--organization', 'Bench']);
  if (made.code !== 0) throw new Error(`pws ca create failed: ${made.stderr}`);
  say('issuance, in process');
  const issuing = await issuance(certs.devFiles);
  const rows: RunRow[] = [];
  try {
    if (labIsUp()) await lab(['down'], say);
    await lab(['up', String(N)], say);
    rows.push(...(await runWorker<RunRow[]>('bench/identities.bench.ts', [certs.home])));
  } finally {
    if (labIsUp()) await lab(['down'], say).catch((e) => say(`down failed: ${(e as Error).message}`));
    if (previous) await lab(previous, say).catch((e) => say(`restoring the lab failed: ${(e as Error).message}`));
    await rm(certs.home, { recursive: true, force: true });
  }
  process.stdout.write(`${markdown(issuing, rows)}\n`);
}

const main = process.argv[2] === '--worker' ? worker(process.argv[3]!) : orchestrate();
main.catch((err) => {
  process.stderr.write(`bench(identities): ${(err as Error).message}\n`);
  process.exit(1);
});
