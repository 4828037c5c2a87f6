// Builds the node-side bundles (CLI, web host, Electron main + preload) with esbuild, and the renderer with vite.
// `node scripts/build.mjs node` (run by `prepare` on npm ci) | `all`.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
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

await Promise.all([
  build({ ...common, entryPoints: { pws: 'electron/cli/pws.ts' }, outdir: 'dist/cli', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { web: 'electron/host/web.ts' }, outdir: 'dist/host', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { main: 'electron/main/main.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
  // The sandboxed preload may only require('electron'); it gets the contract's names only, and no source map.
  build({ ...common, packages: undefined, platform: 'browser', sourcemap: false, plugins: [preloadContractNames], entryPoints: { preload: 'electron/main/preload.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
]);

if (what === 'all') {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
}
