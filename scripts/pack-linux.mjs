// npm run pack:dir | pack:deb: the unpacked Linux app (out/linux-unpacked) or the deb installer, with
// build/electron-builder.config.mjs. Where no Electron binary exists, electronDist points at a STAND-IN
// (scripts/electron-binary.mjs), so electron-builder still checks the whole configuration, the file set,
// the deb metadata and the fuse hook; the result then can't run, and this script says so.
// Options: --no-build (use dist/ as it is), --out DIR (instead of out/).
import { spawn, execFileSync } from 'node:child_process';
import { installedElectronBinary, writeElectronStandIn } from './electron-binary.mjs';

/** What each target downloads when it gets to making the package, and how to supply it instead. */
const DOWNLOADED_TOOLS = {
  deb: 'fpm, which electron-builder downloads from GitHub; install fpm and set USE_SYSTEM_FPM=true (or CUSTOM_FPM_PATH=/path/to/fpm) to finish',
};

const [target = 'dir', ...options] = process.argv.slice(2);
if (!['dir', 'deb'].includes(target)) {
  process.stderr.write(`pack: unknown target "${target}": use dir or deb\n`);
  process.exit(2);
}
const outIndex = options.indexOf('--out');
if (outIndex >= 0 && !options[outIndex + 1]) {
  process.stderr.write('pack: --out needs a folder\n');
  process.exit(2);
}

const args = ['node_modules/electron-builder/cli.js', '--linux', target, '--config', 'build/electron-builder.config.mjs'];
if (outIndex >= 0) args.push(`-c.directories.output=${options[outIndex + 1]}`);
if (!installedElectronBinary()) {
  const standIn = writeElectronStandIn('node_modules/.cache/electron-dist-standin');
  args.push(`-c.electronDist=${standIn}`);
  process.stderr.write(`pack:${target}: no Electron binary here; packing the stand-in ${standIn} (checks the configuration; the result can't run)\n`);
}
if (!options.includes('--no-build')) execFileSync(process.execPath, ['scripts/build.mjs', 'all'], { stdio: 'inherit' });

const builder = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
let log = '';
for (const [from, to] of [
  [builder.stdout, process.stdout],
  [builder.stderr, process.stderr],
]) {
  from.on('data', (chunk) => {
    to.write(chunk);
    log += chunk;
  });
}
builder.on('close', (code) => {
  if (code !== 0 && DOWNLOADED_TOOLS[target] && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH/.test(log)) {
    process.stderr.write(`pack:${target}: stopped at a download, after every configuration and metadata check passed: it needs ${DOWNLOADED_TOOLS[target]}\n`);
  }
  process.exit(code ?? 1);
});
