/**
 * `npm run web`: the same UI and core as the Electron app, served to a browser on 127.0.0.1.
 * Used where no Electron binary exists, and by the browser end-to-end tests.
 */
import { resolve } from 'node:path';
import { createCore, defaultCoreDeps } from '../services/composition';
import { createStderrLogger } from '../services/log';
import { startWebHost } from './web-host';
import { APP_VERSION } from '../version';

async function main() {
  const port = Number(process.env.PWS_WEB_PORT ?? 0);
  const core = createCore(defaultCoreDeps({ door: 'web', log: createStderrLogger(), appVersion: APP_VERSION }));
  void core.services.database.startUp();
  const host = await startWebHost({ core, staticDir: resolve(import.meta.dirname, '../renderer'), port });
  // One machine-readable line first (tests read it), then the human one.
  process.stdout.write(`${JSON.stringify({ url: host.url })}\n`);
  process.stderr.write(`Provisioning Workstation is served at ${host.url}\n(127.0.0.1 only; the token in the URL is required. Ctrl-C stops it.)\n`);
  // a run that an earlier process left half done (killed mid-run): its certificates must not stay on the devices
  void core.services.provisioning.recoverInterruptedRuns();
  const stop = async () => {
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`pws web host could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
