import { fail, type Failure } from '../../../shared/contract/result';

export type KeychainErrorCode = 'keychain-unavailable' | 'keychain-locked' | 'keychain-error';

export const NO_SESSION_MESSAGE = 'no OS keychain is available (no D-Bus session): start a desktop session or run inside dbus-run-session';
export const NO_SERVICE_MESSAGE =
  'no OS keychain service answered on the D-Bus session (org.freedesktop.secrets): start gnome-keyring-daemon (or KWallet) and retry';
export const LOCKED_MESSAGE = 'the OS keychain is locked: unlock it and retry';
export const NO_COLLECTION_MESSAGE = 'the OS keychain has no default (login) keyring, or it is locked: unlock or create the login keyring and retry';

/**
 * Turns what keytar/libsecret/macOS/Windows throw into one clear line. The raw text is kept only in
 * `details.cause` (it never holds the secret: keytar's errors name services and paths, not values).
 */
export function keychainFailure(err: unknown): Failure<KeychainErrorCode> {
  const raw = (err as Error)?.message ?? String(err);
  if (
    /given address is empty|autolaunch D-Bus|Could not connect|Failed to connect to socket|DBUS_SESSION_BUS_ADDRESS|ServiceUnknown|org\.freedesktop\.secrets was not provided/i.test(
      raw,
    )
  )
    return fail('keychain-unavailable', NO_SESSION_MESSAGE, { cause: raw });
  if (/StartServiceByName|Timeout was reached|org\.freedesktop\.secrets/i.test(raw)) return fail('keychain-unavailable', NO_SERVICE_MESSAGE, { cause: raw });
  if (/locked collection|is locked|keychain.*locked|User interaction is not allowed/i.test(raw)) return fail('keychain-locked', LOCKED_MESSAGE, { cause: raw });
  if (/Object does not exist at path .*collection/i.test(raw)) return fail('keychain-locked', NO_COLLECTION_MESSAGE, { cause: raw });
  return fail('keychain-error', `the OS keychain failed (${raw}): check that a keyring service is running and retry`, { cause: raw });
}
