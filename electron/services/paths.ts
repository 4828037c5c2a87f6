import { join } from 'node:path';

export const APP_ID = 'provisioning-workstation';

/**
 * The app-data folder, the same one Electron's `app.getPath('userData')` gives for this app name,
 * computed without Electron so that the CLI and the app share settings, known hosts and the audit log.
 * `PWS_DATA_DIR` overrides it (tests, portable installs).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (env.PWS_DATA_DIR) return env.PWS_DATA_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_ID);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_ID);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_ID);
}
