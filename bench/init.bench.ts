// `pws init -q` as whole processes: wall time and peak memory, side by side with a bare `node` start,
// `pws --help` and openssl making an equivalent certificate, measured round-robin in the same run.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const repo = join(import.meta.dirname, '..');
const pws = join(repo, 'bin/pws.cjs');
const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);
const work = mkdtempSync(join(tmpdir(), 'pws-bench-init-'));
const env = { PATH: process.env.PATH ?? '', HOME: work, PWS_DATA_DIR: join(work, 'data') };

process.stderr.write('bench init: building the CLI\n');
execFileSync(process.execPath, ['scripts/build.mjs', 'node'], { cwd: repo, stdio: 'inherit' });

interface Case {
  name: string;
  what: string;
  /** Command line for run number i (each gets a fresh folder where it matters). */
  argv: (i: number) => string[];
}

const reuseDir = join(work, 'reuse');
const cases: Case[] = [
  { name: 'node -e ""', what: 'bare Node start (floor for any JS CLI)', argv: () => [process.execPath, '-e', ''] },
  { name: 'pws --help', what: 'CLI start-up', argv: () => [process.execPath, pws, '--help'] },
  {
    name: 'pws init -q (new certificate)',
    what: 'P-256 key + certificate + 4 files, fsync\'d',
    argv: (i) => [process.execPath, pws, 'init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', join(work, `new-${i}`)],
  },
  {
    name: 'pws init -q (re-run, reuse)',
    what: 'existing certificate reused: no X.509 library loaded',
    argv: () => [process.execPath, pws, 'init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', reuseDir],
  },
  {
    name: 'openssl req -x509 (P-256)',
    what: 'equivalent certificate with the same 4 extensions (baseline)',
    argv: (i) => [
      'openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-sha256',
      '-keyout', join(work, `ossl-${i}.key`), '-out', join(work, `ossl-${i}.der`), '-outform', 'DER', '-subj', '/CN=arm.com', '-days', '90',
      '-addext', 'keyUsage=digitalSignature', '-addext', 'subjectAltName=DNS:localhost', '-addext', 'extendedKeyUsage=codeSigning',
    ],
  },
];

/** Runs one process; wall time from here, peak RSS from /usr/bin/time -f %M (KiB) when available. */
function measure(argv: string[]): Promise<{ ms: number; rssKb: number | undefined }> {
  const full = hasTime ? [TIME, '-f', '@@%M', ...argv] : argv;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(full[0]!, full.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) return reject(new Error(`${argv.join(' ')} exited ${code}: ${err}`));
      const m = /@@(\d+)\s*$/.exec(err);
      resolve({ ms, rssKb: m ? Number(m[1]) : undefined });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

await measure(cases[3]!.argv(0).slice(0, 2).concat(['init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', reuseDir])); // creates the reuse folder
const results = new Map<string, { ms: number[]; rss: number[] }>(cases.map((c) => [c.name, { ms: [], rss: [] }]));
for (let i = -1; i < RUNS; i++) {
  process.stderr.write(`bench init: round ${i + 1}/${RUNS}\n`);
  for (const c of cases) {
    const r = await measure(c.argv(i + 1));
    if (i < 0) continue; // warm-up round: disk cache, JIT of the toolchain
    results.get(c.name)!.ms.push(r.ms);
    if (r.rssKb !== undefined) results.get(c.name)!.rss.push(r.rssKb / 1024);
  }
}
rmSync(work, { recursive: true, force: true });

const base = median(results.get('node -e ""')!.ms);
const ossl = median(results.get('openssl req -x509 (P-256)')!.ms);
const fmt = (n: number) => n.toFixed(0);
const rows = cases.map((c) => {
  const r = results.get(c.name)!;
  const m = median(r.ms);
  const rss = r.rss.length ? `${median(r.rss).toFixed(1)}` : 'n/a';
  return `| \`${c.name}\` | ${c.what} | ${fmt(m)} | ${fmt(Math.min(...r.ms))} | ${rss} | ${(m / base).toFixed(2)}× | ${(m / ossl).toFixed(2)}× |`;
});
const startup = median(results.get('pws --help')!.ms) - base;

process.stdout.write(
  [
    '## pws init (update-certificate wizard)',
    '',
    `Whole processes, ${RUNS} rounds after one warm-up, the cases interleaved round-robin so that machine load hits them alike.`,
    `Wall time measured around spawn; peak RSS from \`/usr/bin/time -f %M\`${hasTime ? '' : ' (not installed here: n/a)'}.`,
    `Machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} at the end (other work was running).`,
    '',
    '| command | what | median ms | min ms | peak RSS MiB | vs `node -e ""` | vs openssl |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `CLI start-up over bare Node (\`pws --help\` − \`node -e ""\`, medians): **${fmt(startup)} ms**.`,
    'The difference between the new-certificate and the reuse rows is what making a certificate costs (loading @peculiar/x509 + reflect-metadata lazily, key generation, signing).',
    '',
  ].join('\n'),
);
