import type { ConnectionOptions } from 'node:tls';
import { Client, Pool, type PoolClient, type PoolConfig } from 'pg';
import { parse } from 'pg-connection-string';
import { isPostgresUrl, redactDatabaseUrl, sslModeProblem } from '../../../shared/domain/database-url';
import type { DatabaseErrorCode } from '../../../shared/contract/database';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { Logger } from '../log';
import type { Database, DatabaseOptions, Queryable } from './database';
import { readInputFileSync, readProblem } from '../fs/user-paths';

const TLS_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat'] as const;
type SslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

/** Splits the TLS parameters off the URL: node-postgres reads them its own way, and we read them libpq's way. */
function splitTlsParams(url: string): { rest: string; tls: Partial<Record<(typeof TLS_PARAMS)[number], string>> } {
  const q = url.indexOf('?');
  if (q < 0) return { rest: url, tls: {} };
  const params = new URLSearchParams(url.slice(q + 1));
  const tls: Partial<Record<(typeof TLS_PARAMS)[number], string>> = {};
  for (const k of TLS_PARAMS) {
    const v = params.get(k);
    if (v !== null) tls[k] = v;
    params.delete(k);
  }
  const query = params.toString();
  return { rest: query ? `${url.slice(0, q)}?${query}` : url.slice(0, q), tls };
}

function readPem(path: string, what: string): string {
  try {
    return readInputFileSync(path).toString('utf8');
  } catch (err) {
    throw new Error(`could not read ${what} ${path}: ${readProblem(err)}`, { cause: err });
  }
}

/**
 * TLS as libpq's `sslmode` means it, with certificate verification on by default: a server reached over the
 * network gets `verify-full` (chain and host name) unless the URL says otherwise; a Unix socket needs no TLS.
 * `prefer` and `allow` are refused: they fall back to plain text without telling anyone.
 */
export function tlsOptions(host: string | undefined, tls: Partial<Record<string, string>>): Result<false | ConnectionOptions, DatabaseErrorCode> {
  const socket = !host || host.startsWith('/');
  const mode = (tls.sslmode ?? (socket ? 'disable' : 'verify-full')) as SslMode;
  const problem = sslModeProblem(mode);
  if (problem) return fail('database-url-invalid', problem);
  if (mode === 'disable') return ok(false);
  try {
    const rootcert = tls.sslrootcert && tls.sslrootcert !== 'system' ? tls.sslrootcert : undefined;
    const options: ConnectionOptions = {
      ...(rootcert ? { ca: readPem(rootcert, 'sslrootcert') } : {}),
      ...(tls.sslcert ? { cert: readPem(tls.sslcert, 'sslcert') } : {}),
      ...(tls.sslkey ? { key: readPem(tls.sslkey, 'sslkey') } : {}),
    };
    // libpq: `require` checks nothing unless a root certificate is given, then it checks like verify-ca.
    if (mode === 'require' && !rootcert) return ok({ ...options, rejectUnauthorized: false });
    if (mode === 'require' || mode === 'verify-ca') return ok({ ...options, rejectUnauthorized: true, checkServerIdentity: () => undefined });
    return ok({ ...options, rejectUnauthorized: true });
  } catch (err) {
    return fail('database-url-invalid', (err as Error).message);
  }
}

/** node-postgres' pool settings for this URL and password; the URL's own password (PWS_DATABASE_URL) wins. */
export function poolConfig(options: DatabaseOptions): Result<PoolConfig, DatabaseErrorCode> {
  if (!isPostgresUrl(options.url)) {
    // Not echoed whole: a value that is no URL at all may be a password pasted into the wrong variable.
    const scheme = /^\s*([a-z][a-z0-9+.-]*:\/\/)/i.exec(options.url)?.[1];
    return fail(
      'database-url-invalid',
      `${scheme ? `the database URL starts with ${scheme}, and only PostgreSQL is supported` : 'the database URL is not a URL'}: write it as postgres://USER@HOST:PORT/DATABASE`,
    );
  }
  const { rest, tls } = splitTlsParams(options.url.trim());
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(rest);
  } catch {
    return fail('database-url-invalid', `${redactDatabaseUrl(options.url)} is not a valid PostgreSQL URL: write it as postgres://USER@HOST:PORT/DATABASE`);
  }
  const ssl = tlsOptions(parsed.host ?? undefined, tls);
  if (!ssl.ok) return ssl;
  const { password: inUrl, ...rest2 } = parsed;
  // node-postgres calls a function only when the server asks; `undefined` from it means "none" (typed as string only).
  const password = (inUrl || options.password) as PoolConfig['password'];
  return ok({
    ...(rest2 as PoolConfig),
    ...(password ? { password } : {}),
    port: parsed.port ? Number(parsed.port) : undefined,
    ssl: ssl.value,
    application_name: options.applicationName,
    max: 4,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 10_000,
    query_timeout: 60_000,
    keepAlive: true,
    // Idle connections never keep a pws process alive.
    allowExitOnIdle: true,
  });
}

/**
 * node-postgres leaves the socket open when the login fails inside the client (SCRAM asked for a password
 * and none was given): the process would never exit. Close it on any failed connect.
 */
class ClosingClient extends Client {
  override connect(): Promise<Client>;
  override connect(callback: ((err: Error) => void) | ((err: null, c: Client) => void)): void;
  override connect(callback?: ((err: Error) => void) | ((err: null, c: Client) => void)): Promise<Client> | void {
    if (!callback) return new Promise<Client>((resolve, reject) => this.connect((err: Error | null) => (err ? reject(err) : resolve(this))));
    super.connect((err: Error) => {
      if (err) (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      (callback as (err: Error | null, c: Client) => void)(err, this);
    });
  }
}

/** A failed Result returned from a transaction rolls it back, like a throw. */
const isFailure = (value: unknown) => typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;

/** A pool that connects on first use. Connections that the server drops, idle or in use, are logged, never thrown. */
export function openPgDatabase(options: DatabaseOptions, log: Logger): Result<Database, DatabaseErrorCode> {
  const config = poolConfig(options);
  if (!config.ok) return config;
  const target = redactDatabaseUrl(options.url);
  const pool = new Pool({ ...config.value, Client: ClosingClient });
  pool.on('error', (err) => log.info(`the shared database ${target} dropped an idle connection: ${err.message}`));
  const queryOn =
    (runner: Pool | PoolClient): Queryable['query'] =>
    async <R extends object>(sql: string, params?: readonly unknown[]) =>
      (await runner.query(sql, params as unknown[])) as unknown as { rows: R[]; rowCount: number | null };
  return ok({
    target,
    query: queryOn(pool),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A checked-out connection that the server drops emits 'error' on the client, not the pool: without a
      // listener that would crash the process. The transaction's own query fails with it anyway.
      const onDropped = (err: Error) => {
        broken = err;
        log.warn(`the shared database ${target} dropped a connection in use: ${err.message}`);
      };
      client.on('error', onDropped);
      try {
        await client.query('BEGIN');
        const value = await fn({ query: queryOn(client) });
        await client.query(isFailure(value) ? 'ROLLBACK' : 'COMMIT');
        return value;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
        throw err;
      } finally {
        client.off('error', onDropped);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  });
}
