import { execFileSync } from 'node:child_process';

/** Build once so every test serves the current renderer and core. */
export default function globalSetup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', 'all'], { stdio: 'inherit' });
}
