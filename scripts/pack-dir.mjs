// npm run pack:dir: an unpacked Linux app folder (out/linux-unpacked). Where no Electron binary exists,
// electronDist points at a STAND-IN folder made here, so electron-builder still checks the whole
// config and the file set; the result then can't run, and this script says so.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let realBinary;
try {
  realBinary = require('electron');
} catch {}
const args = ['node_modules/electron-builder/cli.js', '--linux', 'dir', '--config', 'build/electron-builder.yml'];
if (typeof realBinary !== 'string' || !existsSync(realBinary)) {
  const standIn = 'node_modules/.cache/electron-dist-standin';
  mkdirSync(standIn, { recursive: true });
  writeFileSync(`${standIn}/electron`, '#!/bin/sh\necho "stand-in for the Electron binary: not runnable" >&2\nexit 1\n');
  chmodSync(`${standIn}/electron`, 0o755);
  writeFileSync(`${standIn}/version`, JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')).version);
  // Don't rebuild native modules (keytar) for an Electron that isn't here: it would break them for Node.
  args.push(`-c.electronDist=${standIn}`, '-c.npmRebuild=false');
  process.stderr.write(`pack:dir: no Electron binary here; using the stand-in ${standIn} (checks the config only)\n`);
}
execFileSync(process.execPath, ['scripts/build.mjs', 'all'], { stdio: 'inherit' });
execFileSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
