import { appChannels } from '../../shared/contract/app';
import { ok } from '../../shared/contract/result';
import type { Router } from './router';
import type { CoreDeps } from './composition';

export function registerAppRoutes(router: Router, deps: CoreDeps): void {
  router.route(appChannels.info, async (_req, ctx) =>
    ok({
      name: 'Provisioning Workstation',
      version: deps.appVersion,
      door: ctx.door === 'electron' ? 'electron' : 'web',
      versions: Object.fromEntries(
        Object.entries(process.versions).filter(([k]) => ['node', 'electron', 'chrome', 'v8', 'openssl'].includes(k)),
      ) as Record<string, string>,
      dataDir: deps.dataDir,
    }),
  );
}
