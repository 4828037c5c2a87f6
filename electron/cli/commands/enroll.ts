import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sinceFlag } from '../since-flag';
import { writeFileAtomic } from '../../services/fs/atomic';
import { writeProblem } from '../../services/fs/user-paths';
import { failure, print, unwrap, usageError, type CliCommand, type CliContext } from '../command';
import { concurrencyFlag, deviceFlags, resolveDevices } from '../device-args';
import { readNamedFile } from '../named-file';

/** --out as the path to write, refused before any work when it names a folder. */
async function outFile(out: string): Promise<string> {
  const path = resolve(out);
  if ((await stat(path).catch(() => undefined))?.isDirectory()) {
    throw usageError(`--out ${out} is a folder: give the file to write, for example ${join(out, 'enrollment.csv')}`);
  }
  return path;
}

/** Why the CSV could not be written, for a path the user chose (not the app's own folder). */
function outProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied: choose a folder you may write to';
  if (code === 'EROFS') return 'the file system is read-only: choose another folder';
  return writeProblem(err);
}

async function exportCsv(ctx: CliContext): Promise<number> {
  const out = ctx.values.out;
  if (typeof out !== 'string' || !out) throw usageError('enroll export needs --out FILE.csv');
  const path = await outFile(out);
  if (ctx.positionals.length > 1) throw usageError(`unexpected argument "${ctx.positionals[1]}": devices go after --device`);
  const run = typeof ctx.values.run === 'string' ? ctx.values.run : undefined;
  const since = typeof ctx.values.since === 'string' ? ctx.values.since : undefined;
  const byDevice = deviceFlags(ctx).length > 0 || Boolean(ctx.values.all);
  if ([byDevice, run !== undefined, since !== undefined].filter(Boolean).length !== 1) {
    throw usageError('choose what to export: --device ADDRESS (one or more), --all, --run RUN_ID or --since DATE (one of them)');
  }
  const sinceTime = sinceFlag(since);
  concurrencyFlag(ctx); // still accepted from older scripts; the registry is read without connecting to the devices
  const selection = byDevice
    ? { devices: await resolveDevices(ctx, { allowSelected: false }) }
    : { filter: run !== undefined ? { runId: run } : { since: sinceTime! } };
  const result = unwrap(await ctx.core().services.identities.exportEnrollment(selection));
  for (const r of result.refused) if (!ctx.json) ctx.stderr.write(`✗ ${r.device}: ${r.reason}\n`);
  if (byDevice && result.refused.length)
    throw failure(`${result.refused.length} device${result.refused.length === 1 ? '' : 's'} gave no enrollment identity; nothing was written to ${out}`);
  if (result.identities.length === 0)
    throw failure(
      `the registry holds no confirmed identity for ${run !== undefined ? `run ${run}` : `the devices provisioned since ${since}`}; nothing was written to ${out}`,
    );
  await writeFileAtomic(path, result.csv).catch((err: unknown) => {
    throw failure(`could not write ${out}: ${outProblem(err)}; nothing was written`);
  });
  print(ctx, { file: path, identities: result.identities, refused: result.refused }, () =>
    [
      ...result.identities.map((i) => `  ${i.endpointName}  ${i.enrollmentIdentity}`),
      `Wrote ${result.identities.length} enrollment identit${result.identities.length === 1 ? 'y' : 'ies'} to ${out}`,
    ].join('\n'),
  );
  return 0;
}

async function upload(ctx: CliContext): Promise<number> {
  const [, file, ...extra] = ctx.positionals;
  if (!file || extra.length) throw usageError('usage: pws enroll upload FILE.csv');
  const bytes = await readNamedFile(file, (problem) => `could not read ${file}: ${problem}`);
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
  if (done.reportUnread && !ctx.json) ctx.stderr.write(`pws: note: could not read the bulk upload's report: ${done.reportUnread}\n`);
  print(ctx, done, () =>
    [
      ...done.results.map((r) => `${r.status === 'enrolled' ? '✓' : '✗'} ${r.identity}: ${r.status}${r.error ? ` (${r.error})` : ''}`),
      `Bulk upload ${done.id}: ${done.status}, ${done.processed_count} of ${done.total_count} processed, ${done.errors_count} error(s)`,
      ...(done.errors_report_file ? [`errors report: ${done.errors_report_file}`] : []),
      ...(done.full_report_file ? [`full report: ${done.full_report_file}`] : []),
    ].join('\n'),
  );
  return done.errors_count > 0 ? 1 : 0;
}

export const enrollCommand: CliCommand = {
  usage: 'enroll (export --out FILE.csv (--device ADDRESS ... | --all | --run RUN_ID | --since DATE) | upload FILE.csv) [--api-url URL] [--json]',
  description: [
    'First-to-Claim enrollment of devices that have their own identity (pws provision --ca).',
    '  export   write an enrollment CSV (header line, one A-… identity per line, the bulk-upload rules) from the',
    '           identity registry: the confirmed identities of the devices named (--device, --all), of one run',
    '           (--run) or issued since a date (--since). A device given a developer certificate is refused with',
    '           the reason: Device Management does not accept First-to-Claim for developer credentials.',
    '  upload   send the CSV to /v3/device-enrollments-bulk-uploads and report the bulk job, identity by identity',
    'Exit code 1 when a named device has no identity or the bulk job reported errors.',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    device: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    run: { type: 'string' },
    since: { type: 'string' },
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
