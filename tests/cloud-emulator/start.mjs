#!/usr/bin/env node
// Runs the Device Management API emulator standalone without a TypeScript runner:
//   node tests/cloud-emulator/start.mjs        (env: EMULATOR_API_KEY, EMULATOR_PORT, EMULATOR_HOST)
// It bundles main.ts with esbuild into node_modules/.cache/cloud-emulator/ and runs it in this process.
// Prints one JSON line {"url": ..., "accountId": ...} on stdout; stop it with SIGINT/SIGTERM.
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outfile = `${root}node_modules/.cache/cloud-emulator/main.mjs`;
await build({
  entryPoints: [fileURLToPath(new URL('./main.ts', import.meta.url))],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile,
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
