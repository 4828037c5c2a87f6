import { fail, ok, type Result } from '../../../shared/contract/result';
import type { Logger } from '../log';
import { keychainFailure, LOCKED_MESSAGE } from './keychain-errors';
import { BackendUnavailableError, type SecretBackend } from './secret-backend';

/**
 * One lazily loaded backend, with its failures turned into clear Results. Shared by the API-key service and
 * the database passwords, so both report a missing or locked keychain the same way.
 */
export function createBackendAccess(deps: { backend: () => Promise<SecretBackend>; log: Logger }) {
  let backendPromise: Promise<SecretBackend> | undefined;

  async function withBackend<T>(what: string, fn: (b: SecretBackend) => Promise<Result<T>>): Promise<Result<T>> {
    let backend: SecretBackend;
    try {
      backend = await (backendPromise ??= deps.backend());
    } catch (err) {
      backendPromise = undefined;
      if (err instanceof BackendUnavailableError) return fail('keychain-unavailable', `${err.message}: reinstall the app (npm ci) and retry`);
      return keychainFailure(err);
    }
    try {
      return await fn(backend);
    } catch (err) {
      const f = keychainFailure(err);
      deps.log.info(`keychain ${what} failed: ${f.message}`); // the caller reports it; here only for --verbose
      return f;
    }
  }

  /** libsecret reports a locked collection as "no item": ask, so a locked keychain isn't mistaken for "no key". */
  async function lockedFailure(backend: SecretBackend): Promise<Result<never> | undefined> {
    const locked = await backend.isLocked?.();
    return locked ? fail('keychain-locked', LOCKED_MESSAGE) : undefined;
  }

  /** Stores a secret and reads it back: a keychain that silently drops writes must not look like success. */
  async function store(service: string, account: string, secret: string, what: string): Promise<Result<void>> {
    return withBackend('save', async (b) => {
      if (await b.isLocked?.()) return fail('keychain-locked', LOCKED_MESSAGE);
      await b.setPassword(service, account, secret);
      const back = await b.getPassword(service, account);
      if (back !== secret) return fail('keychain-error', `the OS keychain did not keep the ${what} for ${account}: check the keyring and retry`);
      return ok(undefined);
    });
  }

  /**
   * Whether a secret could be kept now: the keychain is there and unlocked. Asked before a person types one.
   * A read is the question that finds both: without a session it throws, and a locked collection answers "none".
   */
  function ready(service: string): Promise<Result<void>> {
    return withBackend('check', async (b) => {
      await b.getPassword(service, 'readiness-check');
      return (await lockedFailure(b)) ?? ok(undefined);
    });
  }

  return { withBackend, lockedFailure, store, ready };
}
