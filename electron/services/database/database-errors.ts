import { fail, type Failure } from '../../../shared/contract/result';
import type { DatabaseErrorCode } from '../../../shared/contract/database';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE']);
const TLS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO/;

/**
 * One clear line for what went wrong with the shared database, always naming it (without its password) and
 * saying what to do. `err` is whatever node-postgres, the socket or TLS threw.
 */
export function databaseFailure(err: unknown, target: string): Failure<DatabaseErrorCode> {
  const e = err as { code?: string; message?: string };
  const raw = (e?.message ?? String(err)).split('\n')[0]!;
  const code = e?.code ?? '';
  const db = `the shared database ${target}`;
  if (
    UNREACHABLE.has(code) ||
    /timeout expired|Connection terminated|server closed the connection|not queryable/i.test(raw) ||
    code === '57P01' ||
    code === '57P03'
  )
    return fail('database-unreachable', `${db} is unreachable (${raw}): check that the server runs and the URL is right`);
  if (code === '28P01' || code === '28000' || /password authentication|no password supplied|SASL/i.test(raw))
    return fail(
      'database-login-refused',
      `${db} refused the login (${raw}): check the user and the password (Settings → Shared database, or \`pws db password\`)`,
    );
  if (code === '3D000') return fail('database-unreachable', `${db} does not exist on that server (${raw}): create it, or fix the URL`);
  if (TLS.test(code) || /certificate|does not support SSL|self.signed|TLS/i.test(raw))
    return fail('database-unreachable', `${db}: the TLS connection failed (${raw}): give the server's CA with sslrootcert=PATH, or fix sslmode`);
  if (code === '42P01' || code === '42703')
    return fail('database-schema-outdated', `${db} does not have this app's schema (${raw}): run \`pws db migrate\` (or Settings → Shared database → Migrate)`);
  return fail('database-error', `${db} failed: ${raw}`);
}
