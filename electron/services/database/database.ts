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
  /** From the OS keychain, or from PWS_DATABASE_URL itself; never logged. */
  password?: string;
  /** Shown to the server's administrators in pg_stat_activity. */
  applicationName: string;
}
