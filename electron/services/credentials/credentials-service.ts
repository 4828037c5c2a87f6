import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { credentialsEvents, type ApiKeyStatus, type ApiRegion } from '../../../shared/contract/credentials';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { API_REGIONS, DEFAULT_API_URL } from '../../../shared/domain/api-regions';
import { validateApiUrl, type CloudClient, type CloudFailure } from '../cloud/index';
import type { EventHub } from '../events';
import { writeJsonAtomic } from '../fs/atomic';
import type { KeychainService, KeyPresence } from '../keychain/index';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/settings-service';
import type { StoresService } from '../stores/index';

/**
 * The `credentials:*` channels: the API key, through the keychain module, which alone holds it. Every call
 * answers a Result; nothing here ever sees or returns the key itself.
 */
export interface CredentialsService {
  /** flag/request > PWS_API_URL > settings.apiUrl, normalised (no trailing slash). */
  resolveApiUrl(explicit?: string): Promise<Result<string>>;
  apiKeyStatus(req: { apiUrl?: string }): Promise<Result<ApiKeyStatus>>;
  saveApiKey(req: { apiKey: string; apiUrl?: string; remember?: boolean }): Promise<Result<ApiKeyStatus>>;
  deleteApiKey(req: { apiUrl?: string }): Promise<Result<ApiKeyStatus>>;
  regions(): Promise<Result<ApiRegion[]>>;
  migratePlaintextKey(req: { apiUrl?: string }): Promise<Result<ApiKeyStatus>>;
  /** A cloud client with the saved key for this API URL (default: the one in use); `api-key-missing` without one. */
  client(apiUrl?: string): Promise<Result<CloudClient>>;
}

export interface CredentialsDeps {
  keychain: KeychainService<CloudClient>;
  stores: StoresService;
  settings: SettingsService;
  events: EventHub;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  log: Logger;
}

/** Non-secret memory of which account a URL's key belongs to, so the UI can name it without a network call. */
const ACCOUNTS_FILE = 'accounts.json';
type AccountsCache = Record<string, { accountName: string; accountId: string }>;

export function createCredentialsService(deps: CredentialsDeps): CredentialsService {
  const accountsFile = join(deps.dataDir, ACCOUNTS_FILE);

  async function readAccounts(): Promise<AccountsCache> {
    try {
      const v = JSON.parse(await readFile(accountsFile, 'utf8')) as unknown;
      return v && typeof v === 'object' ? (v as AccountsCache) : {};
    } catch {
      return {};
    }
  }
  async function rememberAccount(apiUrl: string, account: { accountName: string; accountId: string } | null): Promise<void> {
    const all = await readAccounts();
    if (account) all[apiUrl] = account;
    else delete all[apiUrl];
    try {
      await writeJsonAtomic(accountsFile, all, 0o600);
    } catch (err) {
      deps.log.warn(`could not remember the account name for ${apiUrl}: ${(err as Error).message}`);
    }
  }

  /** The request's URL, else PWS_API_URL, else the setting; a refusal names where the URL came from (the request's by its field). */
  async function resolveApiUrl(explicit?: string): Promise<Result<string>> {
    const given = explicit?.trim();
    const fromEnv = deps.env.PWS_API_URL?.trim();
    let raw = given || fromEnv;
    if (!raw) {
      const s = await deps.settings.get();
      raw = s.ok ? s.value.apiUrl : DEFAULT_API_URL;
    }
    const v = validateApiUrl(raw);
    if (v.ok) return ok(v.value);
    if (given) return fail('invalid-request', v.message, { issues: [{ path: 'apiUrl', message: v.message }] });
    return fail('invalid-request', `${fromEnv ? 'PWS_API_URL' : 'settings apiUrl'}: ${v.message}`);
  }

  async function plaintextKeyInUserStore(): Promise<boolean> {
    const r = await deps.stores.legacyApiKey();
    return r.ok && r.value !== null;
  }

  async function toStatus(p: KeyPresence, accountName?: string): Promise<ApiKeyStatus> {
    const name = accountName ?? (p.present && p.source === 'keychain' ? (await readAccounts())[p.apiUrl]?.accountName : undefined);
    return { ...p, ...(name ? { accountName: name } : {}), plaintextKeyInUserStore: await plaintextKeyInUserStore() };
  }

  /** What a refused save left in place: "the previous key is kept" only when there is one. */
  async function keptKeyNote(apiUrl: string): Promise<string> {
    const before = await deps.keychain.status(apiUrl);
    return before.ok && before.value.present && before.value.source === 'keychain' ? 'the previous key is kept' : 'nothing was saved';
  }

  async function saveValidated(apiUrl: string, apiKey: string, remember: boolean): Promise<Result<ApiKeyStatus>> {
    const saved = await deps.keychain.saveValidated(apiUrl, apiKey, (candidate) => candidate.getMe());
    if (!saved.ok) {
      if (saved.code.startsWith('keychain-')) return saved;
      const kept = await keptKeyNote(apiUrl);
      if (saved.code === 'unauthorized' || saved.code === 'forbidden')
        return fail(
          'api-key-invalid',
          `the API key was not accepted by ${apiUrl} (GET /v3/accounts/me answered HTTP ${(saved as CloudFailure).status ?? 401}): ${kept}; check the key and try again`,
        );
      return fail('api-key-unverified', `could not check the API key with ${apiUrl} (${saved.message}): ${kept}`);
    }
    const me = saved.value.validated;
    const accountName = me.display_name || me.company || me.id;
    await rememberAccount(apiUrl, { accountName, accountId: me.id });
    if (remember) {
      const s = await deps.settings.update({ apiUrl });
      if (!s.ok) deps.log.warn(`the key is saved, but the API URL could not be remembered: ${s.message}`);
    }
    const status = await toStatus(saved.value.presence, accountName);
    deps.events.emit(credentialsEvents.apiKeyChanged, status);
    return ok(status);
  }

  async function client(apiUrl?: string): Promise<Result<CloudClient>> {
    const url = await resolveApiUrl(apiUrl);
    if (!url.ok) return url;
    return deps.keychain.client(url.value);
  }

  return {
    resolveApiUrl,
    client,

    async apiKeyStatus(req) {
      const url = await resolveApiUrl(req.apiUrl);
      if (!url.ok) return url;
      const p = await deps.keychain.status(url.value);
      return p.ok ? ok(await toStatus(p.value)) : p;
    },

    async saveApiKey(req) {
      const url = await resolveApiUrl(req.apiUrl);
      if (!url.ok) return url;
      return saveValidated(url.value, req.apiKey, req.remember ?? true);
    },

    async deleteApiKey(req) {
      const url = await resolveApiUrl(req.apiUrl);
      if (!url.ok) return url;
      const d = await deps.keychain.delete(url.value);
      if (!d.ok) return d;
      await rememberAccount(url.value, null);
      const p = await deps.keychain.status(url.value);
      const status = p.ok
        ? await toStatus(p.value)
        : { present: false, masked: '', apiUrl: url.value, plaintextKeyInUserStore: await plaintextKeyInUserStore() };
      deps.events.emit(credentialsEvents.apiKeyChanged, status);
      return ok(status);
    },

    async regions() {
      return ok(Object.values(API_REGIONS).map(({ id, label, url }) => ({ id, label, url })));
    },

    async migratePlaintextKey(req) {
      const legacy = await deps.stores.legacyApiKey();
      if (!legacy.ok) return legacy;
      if (!legacy.value) return fail('no-plaintext-key', 'the User Store holds no plaintext API key: nothing to move');
      const url = await resolveApiUrl(req.apiUrl);
      if (!url.ok) return url;
      const saved = await saveValidated(url.value, legacy.value, false);
      if (!saved.ok) return fail(saved.code, `${saved.message}; the old key stays in the User Store's config.json until it is moved or removed`);
      const blanked = await deps.stores.blankLegacyApiKey();
      if (!blanked.ok) return blanked;
      const status = { ...saved.value, plaintextKeyInUserStore: false };
      deps.events.emit(credentialsEvents.apiKeyChanged, status);
      return ok(status);
    },
  };
}
