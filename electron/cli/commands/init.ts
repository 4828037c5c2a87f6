import { resolve } from 'node:path';
import { DEFAULT_VALIDITY_DAYS, UPDATE_CERT_FILES, parseDays, validateUpdateCertInput, type UpdateCertInput } from '../../../shared/domain/update-certificate';
import { failure, print, unwrap, usageError, warn, type CliCommand, type CliContext } from '../command';

type Subject = Pick<UpdateCertInput, 'country' | 'state' | 'locality' | 'organization' | 'commonName' | 'days'>;

/** Asks one question on stderr (stdout stays clean for --json); Ctrl-D or a closed stdin cancels. */
async function withPrompter<T>(ctx: CliContext, run: (ask: (question: string) => Promise<string>) => Promise<T>): Promise<T> {
  const { createInterface } = await import('node:readline/promises'); // only when asking: `init -q` never loads it
  const rl = createInterface({ input: ctx.stdin, output: ctx.promptOutput, terminal: Boolean(ctx.stdin.isTTY) });
  const closed = new Promise<never>((_, reject) => rl.once('close', () => reject(failure('init cancelled: no certificate was made and nothing was written'))));
  closed.catch(() => undefined);
  try {
    return await run((question) => Promise.race([rl.question(question), closed]));
  } finally {
    rl.close();
  }
}

/** manifest-tool 1.x's questions, in its order and words; fields given as flags are not asked. */
async function promptSubject(ctx: CliContext, given: Subject, domain: string | undefined): Promise<Subject> {
  const out = (line = '') => ctx.stderr.write(`${line}\n`);
  out(`A certificate has not been provided to init, and no certificate is provided in ${UPDATE_CERT_FILES.certificate}`);
  out('Init will now guide you through the creation of a certificate.');
  out();
  out('This process will create a self-signed certificate, which is not suitable for production use.');
  out();
  out('In the terminology used by certificates, the "subject" means the holder of the private key that matches a certificate.');
  return withPrompter(ctx, async (ask) => {
    const answers: Subject = { ...given };
    if (given.country === undefined) {
      for (;;) {
        const country = (await ask('In which country is the subject located? ')).trim();
        if (country === '' || /^[A-Za-z]{2}$/.test(country)) {
          answers.country = country;
          break;
        }
        out(`country must be a two-letter ISO 3166 code such as GB or US (got "${country}")`);
      }
    }
    if (given.state === undefined) answers.state = (await ask('In which state or province is the subject located? ')).trim();
    if (given.locality === undefined) answers.locality = (await ask('In which city or region is the subject located? ')).trim();
    if (given.organization === undefined) answers.organization = (await ask('What is the name of the subject organization? ')).trim();
    if (given.commonName === undefined) {
      const question = domain ? `What is the common name of the subject organization? [${domain}] ` : 'What is the common name of the subject organization? ';
      answers.commonName = (await ask(question)).trim() || domain || '';
    }
    if (given.days === undefined) {
      for (;;) {
        const days = (await ask(`How long (in days) should the certificate be valid? [${DEFAULT_VALIDITY_DAYS}] `)).trim() || String(DEFAULT_VALIDITY_DAYS);
        const parsed = parseDays(days);
        if (parsed.ok) {
          answers.days = days;
          break;
        }
        out(parsed.message);
      }
    }
    return answers;
  });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const initCommand: CliCommand = {
  usage:
    'init (-d DOMAIN | -V VENDOR_UUID) (-m MODEL | -C CLASS_UUID) [-q] [--country C] [--state S] [--locality L] [--organization O]\n' +
    '         [--common-name CN] [--days N] [-c CERT -k KEY] [-f|--force] [--dir DIR] [--json]',
  description: [
    'Makes the update-authenticity certificate and the files manifest-tool 1.x `init` writes, into DIR (default: the current folder):',
    `${UPDATE_CERT_FILES.certificate}, ${UPDATE_CERT_FILES.privateKey} (mode 0600), ${UPDATE_CERT_FILES.config} and ${UPDATE_CERT_FILES.cFile}.`,
    '',
    '  -d, --vendor-domain DOMAIN  vendor domain, e.g. arm.com (vendor ID = uuid5(DNS, DOMAIN))',
    '  -m, --model-name MODEL      device model, e.g. dev-device (class ID = uuid5(vendor ID, MODEL))',
    '  -V, --vendor-id UUID        the vendor ID itself, instead of -d',
    '  -C, --class-id UUID         the class ID itself, instead of -m',
    '  -q, --quiet                 ask nothing (subject CN=DOMAIN and 90 days unless given as flags), print no summary',
    '  --country, --state, --locality, --organization, --common-name   the certificate subject',
    `  --days N                    validity in days (default ${DEFAULT_VALIDITY_DAYS})`,
    '  -c, --certificate FILE      use this certificate (DER or PEM, EC P-256) ...',
    '  -k, --private-key FILE      ... with this private key, instead of making new ones',
    '  -f, --force                 make a new certificate even if DIR has one, and overwrite the C file',
    '  --dir DIR                   target folder',
    '',
    "Without -q, in a terminal, it asks for the subject fields not given as flags, in manifest-tool's order.",
    'An existing certificate and key in DIR are reused, and an existing C file kept, unless --force.',
    'Warnings (self-signed, short validity) are printed on stderr, also with -q: they matter for production.',
    '--json prints { vendorId, classId, fingerprint, notAfter, files }.',
  ].join('\n'),
  options: {
    'vendor-domain': { type: 'string', short: 'd' },
    'model-name': { type: 'string', short: 'm' },
    'vendor-id': { type: 'string', short: 'V' },
    'class-id': { type: 'string', short: 'C' },
    quiet: { type: 'boolean', short: 'q' },
    country: { type: 'string' },
    state: { type: 'string' },
    locality: { type: 'string' },
    organization: { type: 'string' },
    'common-name': { type: 'string' },
    days: { type: 'string' },
    certificate: { type: 'string', short: 'c' },
    'private-key': { type: 'string', short: 'k' },
    force: { type: 'boolean', short: 'f' },
    dir: { type: 'string' },
  },
  usesCore: false,
  async run(ctx) {
    const v = ctx.values;
    if (ctx.positionals.length) throw usageError(`init takes no arguments (got "${ctx.positionals[0]}"): run \`pws init --help\``);
    const domain = str(v['vendor-domain']);
    const vendorId = str(v['vendor-id']);
    const model = str(v['model-name']);
    const classId = str(v['class-id']);
    if (domain === undefined && vendorId === undefined) throw usageError('init needs -d DOMAIN (or -V VENDOR_UUID): run `pws init --help`');
    if (model === undefined && classId === undefined) throw usageError('init needs -m MODEL (or -C CLASS_UUID): run `pws init --help`');

    let subject: Subject = {
      country: str(v.country),
      state: str(v.state),
      locality: str(v.locality),
      organization: str(v.organization),
      commonName: str(v['common-name']),
      days: str(v.days),
    };
    const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
    const ids = defined({ domain, vendorId, model, classId });
    // Bad flags fail before any question is asked.
    const precheck = validateUpdateCertInput({ ...ids, ...defined(subject) });
    if (!precheck.ok) throw failure(precheck.message);

    const quiet = Boolean(v.quiet);
    const force = Boolean(v.force);
    const dir = resolve(str(v.dir) ?? process.cwd());
    const certificatePath = str(v.certificate) !== undefined ? resolve(str(v.certificate)!) : undefined;
    const keyPath = str(v['private-key']) !== undefined ? resolve(str(v['private-key'])!) : undefined;
    const pki = await ctx.pki();

    if (!quiet && ctx.stdin.isTTY && certificatePath === undefined && keyPath === undefined) {
      const folder = await pki.folderState(dir);
      if (force || !folder.hasCertificate) subject = await promptSubject(ctx, subject, domain);
    }

    const summary = unwrap(await pki.create({ ...ids, ...defined(subject), dir, force, ...defined({ certificatePath, keyPath }) }));
    for (const w of summary.warnings) warn(ctx, w);
    const doc = { vendorId: summary.vendorId, classId: summary.classId, fingerprint: summary.fingerprint, notAfter: summary.notAfter, files: summary.files };
    if (ctx.json) print(ctx, doc, () => '');
    else if (!quiet) {
      const lines = [
        `Vendor ID:    ${summary.vendorId}`,
        `Class ID:     ${summary.classId}`,
        `Certificate:  ${summary.certificateSource} (${summary.certificate.subject || 'empty subject'})`,
        `Fingerprint:  ${summary.fingerprint}`,
        `Expires:      ${summary.notAfter}`,
        ...summary.files.map((f, i) => `${i === 0 ? 'Wrote:' : ''}`.padEnd(14) + f),
        ...summary.kept.map((f, i) => `${i === 0 ? 'Kept:' : ''}`.padEnd(14) + f),
      ];
      ctx.stdout.write(`${lines.join('\n')}\n`);
    }
  },
};
