import { basename, resolve } from 'node:path';
import { MAX_C_FILE_NAME, type CertificatesList, type ExpiryState, type TeamCertificate } from '../../../shared/contract/certificates';
import { print, unwrap, usageError, type CliCommand, type CliContext } from '../command';
import { apiUrlFlag } from './api-key';
import { readNamedFile } from '../named-file';

const EXPIRY_TEXT: Record<ExpiryState, string> = { ok: 'valid', expiring: 'EXPIRES SOON', expired: 'EXPIRED', unknown: 'unknown' };
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '-');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

function human(list: CertificatesList): string {
  const out: string[] = [`Team Store (${list.teamStore}):`];
  if (list.team.length === 0) out.push('  (empty)');
  else
    out.push(
      table([
        ['  NAME', 'KIND', 'FINGERPRINT (SHA-256)', 'EXPIRES', 'STATE'],
        ...list.team.map((c) => [`  ${c.name}`, c.kind, c.fingerprint ?? '-', day(c.notAfter), `${EXPIRY_TEXT[c.expiry]}${c.legacy ? ' (mbl-cli)' : ''}`]),
      ]),
    );
  if (list.cloud) {
    out.push('', 'Developer certificates in the cloud:');
    if (list.cloud.length === 0) out.push('  (none)');
    else
      out.push(
        table([
          ['  NAME', 'ID', 'FINGERPRINT (SHA-256)', 'EXPIRES', 'STATE'],
          ...list.cloud.map((c) => [
            `  ${c.name}`,
            c.id,
            c.fingerprint ?? '-',
            day(c.notAfter),
            `${EXPIRY_TEXT[c.expiry]}${c.inTeamStore ? ', in Team Store' : ''}`,
          ]),
        ]),
      );
  }
  return out.join('\n');
}

const saved = (c: TeamCertificate, verb: string) =>
  `${verb} ${c.kind} certificate "${c.name}" into ${c.path} (${c.files.length} files, SHA-256 ${c.fingerprint ?? '-'}, expires ${day(c.notAfter)})`;

async function readCFile(path: string): Promise<{ fileName: string; text: string }> {
  const bytes = await readNamedFile(path, (problem) => `could not read ${path}: ${problem}`);
  // Messages name the file as it was given, so that two files of one name in different folders are told apart.
  return { fileName: path.length <= MAX_C_FILE_NAME ? path : basename(path), text: bytes.toString('utf8') };
}

function args(ctx: CliContext, n: number, usage: string): string[] {
  const rest = ctx.positionals.slice(1);
  if (rest.length !== n) throw usageError(`usage: pws certs ${usage}`);
  return rest;
}

export const certsCommand: CliCommand = {
  usage:
    'certs (list | create-dev NAME | fetch-dev NAME | import-update NAME FILE | import-dev NAME FILE | delete NAME [--cloud] | stores [--user DIR] [--team DIR]) [--api-url URL] [--json]',
  description: [
    "Manages the Team Store's certificates (mbl-cli's stores, ~/.mbl-stores.json).",
    '  list                    developer and update certificates: name, kind, SHA-256 fingerprint, expiry;',
    '                          with an API key, also the developer certificates in the cloud',
    '  create-dev NAME         create a developer certificate in the cloud and save it as NAME',
    '  fetch-dev NAME          copy the cloud developer certificate named NAME into the Team Store',
    "  import-update NAME FILE import manifest-tool's update_default_resources.c as NAME",
    '  import-dev NAME FILE    import a developer credentials C file (mbed_cloud_dev_credentials.c) as NAME',
    '  delete NAME [--cloud]   delete NAME from the Team Store (and with --cloud, the developer certificate in the cloud)',
    '  stores                  show (or with --user/--team, change) where the User and Team Stores are',
  ].join('\n'),
  options: {
    'api-url': { type: 'string' },
    cloud: { type: 'boolean' },
    description: { type: 'string' },
    user: { type: 'string' },
    team: { type: 'string' },
  },
  async run(ctx) {
    const verb = ctx.positionals[0];
    const apiUrl = apiUrlFlag(ctx);
    const url = apiUrl ? { apiUrl } : {};
    const teamStore = () => ctx.core().services.teamStore;
    switch (verb) {
      case 'list': {
        args(ctx, 0, 'list [--json]');
        const list = unwrap(await teamStore().listCertificates(url));
        if (list.cloudNote && !ctx.json) ctx.stderr.write(`pws: note: ${list.cloudNote}\n`);
        for (const c of list.team) for (const w of c.warnings) if (!ctx.json) ctx.stderr.write(`pws: note: ${c.name}: ${w}\n`);
        print(ctx, list, () => human(list));
        return;
      }
      case 'create-dev': {
        const [name] = args(ctx, 1, 'create-dev NAME');
        // A missing key or keychain is said before any "Creating…" line, not after it.
        unwrap(await ctx.core().services.credentials.client(apiUrl));
        if (!ctx.json) ctx.stderr.write(`Creating developer certificate "${name}" in the cloud…\n`);
        const description = typeof ctx.values.description === 'string' ? { description: ctx.values.description } : {};
        const c = unwrap(await teamStore().createDeveloperCertificate({ name: name!, ...description, ...url }));
        print(ctx, c, () => saved(c, 'Created and saved'));
        return;
      }
      case 'fetch-dev': {
        const [name] = args(ctx, 1, 'fetch-dev NAME');
        const c = unwrap(await teamStore().fetchDeveloperCertificate({ name: name!, ...url }));
        print(ctx, c, () => saved(c, 'Copied'));
        return;
      }
      case 'import-update':
      case 'import-dev': {
        const [name, path] = args(ctx, 2, `${verb} NAME FILE`);
        const file = await readCFile(path!);
        const req = { name: name!, ...file };
        const c = unwrap(verb === 'import-update' ? await teamStore().importUpdateCertificate(req) : await teamStore().importDeveloperCertificate(req));
        print(ctx, c, () => saved(c, 'Imported'));
        return;
      }
      case 'delete': {
        const [name] = args(ctx, 1, 'delete NAME [--cloud]');
        const d = unwrap(await teamStore().deleteCertificate({ name: name!, cloud: Boolean(ctx.values.cloud), ...url }));
        print(ctx, d, () =>
          [
            d.local ? `Deleted "${d.name}" from the Team Store` : `"${d.name}" was not in the Team Store`,
            ctx.values.cloud ? (d.cloud ? 'and from the cloud' : '(not found in the cloud)') : '',
          ]
            .filter(Boolean)
            .join(' '),
        );
        return;
      }
      case 'stores': {
        args(ctx, 0, 'stores [--user DIR] [--team DIR]');
        const patch = {
          ...(typeof ctx.values.user === 'string' ? { user: resolve(ctx.values.user) } : {}),
          ...(typeof ctx.values.team === 'string' ? { team: resolve(ctx.values.team) } : {}),
        };
        const p = unwrap(Object.keys(patch).length ? await teamStore().setStores(patch) : await teamStore().stores());
        print(ctx, p, () => `User Store: ${p.user}\nTeam Store: ${p.team}\n(from ${p.storesFile})`);
        return;
      }
      case undefined:
        throw usageError(`usage: pws ${certsCommand.usage}`);
      default:
        throw usageError(`unknown certs verb "${verb}": use list, create-dev, fetch-dev, import-update, import-dev, delete or stores`);
    }
  },
};
