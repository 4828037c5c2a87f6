/**
 * The shared database (issue 11): the same work on local files and on PostgreSQL, measured in one run on this
 * machine against a throwaway cluster the bench starts itself (tests/support/postgres.ts).
 *
 *   node --import tsx bench/shared-database.bench.ts          (npm run bench -- shared-database)
 *   BENCH_RUNS=N   history rounds after the warm-up (default 9); RUN_ROUNDS=N   provisioning rounds (default 5)
 *   BENCH_ONLY=history   the history table only (no lab)
 *
 * History: 10,000 entries from five stations, listed whole and filtered through `pws history` as whole
 * processes (start-up, settings, store, filter, JSON out), local file and database round-robin so that machine
 * load hits both alike.
 * Provisioning (needs root: it brings up a 50-device lab and restores what was there): a 50-device own-identity
 * run, `lab-{seq}` names, with the local registry and with the registry and history in PostgreSQL, alternating.
 * Prints one Markdown section on stdout; progress on stderr.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AuditEntry } from '../shared/contract/history';
import { createCore, defaultCoreDeps } from '../electron/services/composition';
import { startCloudEmulator } from '../tests/cloud-emulator/emulator';
import { deviceAddress, requireLab } from '../tests/lab/lab';
import { startThrowawayCluster } from '../tests/support/postgres';
import { currentLabArgs, lab, labIsUp, runWorker } from './lab-harness';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const RUN_ROUNDS = Number(process.env.RUN_ROUNDS ?? 5);
const RUN_DEVICES = 50;
const ROWS = 10_000;
const STATIONS = ['bench-1', 'bench-2', 'bench-3', 'bench-4', 'bench-5'];
const repo = join(import.meta.dirname, '..');
const pws = join(repo, 'bin/pws.cjs');
const runAsync = promisify(execFile);
const say = (m: string) => process.stderr.write(`bench(shared-database): ${m}\n`);

function entry(i: number): AuditEntry {
  const failed = i % 7 === 0;
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    time: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    station: STATIONS[i % STATIONS.length],
    runId: `run-${Math.floor(i / 50)}`,
    operator: 'lab',
    door: 'cli',
    device: {
      name: `169.254.${20 + (i % 30)}.${i % 250}`,
      hostname: `mbed-linux-os-${i % 500}`,
      addresses: [`169.254.${20 + (i % 30)}.${i % 250}`, `fe80::${(i % 500).toString(16)}%eth0`],
    },
    hostKeyFingerprint: `SHA256:${String(i % 500).padStart(43, 'k')}`,
    devCert: { name: 'lab-dev', fingerprint: 'a'.repeat(64) },
    updateCert: { name: 'lab-update', fingerprint: 'b'.repeat(64) },
    stages: [
      { stage: 'connect', durationMs: 120, ok: true },
      { stage: 'stage', durationMs: 40, ok: true },
      { stage: 'provision', durationMs: 900, ok: !failed },
    ],
    result: failed ? 'failed' : 'passed',
    stage: failed ? 'provision' : 'done',
    ...(failed ? { error: { code: 'utility-failed' as const, message: 'KCM_STATUS_STORAGE_ERROR' } } : {}),
    durationMs: 1100 + (i % 300),
  };
}

/** Wall time of one whole `pws` process, in ms; its stdout's entry count is checked by the caller. */
function timePws(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [pws, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) =>
      code === 0 ? resolve({ ms: performance.now() - t0, stdout }) : reject(new Error(`pws ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** `pws history` over 10,000 entries, local file vs database: the section's first table. */
async function historyBench(): Promise<string[]> {
  const cluster = await startThrowawayCluster();
  const work = mkdtempSync(join(tmpdir(), 'pws-bench-db-'));
  try {
    const url = await cluster.createDatabase('pws_bench');
    const localEnv = { PATH: process.env.PATH, HOME: work, PWS_DATA_DIR: join(work, 'data') };
    const dbEnv = { ...localEnv, PWS_DATABASE_URL: url };
    mkdirSync(localEnv.PWS_DATA_DIR, { recursive: true });
    writeFileSync(join(localEnv.PWS_DATA_DIR, 'audit.jsonl'), `${Array.from({ length: ROWS }, (_, i) => JSON.stringify(entry(i))).join('\n')}\n`);
    say(`${ROWS} entries written; migrating and importing them into the database`);
    await timePws(['db', 'migrate'], dbEnv);
    const imported = await timePws(['db', 'import-local', '--json'], dbEnv);
    const report = JSON.parse(imported.stdout) as { audit: { added: number } };
    if (report.audit.added !== ROWS) throw new Error(`import-local added ${report.audit.added} of ${ROWS}`);

    const queries: Array<{ name: string; args: string[] }> = [
      { name: 'all 10,000 entries', args: ['history', '--json'] },
      { name: 'one station, failed, since a date', args: ['history', '--json', '--station', 'bench-3', '--result', 'failed', '--since', '2026-01-04'] },
      { name: 'one device (substring of a host name)', args: ['history', '--json', '--device', 'os-42'] },
    ];
    const stores = [
      { name: 'local file', env: localEnv },
      { name: 'PostgreSQL', env: dbEnv },
    ];
    const times = new Map<string, number[]>();
    const counts = new Map<string, number>();
    for (let round = -1; round < RUNS; round++) {
      for (const q of queries) {
        for (const s of stores) {
          const { ms, stdout } = await timePws(q.args, s.env);
          const n = (JSON.parse(stdout) as { entries: unknown[] }).entries.length;
          const key = `${q.name}|${s.name}`;
          if (counts.has(q.name) && counts.get(q.name) !== n && s.name === 'PostgreSQL')
            throw new Error(`${q.name}: the stores disagree (${counts.get(q.name)} vs ${n})`);
          counts.set(q.name, n);
          if (round >= 0) times.set(key, [...(times.get(key) ?? []), ms]);
        }
      }
      say(`round ${round + 1}/${RUNS}`);
    }
    const help = [] as number[];
    for (let i = 0; i < RUNS; i++) help.push((await timePws(['--help'], localEnv)).ms);

    const rows = queries.map((q) => {
      const local = median(times.get(`${q.name}|local file`)!);
      const db = median(times.get(`${q.name}|PostgreSQL`)!);
      return `| ${q.name} | ${counts.get(q.name)} | ${local.toFixed(0)} ms | ${db.toFixed(0)} ms | ${(db / local).toFixed(2)}× | ${Math.max(local, db) < 500 ? 'yes' : '**no**'} |`;
    });
    return [
      '### History across stations: `pws history`, local file vs PostgreSQL',
      '',
      `\`pws history --json\` as whole processes over ${ROWS.toLocaleString('en')} entries from ${STATIONS.length} stations: the same entries in the`,
      "local `audit.jsonl` and, imported with `pws db import-local`, in PostgreSQL (Debian's server, a throwaway cluster on a Unix",
      `socket, same machine). Median of ${RUNS} rounds after a warm-up, the two stores round-robin. Target: under 0.5 s.`,
      `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), load average ${loadavg()[0]!.toFixed(2)} at the end; \`pws --help\` alone: ${median(help).toFixed(0)} ms.`,
      '',
      '| query | entries | local file | PostgreSQL | PostgreSQL / local | under 0.5 s |',
      '|---|---:|---:|---:|---:|---|',
      ...rows,
      '',
      `Importing the ${ROWS.toLocaleString('en')} local entries (\`pws db import-local\`, batches of 1,000, one statement each): ${imported.ms.toFixed(0)} ms.`,
    ];
  } finally {
    await cluster.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// own-identity runs, local registry vs PostgreSQL: the worker runs inside the lab's workstation namespace

interface RunRow {
  store: 'local files' | 'PostgreSQL';
  wallMs: number;
  passed: number;
}

async function ownIdentityWorker(): Promise<void> {
  const state = requireLab();
  const home = mkdtempSync(join(tmpdir(), 'pws-bench-own-id-'));
  const emu = await startCloudEmulator({ trustedCaDir: state.trustedCaDir });
  const account = emu.addAccount({ name: 'bench', apiKey: `ak_bench_shared_database_${Date.now()}` });
  const cloudEnv = { PWS_API_URL: emu.url, PWS_API_KEY: account.apiKey };
  const cluster = await startThrowawayCluster();
  const rows: RunRow[] = [];
  try {
    const cliEnv = { ...process.env, ...cloudEnv, HOME: home, PWS_DATA_DIR: join(home, 'setup') };
    for (const args of [
      ['init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', join(home, 'wizard')],
      ['certs', 'create-dev', 'bench-dev'],
      ['certs', 'import-update', 'bench-update', join(home, 'wizard', 'update_default_resources.c')],
      ['ca', 'create', 'bench-ca'],
      ['ca', 'trust', 'bench-ca'], // the emulator mirrors it where the lab's utility looks
    ]) {
      await runAsync(process.execPath, [pws, ...args], { env: cliEnv }); // not execFileSync: the emulator answers from this process
    }
    const addresses = state.devices.map((d) => deviceAddress(d));
    for (let round = 0; round < RUN_ROUNDS; round++) {
      for (const store of (round % 2 ? ['PostgreSQL', 'local files'] : ['local files', 'PostgreSQL']) as Array<RunRow['store']>) {
        await Promise.all(state.devices.map((d) => rm(join(d.root, 'config', 'user', 'pal'), { recursive: true, force: true })));
        const env: NodeJS.ProcessEnv = { ...cloudEnv };
        if (store === 'PostgreSQL') {
          env.PWS_DATABASE_URL = await cluster.createDatabase(`own_id_${round}`);
          await runAsync(process.execPath, [pws, 'db', 'migrate'], { env: { ...cliEnv, ...env } });
        }
        // A fresh registry and history each time, the same Team Store.
        const core = createCore(defaultCoreDeps({ home, dataDir: mkdtempSync(join(tmpdir(), 'pws-bench-station-')), env }));
        try {
          const t0 = performance.now();
          const started = await core.services.provisioning.start({
            devices: addresses,
            identity: { ca: 'bench-ca', endpointTemplate: 'lab-{seq}' },
            updateCert: 'bench-update',
            concurrency: 8,
          });
          if (!started.ok) throw new Error(started.message);
          const done = await core.services.provisioning.wait(started.value.runId);
          if (!done.ok) throw new Error(done.message);
          rows.push({ store, wallMs: performance.now() - t0, passed: done.value.passed });
          const failed = done.value.devices.find((d) => d.error);
          if (failed) say(`${store}: ${done.value.failed} failed, first: ${failed.error!.message}`);
          say(`round ${round + 1}/${RUN_ROUNDS}, ${store}: ${(rows.at(-1)!.wallMs / 1000).toFixed(2)} s`);
        } finally {
          await core.close();
        }
      }
    }
  } finally {
    await cluster.destroy();
    await emu.close();
    rmSync(home, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(rows)}\n`);
}

function ownIdentityTable(rows: RunRow[]): string[] {
  const of = (store: RunRow['store']) => rows.filter((r) => r.store === store);
  const local = median(of('local files').map((r) => r.wallMs));
  const db = median(of('PostgreSQL').map((r) => r.wallMs));
  // Paired by round: the two runs of a round ran back to back, under the same load.
  const perRound = of('PostgreSQL').map((r, i) => r.wallMs / of('local files')[i]!.wallMs);
  const ratio = median(perRound);
  const line = (store: RunRow['store'], ms: number) =>
    `| ${store} | ${(ms / 1000).toFixed(2)} s | ${of(store)
      .map((r) => (r.wallMs / 1000).toFixed(2))
      .join(', ')} | ${Math.min(...of(store).map((r) => r.passed))}/${RUN_DEVICES} |`;
  return [
    `### A ${RUN_DEVICES}-device own-identity run: local registry vs PostgreSQL`,
    '',
    `\`provision --ca\` on the ${RUN_DEVICES}-device lab at concurrency 8 with \`lab-{seq}\` endpoint names: each device's identity reserved in`,
    'the registry before it is signed, recorded once signed and settled after the status check, and its history entry written.',
    `Local: the registry file and \`audit.jsonl\`; PostgreSQL: both in a fresh migrated database on the same machine. ${RUN_ROUNDS} rounds,`,
    'the two alternating, a fresh registry each time. Target: PostgreSQL within 1.2× of local.',
    '',
    '| store | median wall time | rounds | passed |',
    '|---|---:|---|---:|',
    line('local files', local),
    line('PostgreSQL', db),
    '',
    `PostgreSQL over local, round by round: ${perRound.map((r) => `${r.toFixed(2)}×`).join(', ')}; median **${ratio.toFixed(2)}×** (target: within 1.2×): **${ratio <= 1.2 ? 'met' : 'not met'}**. The medians of the wall times alone give ${(db / local).toFixed(2)}×.`,
  ];
}

async function main() {
  if (process.argv[2] === '--worker') return ownIdentityWorker();
  say('building the CLI');
  execFileSync(process.execPath, ['scripts/build.mjs', 'node'], { cwd: repo, stdio: 'inherit' });
  const history = await historyBench();
  let runs: string[];
  if (process.env.BENCH_ONLY === 'history') {
    runs = [];
  } else if (process.getuid?.() === 0) {
    const previous = currentLabArgs();
    say(previous ? `a lab is up (${previous.join(' ')}); it is restored afterwards` : 'no lab is up; it is taken down afterwards');
    try {
      if (labIsUp()) await lab(['down'], say);
      await lab(['up', String(RUN_DEVICES)], say);
      runs = ownIdentityTable(await runWorker<RunRow[]>('bench/shared-database.bench.ts', []));
    } finally {
      if (labIsUp()) await lab(['down'], say).catch((e) => say(`down failed: ${(e as Error).message}`));
      if (previous) await lab(previous, say).catch((e) => say(`restoring the lab failed: ${(e as Error).message}`));
    }
  } else {
    runs = [
      '### A 50-device own-identity run: local registry vs PostgreSQL',
      '',
      'Not measured: it needs root to bring up the device lab (`sudo npm run bench -- shared-database`).',
    ];
  }
  process.stdout.write(['## Shared database: local files vs PostgreSQL (issue 11)', '', ...history, '', ...runs, ''].join('\n'));
}

main().catch((err) => {
  process.stderr.write(`bench(shared-database): ${(err as Error).stack}\n`);
  process.exit(1);
});
