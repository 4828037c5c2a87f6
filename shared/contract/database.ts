import { z } from 'zod';
import { channel } from './channel';

/**
 * The shared database (issue "many stations"): where history and identities live when a lab has several
 * stations. Without one, they stay in local files and none of these channels connects anywhere.
 */
export interface DatabaseStatus {
  /** Where the URL came from: the environment (PWS_DATABASE_URL), the `database.url` setting, or nowhere. */
  source: 'env' | 'setting' | 'none';
  /** The URL with any password hidden. */
  target?: string;
  /** Whether a password for it is kept in the OS keychain (or came with PWS_DATABASE_URL). */
  passwordStored?: boolean;
  /** The URL carries its own password (PWS_DATABASE_URL, for headless CI): the keychain is not asked. */
  passwordInUrl?: boolean;
  connected: boolean;
  serverVersion?: string;
  /** The schema version the database is at (0 = empty), and the one this app brings. */
  schemaVersion?: number;
  latestSchemaVersion: number;
  /** Why it could not connect or read the schema, in one line that says what to do. */
  error?: string;
  errorCode?: DatabaseErrorCode;
  /** History entries kept in the local journal because the database was unreachable. */
  waitingToSync: number;
  station: string;
  migrateOnStart: boolean;
  /** True when the app should ask, once, whether it may migrate the shared database on start. */
  askConsent: boolean;
}

export interface MigrationReport {
  from: number;
  to: number;
  applied: Array<{ version: number; name: string }>;
}

export interface ImportReport {
  audit: { read: number; added: number };
  identities: { read: number; added: number };
}

/** A URL (without password) and, optionally, the password to keep in the keychain for it. */
export const DatabaseConnectionSchema = z
  .object({
    url: z.string().max(2048),
    password: z.string().max(1024).optional(),
  })
  .strict();

export const databaseChannels = {
  status: channel<DatabaseStatus>()('database:status', z.object({}).strict()),
  /** Connects with these values without saving them: server version and schema version, or why not. */
  test: channel<DatabaseStatus>()('database:test', DatabaseConnectionSchema),
  /** Saves the URL in the settings and the password (when given) in the OS keychain. */
  save: channel<DatabaseStatus>()('database:save', DatabaseConnectionSchema),
  forgetPassword: channel<{ deleted: boolean }>()('database:forget-password', z.object({}).strict()),
  migrate: channel<MigrationReport>()('database:migrate', z.object({}).strict()),
  /** The answer to "may the app migrate the shared database when it starts?", asked once. */
  consent: channel<DatabaseStatus>()('database:consent', z.object({ migrateOnStart: z.boolean() }).strict()),
} as const;

export type DatabaseErrorCode =
  | 'database-not-configured'
  | 'database-url-invalid'
  | 'database-unreachable'
  | 'database-login-refused'
  | 'database-schema-outdated'
  | 'database-schema-newer'
  | 'database-error';
