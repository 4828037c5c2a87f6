import { fail, ok, type Result } from '../../../shared/contract/result';
import { maskApiKey } from '../../../shared/domain/mask';
import type { Logger } from '../log';
import { createBackendAccess } from './backend-access';
import { LOCKED_MESSAGE } from './keychain-errors';
import type { SecretBackend } from './secret-backend';

/**
 * The ONLY module that holds the Device Management API key. It reads and writes the OS keychain
 * (service `provisioning-workstation`, account = API base URL) and hands out two things only:
 * the masked presence (`KeyPresence`) and a ready cloud client built by an injected factory.
 * `PWS_API_KEY` may supply the key for headless CI; it is then never stored.
 * There is no plaintext fallback: without a usable keychain, saving fails with a clear message.
 */
export const KEYCHAIN_SERVICE = 'provisioning-workstation';
export const API_KEY_ENV = 'PWS_API_KEY';

export interface KeyPresence {
  present: boolean;
  masked: string;
  apiUrl: string;
  source?: 'keychain' | 'env';
}

export interface KeychainService<C> {
  /** Is there a key for this API URL? (Env first, then the keychain.) */
  status(apiUrl: string): Promise<Result<KeyPresence>>;
  /**
   * Builds a client with `candidateKey`, runs `validate` on it, and only when that succeeds stores the
   * key for `apiUrl`; a failed validation leaves the stored key as it was.
   */
  saveValidated<T>(apiUrl: string, candidateKey: string, validate: (client: C) => Promise<Result<T>>): Promise<Result<{ presence: KeyPresence; validated: T }>>;
  delete(apiUrl: string): Promise<Result<{ deleted: boolean }>>;
  /** API URLs that have a key in the keychain. */
  listUrls(): Promise<Result<string[]>>;
  /** A cloud client for `apiUrl` using the stored (or env) key; `api-key-missing` when there is none. */
  client(apiUrl: string): Promise<Result<C>>;
  /** Whether a secret could be kept now (a keychain that is there and unlocked): asked before prompting for one. */
  ready(): Promise<Result<void>>;
}

export interface KeychainDeps<C> {
  /** Loads the platform backend (lazily: keytar is native). */
  backend: () => Promise<SecretBackend>;
  /** Makes a cloud client; the key goes in and never comes back out. */
  clientFactory: (baseUrl: string, apiKey: string) => C;
  env: NodeJS.ProcessEnv;
  log: Logger;
}

/** Keychain accounts are the base URL without a trailing slash, so `…com` and `…com/` are one account. */
export const keychainAccount = (apiUrl: string) => apiUrl.trim().replace(/\/+$/, '');

export function createKeychainService<C>(deps: KeychainDeps<C>): KeychainService<C> {
  const { withBackend, lockedFailure, store, ready } = createBackendAccess(deps);
  const envKey = () => deps.env[API_KEY_ENV]?.trim() || undefined;

  async function readKey(apiUrl: string): Promise<Result<{ key: string; source: 'keychain' | 'env' } | null>> {
    const fromEnv = envKey();
    if (fromEnv) return ok({ key: fromEnv, source: 'env' });
    const read = await withBackend('read', async (b) => {
      const key = await b.getPassword(KEYCHAIN_SERVICE, keychainAccount(apiUrl));
      if (key) return ok({ key, source: 'keychain' as const });
      return (await lockedFailure(b)) ?? ok(null);
    });
    // Where reading the key fails for want of a desktop session, the way for a headless machine is worth saying.
    if (!read.ok && read.code === 'keychain-unavailable')
      return fail(read.code, `${read.message}; on a machine without one (CI), give the key in ${API_KEY_ENV} instead`, read.details);
    return read;
  }

  const presence = (apiUrl: string, found: { key: string; source: 'keychain' | 'env' } | null): KeyPresence =>
    found
      ? { present: true, masked: maskApiKey(found.key), apiUrl: keychainAccount(apiUrl), source: found.source }
      : { present: false, masked: '', apiUrl: keychainAccount(apiUrl) };

  return {
    ready: () => ready(KEYCHAIN_SERVICE),
    async status(apiUrl) {
      const found = await readKey(apiUrl);
      return found.ok ? ok(presence(apiUrl, found.value)) : found;
    },

    async saveValidated(apiUrl, candidateKey, validate) {
      const key = candidateKey.trim();
      // A keychain that can't keep the key is said before the cloud is asked, not after it said yes.
      const keepable = await ready(KEYCHAIN_SERVICE);
      if (!keepable.ok) return keepable;
      const checked = await validate(deps.clientFactory(keychainAccount(apiUrl), key));
      if (!checked.ok) return checked;
      const stored = await store(KEYCHAIN_SERVICE, keychainAccount(apiUrl), key, 'key');
      if (!stored.ok) return stored;
      deps.log.info(`API key for ${keychainAccount(apiUrl)} saved in the OS keychain (${maskApiKey(key)})`);
      return ok({
        presence: { present: true, masked: maskApiKey(key), apiUrl: keychainAccount(apiUrl), source: 'keychain' as const },
        validated: checked.value,
      });
    },

    async delete(apiUrl) {
      return withBackend('delete', async (b) => {
        const locked = await lockedFailure(b);
        if (locked) return locked;
        const deleted = await b.deletePassword(KEYCHAIN_SERVICE, keychainAccount(apiUrl));
        return ok({ deleted });
      });
    },

    async listUrls() {
      return withBackend('list', async (b) => {
        const locked = await b.isLocked?.();
        if (locked) return fail('keychain-locked', LOCKED_MESSAGE);
        const creds = await b.findCredentials(KEYCHAIN_SERVICE);
        return ok(creds.map((c) => c.account).sort());
      });
    },

    async client(apiUrl) {
      const found = await readKey(apiUrl);
      if (!found.ok) return found;
      if (!found.value)
        return fail(
          'api-key-missing',
          `no API key for ${keychainAccount(apiUrl)}: save one with \`pws api-key save --api-url ${keychainAccount(apiUrl)}\` (it asks for the key), or in Settings → Device Management account`,
        );
      return ok(deps.clientFactory(keychainAccount(apiUrl), found.value.key));
    },
  };
}
