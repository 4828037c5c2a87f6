#!/usr/bin/env node
// The pws CLI entry. The bundle is built by `npm ci` / `npm install` (the `prepare` script) or `npm run build`.
try {
  require('../dist/cli/pws.cjs');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/pws.cjs')) {
    process.stderr.write('pws: the CLI is not built yet: run `npm run build` in the project folder\n');
    process.exit(1);
  }
  throw err;
}
