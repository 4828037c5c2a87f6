/**
 * PostgreSQL connection URLs as the settings and the screens see them. The password never lives in a URL we
 * store: it is kept in the OS keychain and joined to the connection only in memory.
 */
import { redactUrlPasswords } from './mask';

const SCHEME = /^postgres(?:ql)?:\/\//i;
/** `postgres://user:password@…`: a password between the user and the authority's last `@` (it may hold `@`). */
const PASSWORD_IN_AUTHORITY = /^(postgres(?:ql)?:\/\/[^/?#@:]*):([^/?#]*)@/i;

/** `postgres://` or `postgresql://`: the only databases the app speaks to. */
export const isPostgresUrl = (url: string): boolean => SCHEME.test(url.trim());

/**
 * What a stored `database.url` must be for the settings file to open: a PostgreSQL URL without a password. The
 * rest of the rule (`databaseUrlProblem`) applies to a new value, so a file written before it still opens, and
 * the connection then says what is wrong.
 */
export function storedDatabaseUrlProblem(url: string): string | undefined {
  const t = url.trim();
  if (!t) return undefined;
  if (!SCHEME.test(t)) return 'must start with postgres:// (for example postgres://pws@db.lab.example/pws)';
  if (PASSWORD_IN_AUTHORITY.test(t) || /[?&]password=/i.test(t))
    return 'must not hold the password: give it separately (Settings → Shared database, or `pws db password`) so it is kept in the OS keychain';
  return undefined;
}

/** Why `url` can't be the `database.url` setting, or undefined when it can (empty = no database). */
export function databaseUrlProblem(url: string): string | undefined {
  const t = url.trim();
  const stored = storedDatabaseUrlProblem(t);
  if (stored || !t) return stored;
  const [beforeQuery = '', query = ''] = t.split('#')[0]!.split('?');
  const params = new URLSearchParams(query);
  const hostPort = beforeQuery.replace(SCHEME, '').split('/')[0]!.replace(/^.*@/, '');
  const port = /^(?:\[[^\]]*\]|[^:]*):(\d*)$/.exec(hostPort)?.[1];
  if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) return `has the port "${port}": use a number from 1 to 65535 (PostgreSQL's is 5432)`;
  if (!hostPort.replace(/:\d*$/, '') && !params.get('host'))
    return 'names no server: write it as postgres://USER@HOST:PORT/DATABASE (or postgres://USER@/DATABASE?host=/run/postgresql for a local socket)';
  const sslmode = params.get('sslmode');
  return sslmode === null ? undefined : sslModeProblem(sslmode);
}

/**
 * libpq's `sslmode`, with `prefer` and `allow` refused: they fall back to plain text without telling anyone.
 * Undefined when the mode is one this app connects with.
 */
export function sslModeProblem(mode: string): string | undefined {
  if (mode === 'prefer' || mode === 'allow')
    return `sslmode=${mode} may fall back to an unencrypted connection without telling: use sslmode=verify-full (the default), verify-ca, require or disable`;
  if (!['disable', 'require', 'verify-ca', 'verify-full'].includes(mode)) return `sslmode=${mode} is not one of disable, require, verify-ca, verify-full`;
  return undefined;
}

/** The URL with any password replaced by `***`: the only form that is shown or logged. */
export function redactDatabaseUrl(url: string): string {
  const t = url.trim();
  // Text without a scheme may be a password pasted into the wrong place: it is not repeated.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? redactUrlPasswords(t) : '(hidden: not a URL)';
}

/**
 * The keychain account for a URL's password: the URL without password, fragment and query, except the
 * `host` and `port` parameters (a Unix socket folder), so TLS options can change without losing the password.
 */
export function databaseAccount(url: string): string {
  const [base = '', query = ''] = url.trim().replace(PASSWORD_IN_AUTHORITY, '$1@').split('#')[0]!.split('?');
  const params = new URLSearchParams(query);
  const kept = new URLSearchParams();
  for (const k of ['host', 'port']) {
    const v = params.get(k);
    if (v !== null) kept.set(k, v);
  }
  return kept.size ? `${base}?${kept.toString()}` : base;
}

/** Does the URL carry its own password (as PWS_DATABASE_URL may, for headless CI)? */
export const urlHasPassword = (url: string): boolean => PASSWORD_IN_AUTHORITY.test(url.trim()) || /[?&]password=/i.test(url);
