/**
 * The platform secret store as the keychain service sees it: keytar's four calls plus an optional
 * lock probe. Injected through the factory so tests and the composition root choose the real one.
 */
export interface SecretBackend {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
  /**
   * True when the default collection is locked, false when unlocked, undefined when it can't be told.
   * Needed on Linux: libsecret answers "no such item" (null) for a locked collection, and keytar's
   * findCredentials crashes the process on one.
   */
  isLocked?(): Promise<boolean | undefined>;
}

/** Thrown by a backend whose native module could not be loaded. */
export class BackendUnavailableError extends Error {}
