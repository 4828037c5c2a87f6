// @ts-check
// electron-builder afterSign hook: notarises the signed macOS app with Apple's notary service, so Gatekeeper
// opens it on other Macs. electron-builder runs it only after it has signed the app. The credentials come
// from the environment, with the variable names electron-builder itself uses; without them the build goes on
// un-notarised and says so in one line.
import { notarize } from '@electron/notarize';
import { join } from 'node:path';

/**
 * Each way to authenticate with the notary service: the variables it needs, and the options they become.
 * @type {Array<{ needs: string[], options: (get: (name: string) => string) => import('@electron/notarize/lib/types').NotaryToolCredentials }>}
 */
const CREDENTIALS = [
  {
    needs: ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'],
    options: (get) => ({ appleApiKey: get('APPLE_API_KEY'), appleApiKeyId: get('APPLE_API_KEY_ID'), appleApiIssuer: get('APPLE_API_ISSUER') }),
  },
  {
    needs: ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'],
    options: (get) => ({ appleId: get('APPLE_ID'), appleIdPassword: get('APPLE_APP_SPECIFIC_PASSWORD'), teamId: get('APPLE_TEAM_ID') }),
  },
  {
    needs: ['APPLE_KEYCHAIN_PROFILE'],
    options: (get) => ({ keychainProfile: get('APPLE_KEYCHAIN_PROFILE'), ...(get('APPLE_KEYCHAIN') ? { keychain: get('APPLE_KEYCHAIN') } : {}) }),
  },
];

export const SKIPPED_MESSAGE =
  'notarize: skipped, no Apple notary credentials in the environment (APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER, ' +
  'or APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or APPLE_KEYCHAIN_PROFILE); Gatekeeper will refuse this build on other Macs';

/**
 * The notary credentials in `env`: null when none are set; an error naming the missing variables when a set
 * is incomplete (someone meant to notarise, so skipping silently would hide a mistake).
 * @param {NodeJS.ProcessEnv} env
 */
export function notaryCredentials(env) {
  for (const { needs, options } of CREDENTIALS) {
    const present = needs.filter((name) => env[name]);
    if (present.length === 0) continue;
    const missing = needs.filter((name) => !env[name]);
    if (missing.length > 0) throw new Error(`notarize: ${present.join(', ')} set but ${missing.join(', ')} missing: set all of ${needs.join(', ')}`);
    return options((name) => env[name] ?? '');
  }
  return null;
}

/**
 * @param {import('electron-builder').AfterPackContext} context
 * @param {{ env?: NodeJS.ProcessEnv, submit?: typeof notarize, say?: (line: string) => void }} [io] for tests
 */
export default async function notarizeAfterSign(context, { env = process.env, submit = notarize, say = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (context.electronPlatformName !== 'darwin') return;
  const credentials = notaryCredentials(env);
  if (!credentials) return say(SKIPPED_MESSAGE);
  const appPath = join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`);
  say(`notarize: submitting ${appPath} to Apple's notary service (this takes minutes)`);
  await submit({ appPath, ...credentials });
  say('notarize: notarised and stapled');
}
