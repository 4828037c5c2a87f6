import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, defaultCoreDeps, type Core } from '../../../electron/services/composition';
import { DATABASE_KEYCHAIN_SERVICE } from '../../../electron/services/keychain/database-passwords';
import { databaseAccount } from '../../../shared/domain/database-url';
import { buildCli, pws } from '../credentials/cli-support';
import { startThrowawayCluster, type ThrowawayCluster } from '../../support/postgres';

/**
 * TLS and the password against a real server: a cluster with TLS only over TCP (a certificate for 127.0.0.1
 * from its own CA) and a role that must give its password. The password lives in the real OS keychain
 * (gnome-keyring in the suite's D-Bus session).
 */
const run = promisify(execFile);
const PASSWORD = 'correct horse battery staple 7';
let cluster: ThrowawayCluster;
const cores: Core[] = [];

beforeAll(async () => {
  [cluster] = await Promise.all([startThrowawayCluster({ tls: true }), buildCli()]);
  await cluster.createDatabase('pws');
  await cluster.psql('pws', `CREATE ROLE secret LOGIN PASSWORD '${PASSWORD}'`);
}, 120_000);
afterAll(async () => {
  await Promise.all(cores.map((c) => c.close()));
  await cluster?.destroy();
});

function station(env: NodeJS.ProcessEnv = {}) {
  const home = mkdtempSync(join(tmpdir(), 'pws-tls-'));
  const core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env }));
  cores.push(core);
  return { core, home, dataDir: join(home, 'data'), cliEnv: { ...process.env, HOME: home, PWS_DATA_DIR: join(home, 'data'), ...env } };
}

/** Whether the connection the core uses is encrypted, as the server sees it. */
async function serverSeesTls(core: Core): Promise<boolean> {
  const db = await core.services.database.current();
  if (!db.ok || !db.value) throw new Error(db.ok ? 'no database' : db.message);
  const r = await db.value.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
  return r.rows[0]!.ssl;
}

describe('TLS to the shared database (certificate verification on by default)', () => {
  it('verifies the server by default: its own CA given, it connects encrypted; without it, it refuses', async () => {
    const trusted = station({ PWS_DATABASE_URL: cluster.tcpUrl('pws', 'postgres', `sslrootcert=${cluster.caFile}`) });
    expect(await trusted.core.services.database.status()).toMatchObject({ ok: true, value: { connected: true, schemaVersion: 0 } });
    expect(await serverSeesTls(trusted.core)).toBe(true);

    const untrusted = station({ PWS_DATABASE_URL: cluster.tcpUrl('pws') });
    const refused = await untrusted.core.services.database.status();
    expect(refused).toMatchObject({ ok: true, value: { connected: false } });
    expect(refused.ok && refused.value.error).toMatch(
      /^the shared database postgres:\/\/postgres@127\.0\.0\.1:\d+\/pws: the TLS connection failed \(.*certificate.*\): give the server's CA with sslrootcert=PATH/,
    );
  });

  it('verify-full checks the host name (verify-ca does not); require encrypts without checking; disable is plain text', async () => {
    const byName = (mode: string) =>
      station({ PWS_DATABASE_URL: `postgres://postgres@localhost:${cluster.port}/pws?sslmode=${mode}&sslrootcert=${cluster.caFile}` });
    const full = await byName('verify-full').core.services.database.status();
    expect(full.ok && full.value.error).toMatch(/TLS connection failed.*(altnames|localhost)/i);
    const ca = byName('verify-ca');
    expect(await ca.core.services.database.status()).toMatchObject({ ok: true, value: { connected: true } });

    const require = station({ PWS_DATABASE_URL: cluster.tcpUrl('pws', 'postgres', 'sslmode=require') });
    expect(await serverSeesTls(require.core)).toBe(true);

    // This server refuses plain text over TCP (hostnossl … reject): the message says so.
    const plain = await station({ PWS_DATABASE_URL: cluster.tcpUrl('pws', 'postgres', 'sslmode=disable') }).core.services.database.status();
    expect(plain.ok && plain.value.error).toMatch(/no encryption/);
  });

  it('refuses sslmode=prefer and allow, which fall back to plain text silently, and names an unreadable sslrootcert', async () => {
    for (const mode of ['prefer', 'allow']) {
      const s = await station({ PWS_DATABASE_URL: cluster.tcpUrl('pws', 'postgres', `sslmode=${mode}`) }).core.services.database.status();
      expect(s.ok && s.value.error).toBe(
        `sslmode=${mode} may fall back to an unencrypted connection without telling: use sslmode=verify-full (the default), verify-ca, require or disable`,
      );
    }
    const missing = await station({ PWS_DATABASE_URL: cluster.tcpUrl('pws', 'postgres', 'sslrootcert=/nonexistent/ca.pem') }).core.services.database.status();
    expect(missing.ok && missing.value.error).toBe('could not read sslrootcert /nonexistent/ca.pem: no such file');
    const device = await station({ PWS_DATABASE_URL: cluster.tcpUrl('pws', 'postgres', 'sslrootcert=/dev/zero') }).core.services.database.status();
    expect(device.ok && device.value.error).toBe('could not read sslrootcert /dev/zero: it is a device, not a file: choose the file itself');
  });
});

describe('the database password lives in the OS keychain only', () => {
  const url = () => cluster.tcpUrl('pws', 'secret', `sslrootcert=${cluster.caFile}`);

  it('saved from the Settings door: kept in the keychain, never in the settings file; another process logs in with it', async () => {
    const s = station();
    const saved = await s.core.services.database.save({ url: url(), password: PASSWORD });
    expect(saved).toMatchObject({ ok: true, value: { source: 'setting', connected: true, passwordStored: true } });
    const settingsText = readFileSync(join(s.dataDir, 'settings.json'), 'utf8');
    expect(settingsText).toContain('"url": "postgres://secret@127.0.0.1:');
    expect(settingsText).not.toContain(PASSWORD);
    const { stdout } = await run('secret-tool', ['lookup', 'service', DATABASE_KEYCHAIN_SERVICE, 'account', databaseAccount(url())]);
    expect(stdout).toBe(PASSWORD);

    const cli = await pws(['db', 'status'], s.cliEnv);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/connection: +ok\n/);
    expect(cli.stdout).toMatch(/password: +in the OS keychain/);
    expect(`${cli.stdout}${cli.stderr}`).not.toContain(PASSWORD);

    expect(await s.core.services.database.forgetPassword()).toEqual({ ok: true, value: { deleted: true } });
    const without = await s.core.services.database.status();
    expect(without.ok && without.value.error).toMatch(
      /refused the login .*: check the user and the password \(Settings → Shared database, or `pws db password`\)/,
    );
  });

  it('`pws db password` reads it from stdin; one the server refuses is not kept, and never shown', async () => {
    const s = station();
    expect((await pws(['settings', 'set', 'database.url', url()], s.cliEnv)).code).toBe(0);
    const wrong = await pws(['db', 'password'], s.cliEnv, 'not-the-password\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /^pws: the shared database postgres:\/\/secret@127\.0\.0\.1:\d+\/pws\S* refused the login \(password authentication failed for user "secret"\).*; the password was not saved\n$/,
    );
    expect(`${wrong.stdout}${wrong.stderr}`).not.toContain('not-the-password');
    await expect(run('secret-tool', ['lookup', 'service', DATABASE_KEYCHAIN_SERVICE, 'account', databaseAccount(url())])).rejects.toThrow();
    const right = await pws(['db', 'password'], s.cliEnv, `${PASSWORD}\n`);
    expect(right.code, right.stderr).toBe(0);
    expect(right.stdout).toMatch(/^password kept in the OS keychain for postgres:\/\/secret@127\.0\.0\.1:\d+\/pws\?sslrootcert=\S+; connection: ok\n$/);
    expect((await pws(['db', 'status'], s.cliEnv)).code).toBe(0);
    expect(readFileSync(join(s.dataDir, 'settings.json'), 'utf8')).not.toContain(PASSWORD);
  });

  it('`pws db password` without a D-Bus session says so before asking for the password', async () => {
    const s = station();
    expect((await pws(['settings', 'set', 'database.url', url()], s.cliEnv)).code).toBe(0);
    const r = await pws(['db', 'password'], { ...s.cliEnv, DBUS_SESSION_BUS_ADDRESS: '' }, null);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('pws: no OS keychain is available (no D-Bus session): start a desktop session or run inside dbus-run-session\n');
  });

  it('a URL with its password is refused as a setting, from the CLI and the Settings door alike', async () => {
    const s = station();
    const withPassword = url().replace('secret@', `secret:${encodeURIComponent(PASSWORD)}@`);
    const cli = await pws(['settings', 'set', 'database.url', withPassword], s.cliEnv);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/must not hold the password/);
    expect(cli.stderr).not.toContain(encodeURIComponent(PASSWORD));
    expect(await s.core.services.database.save({ url: withPassword })).toMatchObject({ ok: false, code: 'database-url-invalid' });
  });
});
