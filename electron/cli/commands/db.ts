import type { DatabaseStatus } from '../../../shared/contract/database';
import { failure, print, unwrap, usageError, type CliCommand } from '../command';
import { readSecret } from '../secret-input';

function describeStatus(s: DatabaseStatus): string {
  if (s.source === 'none') return `no shared database: history and identities are kept in local files on this station (${s.station})`;
  const lines = [
    `database:       ${s.target} (from ${s.source === 'env' ? 'PWS_DATABASE_URL' : 'the database.url setting'})`,
    `connection:     ${s.connected ? 'ok' : `failed: ${s.error}`}`,
    ...(s.serverVersion ? [`server version: PostgreSQL ${s.serverVersion}`] : []),
    ...(s.schemaVersion !== undefined
      ? [`schema version: ${s.schemaVersion} (this app: ${s.latestSchemaVersion})${s.schemaVersion < s.latestSchemaVersion ? ': run `pws db migrate`' : ''}`]
      : []),
    `password:       ${s.passwordInUrl ? 'in the URL' : s.passwordStored ? 'in the OS keychain' : 'none stored'}`,
    `station:        ${s.station}`,
  ];
  if (s.waitingToSync)
    lines.push(`waiting:        ${s.waitingToSync} history entr${s.waitingToSync === 1 ? 'y' : 'ies'} in the local journal, sent when the database answers`);
  return lines.join('\n');
}

export const dbCommand: CliCommand = {
  usage: 'db (status | migrate | import-local | password [--delete]) [--json]',
  description: [
    'The shared PostgreSQL database that several stations keep their history and identity registry in',
    '(PWS_DATABASE_URL, else the database.url setting; without either, everything stays in local files).',
    '  status        connection, server version, schema version, entries waiting to sync (exit 1 if it fails)',
    '  migrate       create or upgrade the schema (versioned migrations, recorded in pws_schema_migrations)',
    "  import-local  copy this station's local history into the database; running it again adds nothing",
    '  password      keep the database password in the OS keychain: asked without echo, or one line of stdin',
    '                (--delete removes it). It never goes into the settings file or the URL.',
  ].join('\n'),
  usesCore: false,
  options: { delete: { type: 'boolean' } },
  async run(ctx) {
    const [verb, ...extra] = ctx.positionals;
    if (extra.length) throw usageError(`unexpected argument "${extra[0]}"`);
    if (ctx.values.delete && verb !== 'password') throw usageError('--delete goes with `pws db password`');
    const { database, settings } = await ctx.storage();
    switch (verb) {
      case 'status': {
        const s = unwrap(await database.status());
        print(ctx, s, () => describeStatus(s));
        if (s.source === 'none' || s.connected) return 0;
        ctx.stderr.write(`pws: ${s.error ?? 'could not connect to the shared database'}\n`);
        return 1;
      }
      case 'migrate': {
        const r = unwrap(await database.migrate());
        print(ctx, r, () =>
          r.applied.length
            ? `schema migrated from version ${r.from} to ${r.to}: ${r.applied.map((m) => `${m.version} ${m.name}`).join(', ')}`
            : `schema already at version ${r.to}: nothing to do`,
        );
        return;
      }
      case 'import-local': {
        const r = unwrap(await database.importLocal());
        print(
          ctx,
          r,
          () =>
            `history: ${r.audit.added} of ${r.audit.read} local entries added (the rest were there already)\nidentities: ${r.identities.added} of ${r.identities.read} added`,
        );
        return;
      }
      case 'password': {
        const status = unwrap(await database.status());
        if (status.source === 'none')
          throw failure('no shared database is configured: set the URL first (`pws settings set database.url postgres://USER@HOST/DATABASE`)');
        if (status.source === 'env')
          throw failure('the database URL comes from PWS_DATABASE_URL: give the password with it there, or unset it to use the database.url setting');
        if (ctx.values.delete) {
          const r = unwrap(await database.forgetPassword());
          print(ctx, r, () => (r.deleted ? `password for ${status.target} removed from the OS keychain` : `no password was stored for ${status.target}`));
          return;
        }
        unwrap(await database.canKeepPassword()); // before the password is typed, not after
        const password = await readSecret(ctx, `Password for ${status.target}: `);
        if (!password) throw usageError('no password given: nothing was saved');
        const url = unwrap(await settings.get()).database.url;
        const saved = unwrap(await database.save({ url, password }));
        print(ctx, saved, () => `password kept in the OS keychain for ${saved.target}; connection: ${saved.connected ? 'ok' : `failed: ${saved.error}`}`);
        return;
      }
      default:
        throw usageError(
          verb ? `unknown db verb "${verb}": use status, migrate, import-local or password` : 'usage: pws db (status | migrate | import-local | password)',
        );
    }
  },
};
