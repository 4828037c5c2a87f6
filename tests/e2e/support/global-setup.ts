import { execFileSync } from 'node:child_process';
import useTemporaryRoot from '../../support/temp-root';

/**
 * Build once so every test serves the current renderer and core; the tests' temporary folders (homes, web hosts)
 * go under one folder of the run's, removed when it ends, as in the vitest runs.
 */
export default function globalSetup(): () => void {
  execFileSync(process.execPath, ['scripts/build.mjs', 'all'], { stdio: 'inherit' });
  return useTemporaryRoot();
}
