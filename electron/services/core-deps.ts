import { homedir } from 'node:os';
import { silentLogger, type Logger } from './log';
import { defaultDataDir } from './paths';

/**
 * Everything the core needs from the outside world, injected so that tests and the CLI can point the
 * services at real lab parts (a temporary HOME, the lab's devices, the cloud emulator, a test keyring).
 * Kept apart from `composition.ts` so that a door can make one service without loading all of them.
 */
export interface CoreDeps {
  /** HOME: mbl-cli's files (`~/.mbl-stores.json`, `~/.mbl-dev.json`) and `~/.ssh` live under it. */
  home: string;
  /** App-data folder: settings, known hosts, audit log. */
  dataDir: string;
  env: NodeJS.ProcessEnv;
  clock: () => Date;
  log: Logger;
  appVersion: string;
  door: 'electron' | 'web' | 'cli' | 'test';
}

export function defaultCoreDeps(overrides: Partial<CoreDeps> = {}): CoreDeps {
  const env = overrides.env ?? process.env;
  const home = overrides.home ?? env.HOME ?? homedir();
  return {
    home,
    dataDir: overrides.dataDir ?? defaultDataDir(env, process.platform, home),
    env,
    clock: () => new Date(),
    log: silentLogger,
    appVersion: '0.0.0',
    door: 'test',
    ...overrides,
  };
}
