// npm start: build, then launch Electron, and exit with Electron's own exit code (1 when a signal ended it).
// Where no Electron binary exists (our CI and dev machines can't download one), say so in one line and point
// to the web host, which serves the same UI and core. On Linux, say in one line when the sandbox must be off.
import { execFileSync, spawn } from 'node:child_process';
import { installedElectronBinary } from './electron-binary.mjs';
import { readSandboxFacts, sandboxPlan } from './linux-sandbox.mjs';

const electronBinary = installedElectronBinary();
if (!electronBinary) {
  process.stderr.write('pws: no Electron binary is installed on this machine; run `npm run web` to use the same app in a browser on 127.0.0.1.\n');
  process.exit(1);
}
try {
  execFileSync(process.execPath, ['scripts/build.mjs', 'all'], { stdio: 'inherit' });
} catch {
  process.exit(1);
}

const sandbox = sandboxPlan(readSandboxFacts(electronBinary));
if (sandbox.line) process.stderr.write(`${sandbox.line}\n`);
const child = spawn(electronBinary, [...sandbox.args, '.'], { stdio: 'inherit' });
// Ctrl-C and `kill` reach Electron through us, and we still report how it ended.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  process.stderr.write(`start: could not run ${electronBinary}: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) process.stderr.write(`start: Electron was ended by ${signal}\n`);
  process.exit(code ?? 1);
});
