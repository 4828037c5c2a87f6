// Builds the node-side bundles (CLI, web host, Electron main + preload) with esbuild, and the renderer with vite.
// `node scripts/build.mjs node` (run by `prepare` on npm ci) | `all` | `bench` (the discovery core for the scale bench).
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { preloadContractNames } from './preload-contract-names.mjs';

const what = process.argv[2] ?? 'all';
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Keep npm packages (native keytar, ssh2, electron) as runtime requires; services load the heavy ones lazily.
  packages: 'external',
  define: { __APP_VERSION__: JSON.stringify(pkg.version), 'import.meta.dirname': '__dirname' },
};

// The CLI bundles its npm packages too, so a command reads a few files instead of hundreds, split per command
// (and the core) so that `pws --help` reads only the entry. esbuild splits only ES modules, but Node starts ES
// modules several ms slower than CommonJS (a large share of a CLI's start-up), so the split output is then
// turned into CommonJS file by file. Native modules stay outside and load from node_modules, where `npm ci`
// built them.
async function buildCli() {
  const esm = mkdtempSync(join(tmpdir(), 'pws-cli-esm-'));
  try {
    const split = await build({
      ...common,
      packages: undefined,
      external: ['keytar', 'ssh2', 'cpu-features', 'pg-native'],
      format: 'esm',
      splitting: true,
      entryPoints: { pws: 'electron/cli/pws.ts' },
      outdir: esm,
      outExtension: { '.js': '.cjs' }, // the names the CommonJS files will have
      chunkNames: 'chunks/[name]-[hash]',
      metafile: true,
    });
    const files = Object.keys(split.metafile.outputs).filter((f) => f.endsWith('.cjs'));
    const cjs = await build({
      ...common,
      bundle: false,
      packages: undefined,
      entryPoints: files,
      outbase: esm,
      outdir: 'dist/cli',
      outExtension: { '.js': '.cjs' },
      supported: { 'dynamic-import': false }, // import() of a chunk becomes require()
      metafile: true,
    });
    pruneStale('dist/cli', cjs.metafile);
  } finally {
    rmSync(esm, { recursive: true, force: true });
  }
}

/** Chunk names carry a content hash: remove what an earlier build left behind. */
function pruneStale(dir, metafile) {
  const fresh = new Set(Object.keys(metafile.outputs).map((p) => resolve(p)));
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = resolve(e.parentPath, e.name);
    if (e.isFile() && !fresh.has(path)) rmSync(path);
  }
}

if (what === 'bench') {
  // The discovery core bundled like the app's own bundles, for bench/discovery-scale.bench.ts.
  await build({ ...common, entryPoints: { 'discovery-core': 'bench/discovery-core.ts' }, outdir: 'dist/bench', outExtension: { '.js': '.cjs' } });
  process.exit(0);
}

await Promise.all([
  buildCli(),
  build({ ...common, entryPoints: { web: 'electron/host/web.ts' }, outdir: 'dist/host', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { main: 'electron/main/main.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
  // The sandboxed preload may only require('electron'); it gets the contract's names only, and no source map.
  build({
    ...common,
    packages: undefined,
    platform: 'browser',
    sourcemap: false,
    plugins: [preloadContractNames],
    entryPoints: { preload: 'electron/main/preload.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
]);

if (what === 'all') {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
}
