/**
 * A connection to the shared database as the stores see it. The implementation (`pg-database.ts`) is the only
 * module that loads node-postgres, and it is imported only when a database is configured: without one, nothing
 * here loads `pg` or connects anywhere.
 */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface Database extends Queryable {
  /** The URL without its password: the only form shown or logged. */
  readonly target: string;
  /** Runs `fn` inside BEGIN … COMMIT on one connection; a throw, or a failed Result returned, rolls back. */
  transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  /**
   * Asked only when the server wants a password (a trusted or peer login never touches the keychain); from the
   * OS keychain, or typed. A password in the URL itself (PWS_DATABASE_URL) wins. Never logged.
   */
  password?: () => Promise<string | undefined>;
  /** Shown to the server's administrators in pg_stat_activity. */
  applicationName: string;
}
