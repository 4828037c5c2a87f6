/**
 * API key masking for display: `ak_…1a2b` (the `ak_` prefix, an ellipsis, the last 4 characters).
 * The only form in which a key ever leaves the keychain module. Pure: used by the core and the UI.
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
