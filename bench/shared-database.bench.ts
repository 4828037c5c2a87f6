/**
 * The shared database (issue 11): the same history and the same commands, local files vs PostgreSQL, measured
 * in one run on this machine against a throwaway cluster the bench starts itself (tests/support/postgres.ts).
 *
 *   node --import tsx bench/shared-database.bench.ts          (npm run bench -- shared-database)
 *   BENCH_RUNS=N   rounds after the warm-up (default 9)
 *
 * History: 10,000 entries from five stations, listed whole and filtered through `pws history` as whole
 * processes (start-up, settings, store, filter, JSON out), local file and database round-robin so that machine
 * load hits both alike. Prints one Markdown section on stdout; progress on stderr.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../shared/contract/history';
import { startThrowawayCluster } from '../tests/support/postgres';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const ROWS = 10_000;
const STATIONS = ['bench-1', 'bench-2', 'bench-3', 'bench-4', 'bench-5'];
const repo = join(import.meta.dirname, '..');
const pws = join(repo, 'bin/pws.cjs');
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
    device: { name: `169.254.${20 + (i % 30)}.${i % 250}`, hostname: `mbed-linux-os-${i % 500}`, addresses: [`169.254.${20 + (i % 30)}.${i % 250}`, `fe80::${(i % 500).toString(16)}%eth0`] },
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
    child.on('close', (code) => (code === 0 ? resolve({ ms: performance.now() - t0, stdout }) : reject(new Error(`pws ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  say('building the CLI');
  execFileSync(process.execPath, ['scripts/build.mjs', 'node'], { cwd: repo, stdio: 'inherit' });
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
          if (counts.has(q.name) && counts.get(q.name) !== n && s.name === 'PostgreSQL') throw new Error(`${q.name}: the stores disagree (${counts.get(q.name)} vs ${n})`);
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
    process.stdout.write(
      [
        '## Shared database: history across stations, local file vs PostgreSQL (issue 11)',
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
        '',
      ].join('\n'),
    );
  } finally {
    await cluster.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench(shared-database): ${(err as Error).stack}\n`);
  process.exit(1);
});
