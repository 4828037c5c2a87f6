import type { ApiKeyStatus } from '../../../shared/contract/credentials';
import { API_REGIONS, DEFAULT_API_URL } from '../../../shared/domain/api-regions';
import { failure, print, unwrap, usageError, type CliCommand, type CliContext } from '../command';
import { readSecret } from '../secret-input';

/** `--api-url` (flag) wins over PWS_API_URL, which wins over settings.apiUrl; the service applies that order. */
export function apiUrlFlag(ctx: CliContext): string | undefined {
  const v = ctx.values['api-url'];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !v.trim()) throw usageError(`--api-url needs a URL, e.g. ${API_REGIONS.eu.url}`);
  return v;
}

const KEY_ON_COMMAND_LINE_WARNING =
  "pws: warning: an API key given on the command line is visible to other users in the process list, and is kept in your shell history and in npm's logs (~/.npm/_logs) when run through npx: run `pws api-key save` and paste the key at the prompt, or give it on stdin (`pws api-key save < key.txt`)\n";

const describe = (s: ApiKeyStatus) =>
  s.present
    ? `${s.masked} for ${s.apiUrl}${s.accountName ? ` (account: ${s.accountName})` : ''}${s.source === 'env' ? ' from PWS_API_KEY (not stored)' : ' in the OS keychain'}`
    : `no API key for ${s.apiUrl}`;

const migrateHint = (ctx: CliContext, s: ApiKeyStatus) => {
  if (s.plaintextKeyInUserStore)
    ctx.stderr.write('pws: note: the old mbl-cli User Store still holds a plaintext API key: move it into the OS keychain with `pws api-key migrate`\n');
};

export const apiKeyCommand: CliCommand = {
  usage: 'api-key (save | show | delete | migrate) [--api-url URL] [--json]',
  description: [
    'Manages the Device Management API key, kept only in the OS keychain (account = API base URL).',
    '  save        asks for the key without echoing it (or reads one line of stdin: pws api-key save < key.txt),',
    '              checks it with GET /v3/accounts/me, then stores it; an invalid key keeps the previous one (exit 1).',
    '              Remembers --api-url in the settings. Never put the key on the command line: ps, shell history and npm logs keep it.',
    '  show        print the key masked (ak_… and its last 4 characters)',
    '  delete      remove the key for the API URL from the keychain',
    '  migrate     move an old mbl-cli plaintext key from the User Store into the keychain, then blank it there',
    `The API URL is --api-url, else PWS_API_URL, else the settings (default ${DEFAULT_API_URL}).`,
    'PWS_API_KEY supplies a key for headless CI; it is never stored.',
  ].join('\n'),
  options: { 'api-url': { type: 'string' } },
  async run(ctx) {
    const [verb, ...rest] = ctx.positionals;
    const apiUrl = apiUrlFlag(ctx);
    const creds = () => ctx.core().services.credentials;
    const url = apiUrl ? { apiUrl } : {};
    switch (verb) {
      case 'save': {
        if (rest.length > 1) throw usageError('usage: pws api-key save [--api-url URL] (the key is asked for, or read from stdin)');
        let key = rest[0];
        if (key !== undefined && key !== '-') ctx.stderr.write(KEY_ON_COMMAND_LINE_WARNING);
        else {
          unwrap(await ctx.core().services.keychain.ready()); // before the key is typed, not after
          key = await readSecret(ctx, 'Device Management API key (not shown as you type): ');
        }
        if (!key) throw usageError('the API key is empty: run `pws api-key save` and paste the key at the prompt, or give it on stdin');
        // Only a URL given on the command line becomes the remembered default (not PWS_API_URL).
        const s = unwrap(await creds().saveApiKey({ apiKey: key, ...url, remember: apiUrl !== undefined }));
        print(ctx, s, () => `Saved API key ${describe(s)}`);
        return;
      }
      case 'show': {
        if (rest.length) throw usageError('usage: pws api-key show [--api-url URL]');
        const s = unwrap(await creds().apiKeyStatus(url));
        migrateHint(ctx, s);
        if (!s.present) {
          if (ctx.json) print(ctx, s, () => '');
          throw failure(`no API key saved for ${s.apiUrl}: save one with \`pws api-key save --api-url ${s.apiUrl}\` (it asks for the key)`);
        }
        print(ctx, s, () => describe(s));
        return;
      }
      case 'delete': {
        if (rest.length) throw usageError('usage: pws api-key delete [--api-url URL]');
        const s = unwrap(await creds().deleteApiKey(url));
        print(ctx, s, () =>
          s.present ? `The keychain key is deleted; ${describe(s)} is still in use` : `Deleted the API key for ${s.apiUrl} (if there was one)`,
        );
        return;
      }
      case 'migrate': {
        if (rest.length) throw usageError('usage: pws api-key migrate [--api-url URL]');
        const s = unwrap(await creds().migratePlaintextKey(url));
        print(ctx, s, () => `Moved the old plaintext key into the OS keychain: ${describe(s)}; the User Store's config.json no longer holds it`);
        return;
      }
      case undefined:
        throw usageError('usage: pws api-key (save | show | delete | migrate) [--api-url URL]');
      default:
        throw usageError(`unknown api-key verb "${verb}": use save, show, delete or migrate`);
    }
  },
};
