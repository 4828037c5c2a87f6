import type { AuditEntry, HistoryFilter } from '../../../shared/contract/history';
import { sinceFlag } from '../since-flag';
import { HistoryFilterSchema } from '../../../shared/contract/history';
import { unwrap, usageError, type CliCommand, type CliContext } from '../command';
import { issueInWords } from '../../../shared/contract/issue-words';

function filterOf(ctx: CliContext): HistoryFilter {
  const v = ctx.values;
  const result = v.result as string | undefined;
  if (result !== undefined && !['passed', 'failed', 'cancelled'].includes(result))
    throw usageError(`--result: "${result}" must be passed, failed or cancelled`);
  const limit = v.limit === undefined ? undefined : Number(v.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 100_000))
    throw usageError(`--limit: "${String(v.limit)}" must be a whole number from 1 to 100000`);
  const filter = {
    ...(v.device !== undefined ? { device: String(v.device) } : {}),
    ...(v.station !== undefined ? { station: String(v.station) } : {}),
    ...(result ? { result: result as HistoryFilter['result'] } : {}),
    ...(v.run !== undefined ? { runId: String(v.run) } : {}),
    ...(v.since !== undefined ? { since: sinceFlag(v.since) } : {}),
    ...(limit ? { limit } : {}),
  };
  const checked = HistoryFilterSchema.safeParse(filter);
  if (!checked.success) throw usageError(`--${checked.error.issues[0]?.path.join('.')}: ${issueInWords(checked.error.issues[0]!)}`);
  return checked.data;
}

const line = (e: AuditEntry) =>
  [
    e.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    e.station ?? '(this station)',
    e.operator,
    e.device.hostname ?? e.device.name,
    e.result === 'passed' ? 'passed' : `${e.result} at ${e.stage}${e.error ? ` [${e.error.code}]` : ''}`,
    `${(e.durationMs / 1000).toFixed(1)} s`,
  ].join('  ');

/**
 * `{ entries, waitingToSync }` written from the entries' stored JSON text, one entry a line and a few hundred
 * lines a write: tens of thousands of entries are never parsed, serialised again or held as one string.
 */
function writeJson(ctx: CliContext, entries: string[], waitingToSync: number): void {
  const BATCH = 500;
  ctx.stdout.write('{\n  "entries": [');
  for (let i = 0; i < entries.length; i += BATCH) ctx.stdout.write(`${i ? ',' : ''}\n    ${entries.slice(i, i + BATCH).join(',\n    ')}`);
  ctx.stdout.write(`${entries.length ? '\n  ' : ''}],\n  "waitingToSync": ${waitingToSync}\n}\n`);
}

export const historyCommand: CliCommand = {
  usage: 'history [--device ADDRESS] [--station NAME] [--result passed|failed|cancelled] [--since DATE] [--run RUN_ID] [--limit N] [--json]',
  description: [
    'Lists provisioning attempts, newest first, from the store in use: the local audit log, or the shared',
    "database with every station's history (PWS_DATABASE_URL or the database.url setting).",
    '  --device ADDRESS   name, host name or address contains this (case-insensitive)',
    '  --station NAME     written by this station (its name, whole)',
    '  --result R         passed, failed or cancelled',
    '  --since DATE       at or after YYYY-MM-DD (local midnight) or an ISO date-time',
    '  --run RUN_ID       one provisioning run',
    '  --limit N          at most N entries',
    '--json prints { entries: [...], waitingToSync }.',
  ].join('\n'),
  usesCore: false,
  options: {
    device: { type: 'string' },
    station: { type: 'string' },
    result: { type: 'string' },
    since: { type: 'string' },
    run: { type: 'string' },
    limit: { type: 'string' },
  },
  async run(ctx) {
    if (ctx.positionals.length) throw usageError(`unexpected argument "${ctx.positionals[0]}": filters are flags, e.g. --device ${ctx.positionals[0]}`);
    const filter = filterOf(ctx);
    const { audit } = await ctx.storage();
    // First: it sends what waits, and says what is still waiting even when the database can't be read.
    const sync = unwrap(await audit.syncStatus());
    if (sync.waitingToSync) ctx.stderr.write(`pws: ${sync.waitingToSync} entr${sync.waitingToSync === 1 ? 'y' : 'ies'} waiting to sync to ${sync.location}\n`);
    if (ctx.json) return writeJson(ctx, unwrap(await audit.listJson(filter)), sync.waitingToSync);
    const entries = unwrap(await audit.list(filter));
    ctx.stdout.write(`${entries.length ? entries.map(line).join('\n') : 'no provisioning attempts match'}\n`);
  },
};
