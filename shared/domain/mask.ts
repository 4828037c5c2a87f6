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

/** A cheap shape check before any network call: Device Management keys look like `ak_` + base62-ish text. */
export function looksLikeApiKey(key: string): boolean {
  return /^ak_[A-Za-z0-9_-]{8,}$/.test(key.trim());
}
