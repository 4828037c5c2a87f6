/** Device Management API hosts and the check for a custom (on-premises) API URL. */

export const API_REGIONS = {
  us: 'https://api.us-east-1.mbedcloud.com',
  eu: 'https://api.eu-west-1.mbedcloud.com',
} as const;
export type ApiRegion = keyof typeof API_REGIONS;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Validates a custom API URL. https is required, except plain http to 127.0.0.1/localhost/[::1]
 * (the test emulator). No credentials, query or fragment. Returns the URL without a trailing slash.
 */
export function validateApiUrl(input: string): { ok: true; value: string } | { ok: false; code: 'validation'; message: string } {
  const bad = (message: string) => ({ ok: false as const, code: 'validation' as const, message });
  const text = input.trim();
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return bad('the API URL is not a valid URL: enter it like https://api.example.com');
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname)))
    return bad(
      u.protocol === 'http:'
        ? 'the API URL must use https (plain http is only allowed to 127.0.0.1 or localhost): change http:// to https://'
        : `the API URL must start with https:// (not ${u.protocol}//)`,
    );
  if (u.username || u.password) return bad('the API URL must not contain a user name or password: remove the part before @');
  if (u.search || u.hash) return bad('the API URL must not contain ? or #: give just the host (and path prefix, if any)');
  return { ok: true, value: `${u.origin}${u.pathname.replace(/\/+$/, '')}` };
}
