// npm start: build, then launch Electron. Where no Electron binary exists (our CI and dev machines can't
// download one), say so in one line and point to the web host, which serves the same UI and core.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronBinary;
try {
  // The electron package exports the path of its binary, and throws when the binary was never downloaded.
  electronBinary = require('electron');
} catch {
  electronBinary = undefined;
}
const { existsSync } = await import('node:fs');
if (typeof electronBinary !== 'string' || !existsSync(electronBinary)) {
  process.stderr.write('pws: no Electron binary is installed on this machine; run `npm run web` to use the same app in a browser on 127.0.0.1.\n');
  process.exit(1);
}
try {
  execFileSync(process.execPath, ['scripts/build.mjs', 'all'], { stdio: 'inherit' });
} catch {
  process.exit(1);
}
const child = spawn(electronBinary, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
