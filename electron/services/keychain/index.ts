export {
  createKeychainService,
  keychainAccount,
  KEYCHAIN_SERVICE,
  API_KEY_ENV,
  type KeychainService,
  type KeyPresence,
  type KeychainDeps,
} from './keychain-service';
export { loadKeytarBackend } from './keytar-backend';
export type { SecretBackend } from './secret-backend';
export { BackendUnavailableError } from './secret-backend';
export { keychainFailure, NO_SESSION_MESSAGE, LOCKED_MESSAGE, type KeychainErrorCode } from './keychain-errors';
