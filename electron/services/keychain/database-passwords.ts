import { ok, type Result } from '../../../shared/contract/result';
import type { Logger } from '../log';
import { createBackendAccess } from './backend-access';
import type { SecretBackend } from './secret-backend';

/** Its own keychain service, so the API-key list never shows database accounts. */
export const DATABASE_KEYCHAIN_SERVICE = 'provisioning-workstation-database';

/**
 * The shared database's password, kept only in the OS keychain (account = the URL without password and TLS
 * parameters). Like the API key it is never written to the settings, a log or the renderer; only the database
 * connection is given it.
 */
export interface DatabasePasswords {
  read(account: string): Promise<Result<string | null>>;
  save(account: string, password: string): Promise<Result<void>>;
  delete(account: string): Promise<Result<{ deleted: boolean }>>;
  /** Whether a password could be kept now (a keychain that is there and unlocked). */
  ready(): Promise<Result<void>>;
}

export function createDatabasePasswords(deps: { backend: () => Promise<SecretBackend>; log: Logger }): DatabasePasswords {
  const { withBackend, lockedFailure, store, ready } = createBackendAccess(deps);
  return {
    read: (account) =>
      withBackend('read', async (b) => {
        const password = await b.getPassword(DATABASE_KEYCHAIN_SERVICE, account);
        if (password !== null) return ok(password);
        return (await lockedFailure(b)) ?? ok(null);
      }),
    ready: () => ready(DATABASE_KEYCHAIN_SERVICE),
    save: (account, password) => store(DATABASE_KEYCHAIN_SERVICE, account, password, 'database password'),
    delete: (account) =>
      withBackend('delete', async (b) => (await lockedFailure(b)) ?? ok({ deleted: await b.deletePassword(DATABASE_KEYCHAIN_SERVICE, account) })),
  };
}
