// Discovery: time from browse start to the first device and to all N devices, for N = 10 and 50, for our
// discovery service (bonjour-service on every interface + record cache) and for `avahi-browse -rtp _ssh._tcp`
// (mbl-cli's mechanism, talking to an avahi-daemon in the workstation namespace), round-robin in the same run.
// Needs root: it brings the lab up itself (`lab.sh up N --ws-avahi`) and puts back the lab it found afterwards.
//
//   node --import tsx bench/discovery.bench.ts            (the Markdown section on stdout, progress on stderr)
//   ... --worker ours N                                   (internal: one measurement inside the lab's workstation namespace)
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { LAB_WORKSTATION_NAMESPACE as LAB_WS } from '../tests/lab/lab';
import { currentLabArgs, lab, runWorker } from './lab-harness';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SIZES = (process.env.BENCH_SIZES ?? '10,50').split(',').map(Number);
const LIMIT_MS = 15_000;

interface Sample {
  firstMs: number | null;
  allMs: number | null;
  found: number;
}

// ---------------------------------------------------------------------------------------------------------------
// child mode: runs inside the workstation namespace, prints one JSON Sample

async function childOurs(n: number): Promise<void> {
  const { createDiscoveryService } = await import('../electron/services/discovery/discovery-service');
  const { EventHub } = await import('../electron/services/events');
  const { silentLogger } = await import('../electron/services/log');
  // Load bonjour-service before the clock starts: module loading is process start-up, not browsing.
  await import('bonjour-service');
  const seen = new Set<string>();
  let firstMs: number | null = null;
  let allMs: number | null = null;
  const t0 = performance.now();
  const service = createDiscoveryService({ events: new EventHub(), log: silentLogger, clock: () => new Date() });
  await new Promise<void>((resolve) => {
    const limit = setTimeout(resolve, LIMIT_MS);
    service.onChange((c) => {
      if (c.event !== 'added' || !c.device.present) return;
      seen.add(c.device.id);
      const t = performance.now() - t0;
      firstMs ??= t;
      if (seen.size >= n && allMs === null) {
        allMs = t;
        clearTimeout(limit);
        resolve();
      }
    });
    void service.start();
  });
  await service.stop();
  process.stdout.write(JSON.stringify({ firstMs, allMs, found: seen.size } satisfies Sample));
}

// ---------------------------------------------------------------------------------------------------------------
// parent mode

const say = (m: string) => process.stderr.write(`bench discovery: ${m}\n`);
/** One measurement of ours in a fresh process inside the workstation namespace. */
const runOurs = (n: number) => runWorker<Sample>('bench/discovery.bench.ts', ['ours', String(n)]);

/** avahi-browse -r -t -p: time from spawn to the first resolved line and to N distinct resolved services. */
function runAvahiBrowse(n: number): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('ip', ['netns', 'exec', LAB_WS, 'avahi-browse', '-rtp', '_ssh._tcp'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const names = new Set<string>();
    let firstMs: number | null = null;
    let allMs: number | null = null;
    let buf = '';
    let err = '';
    const limit = setTimeout(() => child.kill(), LIMIT_MS);
    child.stderr.on('data', (b) => (err += b));
    child.stdout.on('data', (b: Buffer) => {
      buf += b.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.startsWith('=;')) continue;
        const t = performance.now() - t0;
        firstMs ??= t;
        names.add(line.split(';')[3] ?? '');
        if (names.size >= n && allMs === null) {
          allMs = t;
          child.kill();
        }
      }
    });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(limit);
      if (firstMs === null && err.trim()) return reject(new Error(`avahi-browse: ${err.trim().split('\n').pop()}`));
      resolve({ firstMs, allMs, found: names.size });
    });
  });
}

const median = (xs: number[]) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (ms: number) => (Number.isFinite(ms) ? `${ms < 100 ? ms.toFixed(1) : ms.toFixed(0)} ms` : '—');
const med = (samples: Sample[], key: 'firstMs' | 'allMs') => median(samples.map((s) => s[key]).filter((x): x is number => x !== null));

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench/discovery.bench.ts needs root (it brings the device lab up)');
  const before = currentLabArgs();
  say(`lab before: ${before ? before.join(' ') : 'down'}`);
  const rows: string[] = [];
  const target: string[] = [];
  try {
    for (const n of SIZES) {
      await lab(['up', String(n), '--ws-avahi'], say);
      const ours: Sample[] = [];
      const avahi: Sample[] = [];
      await runOurs(n); // warm-up: file cache for node/tsx, not counted
      for (let i = 0; i < RUNS; i++) {
        ours.push(await runOurs(n));
        avahi.push(await runAvahiBrowse(n));
        process.stderr.write(`  N=${n} run ${i + 1}/${RUNS}: ours ${fmt(ours.at(-1)!.allMs ?? NaN)}, avahi-browse ${fmt(avahi.at(-1)!.allMs ?? NaN)}\n`);
      }
      const incomplete = (xs: Sample[]) => xs.filter((s) => s.allMs === null).length;
      const oFirst = med(ours, 'firstMs');
      const oAll = med(ours, 'allMs');
      const aFirst = med(avahi, 'firstMs');
      const aAll = med(avahi, 'allMs');
      rows.push(
        `| ${n} | pws discovery service | ${fmt(oFirst)} | ${fmt(oAll)} | ${fmt(Math.max(...ours.map((s) => s.allMs ?? Infinity)))} | ${RUNS - incomplete(ours)}/${RUNS} |`,
        `| ${n} | avahi-browse -rtp | ${fmt(aFirst)} | ${fmt(aAll)} | ${fmt(Math.max(...avahi.map((s) => s.allMs ?? Infinity)))} | ${RUNS - incomplete(avahi)}/${RUNS} |`,
        `| ${n} | ratio avahi-browse / ours | ${(aFirst / oFirst).toFixed(2)}× | ${(aAll / oAll).toFixed(2)}× | | |`,
      );
      if (n === 50)
        target.push(
          `All 50 listed in a median of ${fmt(oAll)} from browse start (target: under 1 s): **${oAll < 1000 && !incomplete(ours) ? 'met' : 'not met'}**.`,
        );
    }
  } finally {
    say(`restoring the lab (${before ? before.join(' ') : 'down'})`);
    await lab(before ?? ['down'], say);
  }
  process.stdout.write(
    [
      '## Discovery: browse start to first device and to all N',
      '',
      `Lab devices announcing \`_ssh._tcp\` with \`mblos\` (\`lab.sh up N --ws-avahi\`), measured inside the workstation namespace, ${RUNS} runs each, round-robin, medians (plus the worst run). ` +
        `Ours: a fresh process per run, clock started just before \`start()\` (bonjour-service already loaded), IPv4 and IPv6 sockets on every interface, stopped when N devices were published. ` +
        `avahi-browse: mbl-cli's mechanism, clock started at spawn, N distinct resolved (\`=\`) services. Note that the workstation avahi-daemon keeps a cache that every run (ours included) warms, so avahi-browse answers from a warm cache; mbl-cli also polled it only every 0.5 s. ${cpus().length} cores, Node ${process.version}.`,
      '',
      '| N | browser | first device | all N | worst all N | complete runs |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
      ...target,
      '',
    ].join('\n'),
  );
}

if (process.argv[2] === '--worker') {
  await childOurs(Number(process.argv[4]));
} else {
  await main();
}
