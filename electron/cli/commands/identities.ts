import type { IdentityFilter, IdentityRecord } from '../../../shared/contract/identities';
import { sinceFlag } from '../since-flag';
import { IdentityFilterSchema } from '../../../shared/contract/identities';
import { print, unwrap, usageError, type CliCommand, type CliContext } from '../command';
import { issueInWords } from '../../../shared/contract/issue-words';

const STATE_TEXT: Record<IdentityRecord['state'], string> = {
  reserved: 'reserved (nothing signed)',
  issued: 'issued, not confirmed',
  confirmed: 'confirmed',
  unconfirmed: 'NOT CONFIRMED',
};
const stateText = (r: IdentityRecord) => `${STATE_TEXT[r.state]}${r.supersededBy ? ', re-issued later' : ''}`;
const device = (r: IdentityRecord) => r.device.hostname ?? r.device.id;

function table(records: IdentityRecord[]): string {
  if (records.length === 0) return 'No identities in the registry match.';
  const rows = [
    ['ENDPOINT NAME', 'SEQ', 'DEVICE', 'STATE', 'ISSUED', 'RUN'],
    ...records.map((r) => [r.endpointName, String(r.seq), device(r), stateText(r), (r.issuedAt ?? r.reservedAt).slice(0, 19).replace('T', ' '), r.runId]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

function detail(r: IdentityRecord): string {
  const lines: Array<[string, string | undefined]> = [
    ['Endpoint name', r.endpointName],
    ['Sequence number', String(r.seq)],
    ['State', stateText(r)],
    ['Reason', r.reason],
    ['Enrollment identity', r.certificate?.enrollmentIdentity],
    ['Certificate SHA-256', r.certificate?.fingerprint],
    ['Serial number', r.certificate?.serial],
    ['Valid until', r.certificate?.notAfter],
    ['CA', `${r.ca.name} (SHA-256 ${r.ca.fingerprint})`],
    ['Device', `${device(r)} (${[...new Set([r.device.id, ...r.device.addresses])].join(', ')})`],
    ['Host key', r.device.hostKeyFingerprint],
    ['Run', r.runId],
    ['Operator', `${r.operator} on ${r.station}`],
    ['Reserved', r.reservedAt],
    ['Issued', r.issuedAt],
    ['Settled', r.settledAt],
    ['Re-issue of', r.reissueOf],
    ['Re-issued by', r.supersededBy],
  ];
  return lines
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `  ${`${k}:`.padEnd(22)}${v}`)
    .join('\n');
}

function filterFrom(ctx: CliContext): IdentityFilter {
  const raw = {
    ...(typeof ctx.values.device === 'string' ? { device: ctx.values.device } : {}),
    ...(typeof ctx.values.run === 'string' ? { runId: ctx.values.run } : {}),
    ...(ctx.values.since !== undefined ? { since: sinceFlag(ctx.values.since) } : {}),
  };
  const parsed = IdentityFilterSchema.safeParse(raw);
  if (!parsed.success) throw usageError(`--${String(parsed.error.issues[0]!.path[0]).replace('runId', 'run')}: ${issueInWords(parsed.error.issues[0]!)}`);
  return parsed.data;
}

export const identitiesCommand: CliCommand = {
  usage: 'identities (list [--device ADDRESS] [--run RUN_ID] [--since DATE] | show ENDPOINT_NAME) [--json]',
  description: [
    'The identity registry: one record per identity issued from your own CA (pws provision --ca).',
    '  list                  every record, newest first: endpoint name, seq, device, state, when, run;',
    '                        --device matches a host name or address (part of it), --run a run id,',
    '                        --since a date (2025-01-31) or time',
    '  show ENDPOINT_NAME    every record of one endpoint name (its first issue and any re-issues), in full',
    'States: confirmed (the device stored it and passed --get-pelion-status), NOT CONFIRMED (the device step',
    'failed: re-issue it on that device with pws provision --ca … --reissue), issued, not confirmed (the run did',
    'not finish), reserved (the run stopped before signing: nothing was issued).',
  ].join('\n'),
  options: {
    device: { type: 'string' },
    run: { type: 'string' },
    since: { type: 'string' },
  },
  async run(ctx) {
    const [verb, ...rest] = ctx.positionals;
    const identities = () => ctx.core().services.identities;
    if (verb === 'list') {
      if (rest.length) throw usageError(`unexpected argument "${rest[0]}": usage: pws identities list [--device ADDRESS] [--run RUN_ID]`);
      const records = unwrap(await identities().list(filterFrom(ctx)));
      print(ctx, records, () => table(records));
      return;
    }
    if (verb === 'show') {
      if (rest.length !== 1) throw usageError('usage: pws identities show ENDPOINT_NAME');
      const records = unwrap(await identities().show(rest[0]!));
      print(ctx, records, () => records.map((r, i) => `${i === 0 ? 'Current' : 'Earlier'} record ${r.id}:\n${detail(r)}`).join('\n\n'));
      return;
    }
    throw usageError(verb ? `unknown identities verb "${verb}": use list or show` : `usage: pws ${identitiesCommand.usage}`);
  },
};
