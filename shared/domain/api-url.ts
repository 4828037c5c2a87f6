/** The check for a Device Management API URL, a region's (shared/domain/api-regions.ts) or a custom (on-premises) one. */
import { fail, ok, type Result } from './result';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Validates a custom API URL. https is required, except plain http to 127.0.0.1/localhost/[::1]
 * (the test emulator). No credentials, query or fragment. Returns the URL without a trailing slash.
 */
export function validateApiUrl(input: string): Result<string, 'validation'> {
  const bad = (message: string) => fail('validation', message);
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
  return ok(`${u.origin}${u.pathname.replace(/\/+$/, '')}`);
}
