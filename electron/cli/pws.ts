import { fdOutput } from './fd-output';
import { runCli } from './main';

// stdout and stderr are written through their descriptors, and process.stdin is made on first use: Node builds
// each stdio stream from its stream modules (a few ms each), and e.g. `pws init -q` needs none of them.
runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: fdOutput(1, () => process.stdout),
  stderr: fdOutput(2, () => process.stderr),
  get stdin() {
    return process.stdin;
  },
}).then((code) => {
  process.exitCode = code;
});
