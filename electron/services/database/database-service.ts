import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { DatabaseErrorCode, DatabaseStatus, ImportReport, MigrationReport } from '../../../shared/contract/database';
import type { AuditEntry } from '../../../shared/contract/history';
import { fail, ok, type Failure, type Result } from '../../../shared/contract/result';
import { databaseAccount, databaseUrlProblem, redactDatabaseUrl, urlHasPassword } from '../../../shared/domain/database-url';
import { sanitizeAuditEntry } from '../audit/audit-log';
import { createAuditJournal, createJournaledAuditStore, type BatchAuditStore } from '../audit/audit-journal';
import type { AuditStore } from '../audit/audit-store';
import { AUDIT_FILE, createLocalAuditStore, readAuditLines } from '../audit/local-audit-store';
import type { IdentityStore } from '../identities/identity-store';
import { createLocalIdentityStore } from '../identities/local-identity-store';
import type { DatabasePasswords } from '../keychain/database-passwords';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/settings-service';
import { operatorName, stationName } from '../who';
import type { Database } from './database';
import { databaseFailure } from './database-errors';
import { LATEST_SCHEMA_VERSION } from './migrations/index';
import { migrate, readSchemaVersion } from './migrator';
import { createPostgresAuditStore } from './postgres-audit-store';
import { createPostgresIdentityStore } from './postgres-identity-store';
import { unavailableIdentityStore } from './selected-identity-store';

export const DATABASE_URL_ENV = 'PWS_DATABASE_URL';
/**
 * The id of an imported audit line that has none: its text's SHA-256, cut to a UUID, so the same line always
 * gets the same id. (Node's hash rather than shared/domain/uuid5, which would split `pws init`'s bundle.)
 */
function importedLineId(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
const IMPORT_BATCH = 1000;
/** How often a running app retries sending journaled history while the database was unreachable. */
const SYNC_INTERVAL_MS = 30_000;

export interface DatabaseService {
  /** The configured database, opened on first need (this loads node-postgres); null when none is configured. */
  current(): Promise<Result<Database | null>>;
  /** Where history goes: the local file, or the database behind the local journal. */
  auditStore(): Promise<AuditStore>;
  /** Where the identity registry is: the local file, or the database (no journal: an identity is never issued without its record). */
  identityStore(): Promise<IdentityStore>;
  status(): Promise<Result<DatabaseStatus>>;
  test(connection: { url: string; password?: string }): Promise<Result<DatabaseStatus>>;
  save(connection: { url: string; password?: string }): Promise<Result<DatabaseStatus>>;
  forgetPassword(): Promise<Result<{ deleted: boolean }>>;
  /** Whether a password could be kept in the OS keychain now: asked before a person types one. */
  canKeepPassword(): Promise<Result<void>>;
  migrate(target?: number): Promise<Result<MigrationReport>>;
  consent(migrateOnStart: boolean): Promise<Result<DatabaseStatus>>;
  /**
   * When the app starts: migrates only if the setting is on and the user has said yes once; then keeps sending
   * what waits in the journal while the app runs.
   */
  startUp(): Promise<void>;
  importLocal(): Promise<Result<ImportReport>>;
  close(): Promise<void>;
}

export interface DatabaseServiceDeps {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  settings: () => SettingsService;
  passwords: DatabasePasswords;
  log: Logger;
}

type Target = { source: 'env' | 'setting'; url: string } | { source: 'none' };

/** A store that can't be reached at all (a malformed URL): every write goes to the journal with the reason. */
const unreachableStore = (location: string, failure: Failure<DatabaseErrorCode>): BatchAuditStore => ({
  kind: 'database',
  location,
  append: async () => failure,
  appendMany: async () => failure,
  list: async () => failure,
  listJson: async () => failure,
  waitingToSync: async () => 0,
});

/**
 * Chooses and opens the stores for history and the identity registry: PWS_DATABASE_URL, else the
 * `database.url` setting, else the local files. node-postgres is imported only once a URL is configured.
 */
export function createDatabaseService(deps: DatabaseServiceDeps): DatabaseService {
  const local = createLocalAuditStore(deps.dataDir, () => stationName(deps.settings()));
  const journal = createAuditJournal(deps.dataDir, deps.log);
  const localIdentities = createLocalIdentityStore(deps.dataDir);
  /** The open database for one URL; a promise, so that calls at the same moment share one pool. */
  let opened: { key: string; ready: Promise<{ db: Result<Database, DatabaseErrorCode>; audit: AuditStore; identities: IdentityStore }> } | undefined;
  let syncTimer: ReturnType<typeof setInterval> | undefined;

  async function settings() {
    const r = await deps.settings().get();
    return r.ok ? r.value : undefined;
  }

  async function resolveTarget(): Promise<Target> {
    const fromEnv = deps.env[DATABASE_URL_ENV]?.trim();
    if (fromEnv) return { source: 'env', url: fromEnv };
    const url = (await settings())?.database.url.trim();
    return url ? { source: 'setting', url } : { source: 'none' };
  }

  /** The keychain's password for this URL; a keychain that can't answer means "none" (the server then says). */
  async function passwordFor(url: string): Promise<string | undefined> {
    if (urlHasPassword(url)) return undefined;
    const r = await deps.passwords.read(databaseAccount(url));
    if (!r.ok) deps.log.info(`no database password from the OS keychain: ${r.message}`);
    return r.ok ? (r.value ?? undefined) : undefined;
  }

  /** The keychain's password for `url`, looked up once and only if the server asks for one. */
  const keychainPassword = (url: string) => {
    let found: Promise<string | undefined> | undefined;
    return () => (found ??= passwordFor(url));
  };

  async function open(url: string, password: () => Promise<string | undefined>): Promise<Result<Database, DatabaseErrorCode>> {
    const { openPgDatabase } = await import('./pg-database');
    return openPgDatabase({ url, password, applicationName: `pws ${await stationName(deps.settings())}`.slice(0, 63) }, deps.log);
  }

  async function forget(): Promise<void> {
    const was = opened;
    opened = undefined;
    const { db } = (await was?.ready) ?? {};
    if (db?.ok) await db.value.close().catch(() => undefined);
  }

  async function current(): Promise<Result<Database | null>> {
    const target = await resolveTarget();
    if (target.source === 'none') {
      await forget();
      return ok(null);
    }
    const key = `${target.source}\n${target.url}`;
    if (opened?.key !== key) {
      const previous = forget();
      opened = {
        key,
        ready: previous.then(async () => {
          const db = await open(target.url, keychainPassword(target.url));
          const location = redactDatabaseUrl(target.url);
          const remote = db.ok ? createPostgresAuditStore(db.value) : unreachableStore(location, db);
          const identities = db.ok ? createPostgresIdentityStore(db.value) : unavailableIdentityStore(location, db);
          return { db, audit: createJournaledAuditStore(remote, journal, deps.log), identities };
        }),
      };
    }
    return (await opened.ready).db;
  }

  async function inspect(db: Database): Promise<Pick<DatabaseStatus, 'connected' | 'serverVersion' | 'schemaVersion' | 'error' | 'errorCode'>> {
    try {
      const version = await db.query<{ server_version: string }>('SHOW server_version');
      return { connected: true, serverVersion: version.rows[0]?.server_version, schemaVersion: await readSchemaVersion(db) };
    } catch (err) {
      const failure = databaseFailure(err, db.target);
      return { connected: false, error: failure.message, errorCode: failure.code };
    }
  }

  async function baseStatus(target: Target): Promise<DatabaseStatus> {
    const s = await settings();
    return {
      source: target.source,
      ...(target.source === 'none' ? {} : { target: redactDatabaseUrl(target.url) }),
      ...(target.source !== 'none' && urlHasPassword(target.url) ? { passwordInUrl: true } : {}),
      connected: false,
      latestSchemaVersion: LATEST_SCHEMA_VERSION,
      waitingToSync: await journal.count(),
      station: await stationName(deps.settings()),
      migrateOnStart: s?.database.migrateOnStart ?? false,
      askConsent: false,
    };
  }

  async function passwordStored(url: string): Promise<boolean> {
    return urlHasPassword(url) || Boolean(await passwordFor(url));
  }

  const service: DatabaseService = {
    current,
    async auditStore() {
      const db = await current();
      return db.ok && db.value === null ? local : (await opened!.ready).audit;
    },
    async identityStore() {
      const db = await current();
      return db.ok && db.value === null ? localIdentities : (await opened!.ready).identities;
    },

    async status() {
      const target = await resolveTarget();
      const base = await baseStatus(target);
      if (target.source === 'none') return ok(base);
      const db = await current();
      if (!db.ok) return ok({ ...base, error: db.message, errorCode: db.code as DatabaseErrorCode });
      const found = await inspect(db.value!);
      const waitingToSync = found.connected ? await (await service.auditStore()).waitingToSync() : base.waitingToSync;
      const s = await settings();
      const askConsent = Boolean(s?.database.migrateOnStart && s.database.migrateConsent === 'unasked' && (found.schemaVersion ?? 0) < LATEST_SCHEMA_VERSION);
      return ok({ ...base, ...found, waitingToSync, askConsent, passwordStored: await passwordStored(target.url) });
    },

    async test({ url, password }) {
      const problem = databaseUrlProblem(url);
      if (problem || !url.trim()) return fail('database-url-invalid', `database URL ${problem ?? 'is empty: write it as postgres://USER@HOST:PORT/DATABASE'}`);
      const base = await baseStatus({ source: 'setting', url });
      const db = await open(url, password ? async () => password : keychainPassword(url));
      if (!db.ok) return db;
      try {
        return ok({ ...base, ...(await inspect(db.value)), passwordStored: Boolean(password) || (await passwordStored(url)) });
      } finally {
        await db.value.close().catch(() => undefined);
      }
    },

    async save({ url, password }) {
      const problem = databaseUrlProblem(url);
      if (problem) return fail('database-url-invalid', `database URL ${problem}`);
      if (password && url.trim()) {
        const keepable = await deps.passwords.ready();
        if (!keepable.ok) return keepable;
        // Like the API key: a password the server refuses is not kept (an unreachable server proves nothing).
        const tried = await service.test({ url, password });
        if (!tried.ok) return tried;
        if (tried.value.errorCode === 'database-login-refused') return fail('database-login-refused', `${tried.value.error}; the password was not saved`);
      }
      const saved = await deps.settings().update({ database: { url: url.trim() } });
      if (!saved.ok) return saved;
      if (password && url.trim()) {
        const stored = await deps.passwords.save(databaseAccount(url), password);
        if (!stored.ok) return stored;
        deps.log.info(`database password for ${databaseAccount(url)} saved in the OS keychain`);
      }
      await forget();
      return service.status();
    },

    canKeepPassword: () => deps.passwords.ready(),

    async forgetPassword() {
      const target = await resolveTarget();
      if (target.source === 'none') return fail('database-not-configured', 'no shared database is configured, so there is no password to forget');
      await forget();
      return deps.passwords.delete(databaseAccount(target.url));
    },

    async migrate(target) {
      const db = await current();
      if (!db.ok) return db;
      if (!db.value) return notConfigured();
      return migrate(db.value, `${await stationName(deps.settings())} (${operatorName()})`, target);
    },

    async consent(migrateOnStart) {
      const saved = await deps.settings().update({ database: { migrateOnStart, migrateConsent: migrateOnStart ? 'given' : 'refused' } });
      if (!saved.ok) return saved;
      if (migrateOnStart) {
        const migrated = await service.migrate();
        if (!migrated.ok) deps.log.warn(migrated.message);
      }
      return service.status();
    },

    async startUp() {
      syncTimer ??= setInterval(() => {
        void journal.count().then(async (waiting) => {
          if (waiting > 0) await (await service.auditStore()).waitingToSync();
        });
      }, SYNC_INTERVAL_MS).unref();
      const s = await settings();
      if (!s?.database.migrateOnStart || s.database.migrateConsent !== 'given') return;
      if ((await resolveTarget()).source === 'none') return;
      const migrated = await service.migrate();
      if (!migrated.ok) deps.log.warn(`migrating the shared database on start failed: ${migrated.message}`);
      else if (migrated.value.applied.length) deps.log.info(`shared database migrated from schema version ${migrated.value.from} to ${migrated.value.to}`);
    },

    async importLocal() {
      const db = await current();
      if (!db.ok) return db;
      if (!db.value) return notConfigured();
      const lines = await readAuditLines(join(deps.dataDir, AUDIT_FILE));
      if (!lines.ok) return lines;
      const station = await stationName(deps.settings());
      const entries: AuditEntry[] = lines.value.map(({ text, entry }) =>
        sanitizeAuditEntry({ ...entry, id: entry.id ?? importedLineId(text), station: entry.station ?? station }),
      );
      const store = createPostgresAuditStore(db.value);
      let added = 0;
      for (let i = 0; i < entries.length; i += IMPORT_BATCH) {
        const r = await store.appendMany(entries.slice(i, i + IMPORT_BATCH));
        if (!r.ok) return fail(r.code, `${r.message}; ${added} of ${entries.length} history entries were imported before it, run it again to add the rest`);
        added += r.value.added;
      }
      // The registry goes in whole or not at all, as it is (ids, {seq}, states), oldest first.
      const records = await localIdentities.list();
      if (!records.ok) return records;
      const identities = await createPostgresIdentityStore(db.value).importRecords([...records.value].reverse());
      if (!identities.ok) return fail(identities.code, `${identities.message} (the ${added} new history entries were imported)`);
      return ok({ audit: { read: entries.length, added }, identities: { read: records.value.length, added: identities.value.added } });
    },

    async close() {
      clearInterval(syncTimer);
      await localIdentities.close();
      await forget();
    },
  };

  function notConfigured() {
    return fail(
      'database-not-configured',
      `no shared database is configured: set ${DATABASE_URL_ENV} or \`pws settings set database.url postgres://USER@HOST/DATABASE\` first`,
    );
  }

  return service;
}
