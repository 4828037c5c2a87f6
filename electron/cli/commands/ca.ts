import { basename } from 'node:path';
import type { CaList, CaTrust, CaTrusted, CertificateAuthority } from '../../../shared/contract/ca';
import { CaCreateRequestSchema } from '../../../shared/contract/ca';
import { print, unwrap, usageError, type CliCommand, type CliContext } from '../command';
import { issueInWords } from '../../../shared/contract/issue-words';
import { readNamedFile } from '../named-file';

const day = (iso: string) => iso.slice(0, 10);
const TRUST_TEXT: Record<CaTrust['state'], string> = { trusted: 'trusted', 'not-trusted': 'NOT TRUSTED', unknown: 'unknown' };
function trustedInWords(t: CaTrusted): string {
  const ca = `the CA "${t.authority.name}"`;
  if (t.outcome === 'first-to-claim-turned-on')
    return `Device Management already trusted ${ca} for bootstrap; First-to-Claim enrollment is now turned on for it.`;
  const uses = `bootstrap${t.cloud.firstToClaim ? ' and First-to-Claim enrollment' : ''}`;
  return t.outcome === 'already-trusted'
    ? `Device Management already trusted ${ca} for ${uses}: nothing changed.`
    : `Device Management trusts ${ca} for ${uses}.`;
}
const trustText = (t: CaTrust) => `${TRUST_TEXT[t.state]}${t.firstToClaim ? ' (First-to-Claim)' : ''}`;

function human(list: CaList): string {
  if (list.authorities.length === 0)
    return `No CA in the Team Store (${list.teamStore}): make one with \`pws ca create NAME\` or import one with \`pws ca import\``;
  const rows = [
    ['NAME', 'FINGERPRINT (SHA-256)', 'EXPIRES', 'IN ACCOUNT', 'SUBJECT'],
    ...list.authorities.map((a) => [a.name, a.fingerprint, day(a.notAfter), trustText(a.trust), a.subject]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return [
    `CAs in the Team Store (${list.teamStore}):`,
    ...rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`),
  ].join('\n');
}

const summary = (verb: string, a: CertificateAuthority) =>
  `${verb} CA "${a.name}" (${a.subject}, ${a.keyType}, SHA-256 ${a.fingerprint}, expires ${day(a.notAfter)}) in ${a.path}; its key stays there (mode 0600).\nNext: trust it in your account with \`pws ca trust ${a.name}\`.`;

function args(ctx: CliContext, n: number, usage: string): string[] {
  const rest = ctx.positionals.slice(1);
  if (rest.length !== n) throw usageError(`usage: pws ca ${usage}`);
  return rest;
}

const flag = (ctx: CliContext, name: string) => (typeof ctx.values[name] === 'string' ? (ctx.values[name] as string) : undefined);

const readInput = (path: string, what: string): Promise<Buffer> =>
  readNamedFile(path, (problem) => `could not read the ${what} ${path}: ${problem}; nothing was imported`);

function createRequest(ctx: CliContext, name: string) {
  const days = flag(ctx, 'days');
  if (days !== undefined && !/^\d+$/.test(days)) throw usageError(`--days: "${days}" must be a whole number of days`);
  const parsed = CaCreateRequestSchema.safeParse({
    name,
    ...(flag(ctx, 'organization') !== undefined ? { organization: flag(ctx, 'organization') } : {}),
    ...(flag(ctx, 'organizational-unit') !== undefined ? { organizationalUnit: flag(ctx, 'organizational-unit') } : {}),
    ...(flag(ctx, 'country') !== undefined ? { country: flag(ctx, 'country') } : {}),
    ...(days !== undefined ? { days: Number(days) } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field =
      { organizationalUnit: '--organizational-unit', name: `CA name ${JSON.stringify(name)}` }[String(issue.path[0])] ?? `--${String(issue.path[0])}`;
    throw usageError(`${field}: ${issueInWords(issue)}`);
  }
  return parsed.data;
}

export const caCommand: CliCommand = {
  usage:
    'ca (create NAME [--organization O] [--organizational-unit OU] [--country C] [--days N] | import NAME --cert CA.pem|CA.der --key CA.key.pem | list | delete NAME | trust NAME [--first-to-claim]) [--json]',
  description: [
    "Your own certificate authority, which signs each device's own bootstrap certificate (pws provision --ca).",
    '  create NAME   make a P-256 CA (self-signed, CA:true, keyCertSign + cRLSign) valid --days (default 10950,',
    '                30 years); the subject is C/O/OU from the flags and CN = NAME',
    '  import NAME   import an existing CA certificate and its private key (PEM or DER); refused, with nothing',
    '                written, unless it is a CA, not expired, with its own key of EC P-256/384/521 or RSA 2048+',
    '  list          the CAs in the Team Store: fingerprint, expiry, and whether your account trusts them',
    '  delete NAME   delete a CA and its key from the Team Store',
    '  trust NAME    trust it in your account for bootstrap (POST /v3/trusted-certificates); --first-to-claim',
    '                marks it for First-to-Claim enrollment',
    "The CA's key is kept in the Team Store with mode 0600 and is never shown, logged or uploaded.",
  ].join('\n'),
  options: {
    organization: { type: 'string' },
    'organizational-unit': { type: 'string' },
    country: { type: 'string' },
    days: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    'first-to-claim': { type: 'boolean' },
  },
  async run(ctx) {
    const verb = ctx.positionals[0];
    const ca = () => ctx.core().services.ca;
    switch (verb) {
      case 'create': {
        const [name] = args(ctx, 1, 'create NAME [--organization O] [--organizational-unit OU] [--country C] [--days N]');
        const a = unwrap(await ca().create(createRequest(ctx, name!)));
        print(ctx, a, () => summary('Created', a));
        return;
      }
      case 'import': {
        const [name] = args(ctx, 1, 'import NAME --cert CA.pem --key CA.key.pem');
        const cert = flag(ctx, 'cert');
        const key = flag(ctx, 'key');
        if (!cert || !key) throw usageError('ca import needs the CA certificate and its key: --cert CA.pem --key CA.key.pem');
        const [certificate, keyBytes] = await Promise.all([readInput(cert, 'CA certificate'), readInput(key, 'CA key')]);
        const a = unwrap(await ca().import({ name: name!, certificate, key: keyBytes, fileNames: { certificate: basename(cert), key: basename(key) } }));
        print(ctx, a, () => summary('Imported', a));
        return;
      }
      case 'list': {
        args(ctx, 0, 'list [--json]');
        const list = unwrap(await ca().list({}));
        if (list.cloudNote && !ctx.json) ctx.stderr.write(`pws: note: ${list.cloudNote}\n`);
        print(ctx, list, () => human(list));
        return;
      }
      case 'delete': {
        const [name] = args(ctx, 1, 'delete NAME');
        const d = unwrap(await ca().delete({ name: name! }));
        print(ctx, d, () => `Deleted the CA "${d.name}" and its key from the Team Store. Identities it issued stay valid while your account trusts it.`);
        return;
      }
      case 'trust': {
        const [name] = args(ctx, 1, 'trust NAME [--first-to-claim]');
        const t = unwrap(await ca().trust({ name: name!, firstToClaim: Boolean(ctx.values['first-to-claim']) }));
        print(ctx, t, () =>
          [
            trustedInWords(t),
            `  id ${t.cloud.id}, name "${t.cloud.name}", status ${t.cloud.status ?? '-'}, subject ${t.cloud.subject}, valid until ${t.cloud.validity}`,
          ].join('\n'),
        );
        return;
      }
      case undefined:
        throw usageError(`usage: pws ${caCommand.usage}`);
      default:
        throw usageError(`unknown ca verb "${verb}": use create, import, list, delete or trust`);
    }
  },
};
