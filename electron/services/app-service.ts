import type { AppInfo, Door } from '../../shared/contract/app';
import { ok, type Result } from '../../shared/contract/result';

export interface AppService {
  /** What is running, for the About panel and bug reports. */
  info(door: Door): Promise<Result<AppInfo>>;
}

export function createAppService(deps: { appVersion: string; dataDir: string }): AppService {
  return {
    async info(door) {
      return ok({
        name: 'Provisioning Workstation',
        version: deps.appVersion,
        door: door === 'electron' ? 'electron' : 'web',
        versions: Object.fromEntries(Object.entries(process.versions).filter(([k]) => ['node', 'electron', 'chrome', 'v8', 'openssl'].includes(k))) as Record<
          string,
          string
        >,
        dataDir: deps.dataDir,
      });
    },
  };
}
