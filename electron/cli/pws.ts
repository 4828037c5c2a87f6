import { runCli } from './main';

// Getters: Node builds each stdio stream on first use (a few ms each), and e.g. `pws init -q` needs only stderr.
runCli({
  argv: process.argv.slice(2),
  env: process.env,
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
}).then((code) => {
  process.exitCode = code;
});
