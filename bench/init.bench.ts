// `pws init -q` as whole processes: wall time and peak memory, side by side in the same run with a bare
// `node -e 0`, `pws --help`, ARM's manifest-tool 1.5.2 `init -q` (when a copy can be run) and openssl making an
// equivalent certificate, measured round-robin so that machine load hits them alike.
//
//   PWS_BENCH_MANIFEST_TOOL=/path/to/manifest-tool   adds manifest-tool's row (e.g. bin/manifest-tool of a
//                                                    virtualenv with `pip install manifest-tool==1.5.2`)
//   BENCH_RUNS=N                                     rounds after the warm-up (default 15)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const repo = join(import.meta.dirname, '..');
const pws = join(repo, 'bin/pws.cjs');
const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);
const manifestTool = process.env.PWS_BENCH_MANIFEST_TOOL;
const work = mkdtempSync(join(tmpdir(), 'pws-bench-init-'));
const env = { PATH: process.env.PATH ?? '', HOME: work, PWS_DATA_DIR: join(work, 'data') };

process.stderr.write('bench init: building the CLI\n');
execFileSync(process.execPath, ['scripts/build.mjs', 'node'], { cwd: repo, stdio: 'inherit' });

interface Case {
  name: string;
  what: string;
  /** Command line for run number i; each run that makes files gets a fresh folder as its working directory. */
  argv: (dir: string) => string[];
}

const NODE = 'node -e 0';
const FLOOR = 'node -e <the same work, nothing else>';
const HELP = 'pws --help';
const INIT = 'pws init -q';
const MANIFEST_TOOL = 'manifest-tool init -q';
const OPENSSL = 'openssl req -x509 (P-256)';

/** What `pws init -q` cannot avoid, as a bare script: load node:crypto, make and sign with a P-256 key, write 4 fsync'd files. */
const floorScript = `
const c = require('node:crypto'), fs = require('node:fs/promises');
const { privateKey, publicKey } = c.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const der = Buffer.concat([publicKey.export({ type: 'spki', format: 'der' }), c.sign('sha256', Buffer.alloc(400), { key: privateKey, dsaEncoding: 'der' })]);
const files = [['.update-certificates/default.der', der], ['.update-certificates/default.key.pem', privateKey.export({ type: 'sec1', format: 'pem' })],
  ['.manifest_tool.json', '{}'], ['update_default_resources.c', der.toString('hex')]];
fs.mkdir('.update-certificates').then(() => Promise.all(files.map(async ([name, data]) => {
  const fh = await fs.open(name + '.tmp', 'wx', 0o600); await fh.writeFile(data); await fh.sync(); await fh.close(); await fs.rename(name + '.tmp', name);
}))).then(() => process.stderr.write('warning: self-signed\\n'));`;

const reuseDir = join(work, 'reuse');
const initArgs = ['init', '-q', '-d', 'arm.com', '-m', 'dev-device'];
function manifestToolCase(tool: string): Case {
  const v = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  const version = `${v.stdout ?? ''}${v.stderr ?? ''}`.trim().split('\n')[0] || 'version unknown';
  return { name: MANIFEST_TOOL, what: `ARM's Python tool (${version}), same inputs`, argv: () => [tool, ...initArgs] };
}
const cases: Case[] = [
  { name: NODE, what: 'bare Node start (floor for any JS CLI)', argv: () => [process.execPath, '-e', '0'] },
  { name: FLOOR, what: "node:crypto, a P-256 key and signature, 4 fsync'd files: the floor for `init`", argv: () => [process.execPath, '-e', floorScript] },
  { name: HELP, what: 'CLI start-up', argv: () => [process.execPath, pws, '--help'] },
  { name: INIT, what: "new P-256 key + certificate + manifest-tool's 4 files, fsync'd", argv: () => [process.execPath, pws, ...initArgs] },
  {
    name: `${INIT} (re-run)`,
    what: 'existing certificate reused, the other two files rewritten',
    argv: () => [process.execPath, pws, ...initArgs, '--dir', reuseDir],
  },
  ...(manifestTool ? [manifestToolCase(manifestTool)] : []),
  {
    name: OPENSSL,
    what: 'equivalent certificate with the same 4 extensions (a native floor)',
    argv: (dir) => [
      'openssl',
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-sha256',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.der'),
      '-outform',
      'DER',
      '-subj',
      '/CN=arm.com',
      '-days',
      '90',
      '-addext',
      'keyUsage=digitalSignature',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-addext',
      'extendedKeyUsage=codeSigning',
    ],
  },
];

/** Runs one process in `cwd`; wall time from here, peak RSS from /usr/bin/time -f %M (KiB) when available. */
function measure(argv: string[], cwd: string): Promise<{ ms: number; rssKb: number | undefined }> {
  const full = hasTime ? [TIME, '-f', '@@%M', ...argv] : argv;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(full[0]!, full.slice(1), { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
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

await measure([process.execPath, pws, ...initArgs, '--dir', reuseDir], work); // the folder the re-run row reuses
const results = new Map<string, { ms: number[]; rss: number[] }>(cases.map((c) => [c.name, { ms: [], rss: [] }]));
let fresh = 0;
for (let round = -1; round < RUNS; round++) {
  process.stderr.write(`bench init: round ${round + 1}/${RUNS}\n`);
  for (const c of cases) {
    const dir = join(work, `run-${fresh++}`);
    mkdirSync(dir);
    const r = await measure(c.argv(dir), dir);
    rmSync(dir, { recursive: true, force: true });
    if (round < 0) continue; // warm-up round: disk cache, JIT of the toolchain
    results.get(c.name)!.ms.push(r.ms);
    if (r.rssKb !== undefined) results.get(c.name)!.rss.push(r.rssKb / 1024);
  }
}
rmSync(work, { recursive: true, force: true });

const wall = (name: string) => median(results.get(name)!.ms);
const rss = (name: string) => median(results.get(name)!.rss);
const base = wall(NODE);
const fmt = (n: number) => n.toFixed(0);
const ratio = (n: number) => `${n.toFixed(2)}×`;
const rows = cases.map((c) => {
  const r = results.get(c.name)!;
  const m = median(r.ms);
  const mt = manifestTool ? ratio(m / wall(MANIFEST_TOOL)) : 'n/a';
  return `| \`${c.name}\` | ${c.what} | ${fmt(m)} | ${fmt(Math.min(...r.ms))} | ${r.rss.length ? median(r.rss).toFixed(1) : 'n/a'} | ${ratio(m / base)} | ${mt} |`;
});

const verdict = (ok: boolean) => (ok ? '**met**' : '**missed**');
const targets = [
  manifestTool
    ? `- \`pws init -q\` median ${fmt(wall(INIT))} ms = ${ratio(wall(INIT) / wall(MANIFEST_TOOL))} manifest-tool's ${fmt(wall(MANIFEST_TOOL))} ms (target ≤ 0.5×): ${verdict(wall(INIT) <= 0.5 * wall(MANIFEST_TOOL))}.`
    : `- \`pws init -q\` ≤ 0.5× manifest-tool: **not measured**, no manifest-tool could be run here (PyPI is not reachable). Set \`PWS_BENCH_MANIFEST_TOOL=/path/to/manifest-tool\` (1.5.2) to add its row; for scale only, not this run: issue 13 measured it at 750 ms median on another machine.`,
  `- \`pws init -q\` median ${fmt(wall(INIT))} ms = ${ratio(wall(INIT) / base)} bare Node's ${fmt(base)} ms (target ≤ 1.6×): ${verdict(wall(INIT) <= 1.6 * base)}.`,
  hasTime
    ? `- \`pws init -q\` peak RSS ${rss(INIT).toFixed(1)} MiB (bare Node: ${rss(NODE).toFixed(1)} MiB; target ≤ 50 MiB): ${verdict(rss(INIT) <= 50)}.`
    : '- peak RSS: not measured (/usr/bin/time is not installed here).',
  `- \`pws --help\` median ${fmt(wall(HELP))} ms = ${ratio(wall(HELP) / base)} bare Node's (target ≤ 1.2×): ${verdict(wall(HELP) <= 1.2 * base)}.`,
  `- For scale: Node doing only what \`init\` cannot avoid takes ${ratio(wall(FLOOR) / base)} bare Node's time; \`pws init -q\` adds ${fmt(wall(INIT) - wall(FLOOR))} ms to that (validation, IDs, the certificate's DER, the C file and JSON, reading the folder, the CLI itself).`,
];

process.stdout.write(
  [
    '## pws init (update-certificate wizard) and CLI start-up',
    '',
    `Whole processes, ${RUNS} rounds after one warm-up, the cases interleaved round-robin so that machine load hits them alike;`,
    'each run in a fresh folder. Wall time measured around spawn (medians and the fastest run); peak RSS from',
    `\`/usr/bin/time -f %M\`${hasTime ? '' : ' (not installed here: n/a)'}. Machine: ${cpus().length} cores, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} at the end (other work was running).`,
    "The environment is cut to PATH and HOME: this machine's shell sets NODE_EXTRA_CA_CERTS, which adds tens of ms to",
    'every Node start and would flatter every ratio below.',
    '',
    '| command | what | median ms | min ms | peak RSS MiB | vs `node -e 0` | vs manifest-tool |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    'Targets (issue 13), from this run:',
    '',
    ...targets,
    '',
    'How: the CLI is one esbuild bundle with its npm packages inside, split per command, so `pws --help` reads the',
    'entry and `pws init` a few chunks instead of ~300 module files; `pws init` does not load the core (mDNS, SSH,',
    "cloud client, zod contracts), and makes the certificate with Node's crypto and a small DER writer instead of",
    '@peculiar/x509 + reflect-metadata + tsyringe. Before that (the run of 2026-11-22, same bench): `pws init -q` 300 ms',
    '= 8.57× bare Node, 72.7 MiB; `pws --help` 1.41×.',
    '',
  ].join('\n'),
);
