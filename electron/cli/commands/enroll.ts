import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildEnrollmentCsv } from '../../../shared/domain/enrollment';
import { writeFileAtomic } from '../../services/fs/atomic';
import { readEnrollmentIds } from '../../services/provisioning/enrollment-export';
import { failure, print, unwrap, usageError, type CliCommand, type CliContext } from '../command';
import { concurrencyFlag, resolveDevices } from '../device-args';

async function exportCsv(ctx: CliContext): Promise<number> {
  const out = ctx.values.out;
  if (typeof out !== 'string' || !out) throw usageError('enroll export needs --out FILE.csv');
  if (ctx.positionals.length > 1) throw usageError(`unexpected argument "${ctx.positionals[1]}": devices go after --device`);
  const devices = await resolveDevices(ctx, { allowSelected: false });
  const concurrency = concurrencyFlag(ctx) ?? unwrap(await ctx.core().services.settings.get()).concurrency;
  if (!ctx.json) ctx.stderr.write(`Reading the bootstrap certificate of ${devices.length} device${devices.length === 1 ? '' : 's'}…\n`);
  const results = await readEnrollmentIds(devices, { connector: ctx.core().services.provisioning.connector, concurrency, signal: ctx.signal });
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) if (!r.ok) ctx.stderr.write(`✗ ${r.device}: [${r.code}] ${r.message}\n`);
  if (failed.length) throw failure(`${failed.length} of ${results.length} devices gave no enrollment identity; nothing was written to ${out}`);
  const ids = results.flatMap((r) => (r.ok ? [r.identity] : []));
  const unique = [...new Set(ids)];
  if (unique.length < ids.length && !ctx.json) {
    ctx.stderr.write(`pws: note: ${ids.length - unique.length} devices share an identity with another (the same developer certificate); the CSV lists each identity once\n`);
  }
  await writeFileAtomic(resolve(out), buildEnrollmentCsv(unique));
  print(ctx, { file: resolve(out), devices: results, identities: unique }, () => `Wrote ${unique.length} enrollment identit${unique.length === 1 ? 'y' : 'ies'} to ${out}`);
  return 0;
}

async function upload(ctx: CliContext): Promise<number> {
  const [, file, ...extra] = ctx.positionals;
  if (!file || extra.length) throw usageError('usage: pws enroll upload FILE.csv');
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(file));
  } catch (err) {
    throw failure(`could not read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const apiUrl = typeof ctx.values['api-url'] === 'string' ? ctx.values['api-url'] : undefined;
  const uploaded = await ctx.core().services.enrollment.upload(bytes, {
    fileName: file,
    ...(apiUrl ? { apiUrl } : {}),
    signal: ctx.signal,
    intervalMs: 1000,
    onUploading: ({ identities, apiUrl: url }) => {
      if (!ctx.json) ctx.stderr.write(`Uploading ${identities} enrollment identities to ${url}…\n`);
    },
  });
  if (!uploaded.ok && uploaded.code === 'invalid-request') throw usageError(`--api-url: ${uploaded.message}`);
  const done = unwrap(uploaded);
  print(ctx, done, () =>
    [
      `Bulk upload ${done.id}: ${done.status}, ${done.processed_count} of ${done.total_count} processed, ${done.errors_count} error(s)`,
      ...(done.errors_report_file ? [`errors report: ${done.errors_report_file}`] : []),
      ...(done.full_report_file ? [`full report: ${done.full_report_file}`] : []),
    ].join('\n'),
  );
  return done.errors_count > 0 ? 1 : 0;
}

export const enrollCommand: CliCommand = {
  usage: 'enroll (export --out FILE.csv (--device ADDRESS ... | --all) | upload FILE.csv) [--api-url URL] [--json]',
  description: [
    'First-to-Claim enrollment.',
    "  export   read each provisioned device's bootstrap certificate over SSH and write an enrollment CSV",
    '           (header line, one A-… identity per line) following the bulk-upload rules',
    '  upload   send the CSV to /v3/device-enrollments-bulk-uploads and report the bulk job when it completes',
    'Exit code 1 when a device gave no identity or the bulk job reported errors.',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    device: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    concurrency: { type: 'string' },
    'api-url': { type: 'string' },
  },
  async run(ctx) {
    const verb = ctx.positionals[0];
    if (verb === 'export') return exportCsv(ctx);
    if (verb === 'upload') return upload(ctx);
    throw usageError(verb ? `unknown enroll verb "${verb}": use export or upload` : `usage: pws ${enrollCommand.usage}`);
  },
};
