/**
 * Secrets in text that is shown or logged. API keys: masked for display as `ak_…1a2b` (the `ak_` prefix, an
 * ellipsis, the last 4 characters), the only form in which a key ever leaves the keychain module. URL passwords:
 * replaced by `***`. Pure: used by the core, the CLI and the UI.
 */
export const API_KEY_MASK_PREFIX = 'ak_…';

export function maskApiKey(key: string): string {
  const trimmed = key.trim();
  // A very short "key" would be revealed almost whole by its last 4 characters; show less.
  const tail = trimmed.length >= 12 ? trimmed.slice(-4) : trimmed.length >= 6 ? trimmed.slice(-2) : '';
  return `${API_KEY_MASK_PREFIX}${tail}`;
}

/** What a Device Management API key looks like in any text: `ak_` and at least 8 of `A-Z a-z 0-9 _ -`. */
const API_KEY_SHAPE = /\bak_[A-Za-z0-9_-]{8,}/g;

/** Replaces everything in `text` shaped like an API key: the last line of defence for logs and error messages. */
export function redactApiKeys(text: string, replacement: string | ((key: string) => string)): string {
  return text.replace(API_KEY_SHAPE, typeof replacement === 'string' ? () => replacement : replacement);
}

/**
 * `scheme://user:password@host`, any scheme: the password runs from the user's `:` to the authority's last `@`
 * (a password may hold `@` itself), so all of it is matched, not just what comes before its first `@`. Quotes,
 * `<>`, backslashes and backticks can't stand raw in a URL: excluding them keeps a match inside one JSON string.
 */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:"<>\\`]*):[^\s/?#"<>\\`]*@/gi;
/** libpq's `?password=…` parameter. */
const PASSWORD_PARAMETER = /([?&]password=)[^\s&#"<>\\`]*/gi;

/** Replaces the password of every URL in `text` with `***`: for any text that may echo a URL someone typed. */
export function redactUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, '$1:***@').replace(PASSWORD_PARAMETER, '$1***');
}
