/**
 * Runs the Device Management API emulator standalone (manual use, Playwright global setup).
 *
 *   node tests/cloud-emulator/start.mjs          (bundles this file with esbuild, then runs it)
 *
 * or import `startCloudEmulator` from ./emulator directly in a TypeScript-aware runner (Playwright
 * global setup, vitest).
 *
 * Env: EMULATOR_API_KEY (default ak_emulator_test_key_0001), EMULATOR_PORT (default 0 = any free port),
 * EMULATOR_HOST (default 127.0.0.1), EMULATOR_ACCOUNT_ID (default random), EMULATOR_TRUSTED_CA_DIR (where trusted
 * own CAs are mirrored for the device lab, e.g. .lab/trusted-cas; default none).
 * Prints exactly one JSON line on stdout: {"url": "...", "accountId": "..."}; stops on SIGINT/SIGTERM.
 */
import { startCloudEmulator } from './emulator';

const apiKey = process.env.EMULATOR_API_KEY || 'ak_emulator_test_key_0001';
const emulator = await startCloudEmulator({
  port: Number(process.env.EMULATOR_PORT ?? 0),
  host: process.env.EMULATOR_HOST || '127.0.0.1',
  ...(process.env.EMULATOR_TRUSTED_CA_DIR ? { trustedCaDir: process.env.EMULATOR_TRUSTED_CA_DIR } : {}),
});
const account = emulator.addAccount({
  name: 'Emulated lab account',
  apiKey,
  ...(process.env.EMULATOR_ACCOUNT_ID ? { id: process.env.EMULATOR_ACCOUNT_ID } : {}),
});
process.stdout.write(`${JSON.stringify({ url: emulator.url, accountId: account.id })}\n`);

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
