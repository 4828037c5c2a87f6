import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, defaultCoreDeps } from '../../../electron/services/composition';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../electron/services/database/migrations/index';
import { migrate } from '../../../electron/services/database/migrator';
import { buildCli, pws } from '../credentials/cli-support';
import { startThrowawayCluster, type ThrowawayCluster } from '../../support/postgres';

let cluster: ThrowawayCluster;
beforeAll(async () => {
  [cluster] = await Promise.all([startThrowawayCluster(), buildCli()]);
}, 120_000);
afterAll(() => cluster?.destroy());

const envFor = (url: string) => {
  const root = mkdtempSync(join(tmpdir(), 'pws-db-cli-'));
  return { ...process.env, HOME: root, PWS_DATA_DIR: join(root, 'data'), PWS_DATABASE_URL: url };
};
const versions = async (db: string) =>
  (await cluster.psql(db, 'SELECT version FROM pws_schema_migrations ORDER BY version')).trim().split('\n').filter(Boolean).map(Number);
const tables = async (db: string) => (await cluster.psql(db, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'pws_%' ORDER BY 1")).trim().split('\n');

describe('pws db migrate', () => {
  it('creates the schema in an empty database, changes nothing when it is up to date, and reports it', async () => {
    const env = envFor(await cluster.createDatabase('migrate_empty'));
    const before = await pws(['db', 'status', '--json'], env);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ source: 'env', connected: true, schemaVersion: 0, latestSchemaVersion: LATEST_SCHEMA_VERSION });
    expect(before.stdout).toMatch(/"serverVersion": "\d+/);

    const first = await pws(['db', 'migrate', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION, applied: MIGRATIONS.map(({ version, name }) => ({ version, name })) });
    expect(await versions('migrate_empty')).toEqual(MIGRATIONS.map((m) => m.version));
    const schema = await tables('migrate_empty');

    const again = await pws(['db', 'migrate'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`schema already at version ${LATEST_SCHEMA_VERSION}: nothing to do`);
    expect(await versions('migrate_empty')).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await tables('migrate_empty')).toEqual(schema);
    const status = await pws(['db', 'status'], env);
    expect(status.stdout).toMatch(new RegExp(`schema version: ${LATEST_SCHEMA_VERSION} \\(this app: ${LATEST_SCHEMA_VERSION}\\)\\n`));
  });

  it('upgrades a database left at an older schema version, keeping its rows', async () => {
    const url = await cluster.createDatabase('migrate_older');
    const older = LATEST_SCHEMA_VERSION - 1;
    const core = createCore(defaultCoreDeps({ home: mkdtempSync(join(tmpdir(), 'pws-older-')), env: { PWS_DATABASE_URL: url } }));
    const db = await core.services.database.current();
    if (!db.ok || !db.value) throw new Error('no database');
    expect(await migrate(db.value, 'an older station', older)).toMatchObject({ ok: true, value: { to: older } });
    await core.close();
    if (older >= 1)
      await cluster.psql(
        'migrate_older',
        `INSERT INTO pws_audit_entries (id, time, station, operator, run_id, result, device_text, entry) VALUES (gen_random_uuid(), now(), 'old', 'op', 'r', 'passed', 'd', '{}')`,
      );

    const status = await pws(['db', 'status'], envFor(url));
    expect(status.stdout).toContain(`schema version: ${older} (this app: ${LATEST_SCHEMA_VERSION}): run \`pws db migrate\``);
    const up = await pws(['db', 'migrate', '--json'], envFor(url));
    expect(up.code, up.stderr).toBe(0);
    expect(JSON.parse(up.stdout)).toMatchObject({
      from: older,
      to: LATEST_SCHEMA_VERSION,
      applied: MIGRATIONS.filter((m) => m.version > older).map(({ version, name }) => ({ version, name })),
    });
    expect(await versions('migrate_older')).toEqual(MIGRATIONS.map((m) => m.version));
    if (older >= 1) expect((await cluster.psql('migrate_older', 'SELECT count(*) FROM pws_audit_entries')).trim()).toBe('1');
  });

  it('refuses a database newer than the app, and one whose recorded migration differs from ours, changing nothing', async () => {
    const url = await cluster.createDatabase('migrate_refused');
    expect((await pws(['db', 'migrate'], envFor(url))).code).toBe(0);
    await cluster.psql(
      'migrate_refused',
      `INSERT INTO pws_schema_migrations (version, name, checksum, applied_by) VALUES (${LATEST_SCHEMA_VERSION + 1}, 'from the future', 'x', 'a newer app')`,
    );
    const newer = await pws(['db', 'migrate'], envFor(url));
    expect(newer.code).toBe(1);
    expect(newer.stderr).toMatch(
      new RegExp(`is at schema version ${LATEST_SCHEMA_VERSION + 1}, newer than this app's ${LATEST_SCHEMA_VERSION}: update the app`),
    );

    await cluster.psql(
      'migrate_refused',
      `DELETE FROM pws_schema_migrations WHERE version > ${LATEST_SCHEMA_VERSION}; UPDATE pws_schema_migrations SET checksum = 'edited' WHERE version = 1`,
    );
    const differs = await pws(['db', 'migrate'], envFor(url));
    expect(differs.code).toBe(1);
    expect(differs.stderr).toMatch(/schema migration 1 recorded there differs from this app's/);
  });

  it('without a database, status says history stays local and migrate says how to configure one', async () => {
    const env = envFor('');
    const status = await pws(['db', 'status'], env);
    expect(status).toMatchObject({ code: 0 });
    expect(status.stdout).toMatch(/^no shared database: history and identities are kept in local files/);
    const migrated = await pws(['db', 'migrate'], env);
    expect(migrated.code).toBe(1);
    expect(migrated.stderr).toMatch(/no shared database is configured: set PWS_DATABASE_URL or `pws settings set database.url/);
  });

  it('an unreachable database is named, with what to do, and pws history exits 1', async () => {
    const env = envFor(cluster.socketUrl('no_such_database'));
    const status = await pws(['db', 'status'], env);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/connection: +failed: the shared database postgres:\/\/postgres@\/no_such_database\S* does not exist on that server/);
    expect(status.stderr).toMatch(/^pws: the shared database postgres:\/\/postgres@\/no_such_database\S* does not exist on that server/);
    const history = await pws(['history'], env);
    expect(history.code).toBe(1);
    expect(history.stderr).toMatch(
      /^pws: the shared database postgres:\/\/postgres@\/no_such_database\S* does not exist on that server .*: create it, or fix the URL\n$/,
    );
  });

  it('a URL with its own password: never shown, whole, even when the password holds @; another database kind is refused', async () => {
    const withPassword = cluster.socketUrl('no_such_database').replace('postgres://postgres@', 'postgres://postgres:S3cret@PW@');
    const status = await pws(['db', 'status'], envFor(withPassword));
    expect(status.code).toBe(1);
    expect(`${status.stdout}${status.stderr}`).not.toMatch(/S3cret|PW@/);
    expect(status.stdout).toMatch(/^database: +postgres:\/\/postgres:\*\*\*@\/no_such_database/m);
    expect(status.stdout).toMatch(/^password: +in the URL$/m);

    for (const url of ['mysql://u:S3cretPW@192.0.2.1/db', 'S3cretPW']) {
      const other = await pws(['db', 'status', '--json'], envFor(url));
      expect(other.code).toBe(1);
      expect(`${other.stdout}${other.stderr}`).not.toContain('S3cretPW');
      expect(other.stderr).toMatch(url.startsWith('mysql') ? /starts with mysql:\/\/, and only PostgreSQL is supported/ : /the database URL is not a URL/);
      expect(other.stderr).toContain('write it as postgres://USER@HOST:PORT/DATABASE');
    }
  });

  it('the app migrates on start only when the setting is on and the user said yes once, asked only while unanswered', async () => {
    const url = await cluster.createDatabase('migrate_on_start');
    const home = mkdtempSync(join(tmpdir(), 'pws-start-'));
    const start = async (at = url) => {
      const core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: { PWS_DATABASE_URL: at } }));
      await core.services.database.startUp();
      const status = await core.services.database.status();
      await core.close();
      if (!status.ok) throw new Error(status.message);
      return status.value;
    };
    expect(await start()).toMatchObject({ schemaVersion: 0, askConsent: false }); // the setting is off: nothing, no question
    const core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: { PWS_DATABASE_URL: url } }));
    await core.services.settings.update({ database: { migrateOnStart: true } });
    await core.close();
    expect(await start()).toMatchObject({ schemaVersion: 0, askConsent: true }); // on, but not yet agreed: asked
    const answering = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: { PWS_DATABASE_URL: url } }));
    expect(await answering.services.database.consent(true)).toMatchObject({ ok: true, value: { schemaVersion: LATEST_SCHEMA_VERSION, askConsent: false } });
    await answering.close();
    // Once agreed, every start migrates without asking again (here: another database, still empty).
    const older = await cluster.createDatabase('migrate_on_start_older');
    expect(await start(older)).toMatchObject({ schemaVersion: LATEST_SCHEMA_VERSION, askConsent: false });
  });
});
