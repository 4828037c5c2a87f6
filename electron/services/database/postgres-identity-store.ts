import { randomUUID } from 'node:crypto';
import type { IdentityDevice, IdentityErrorCode, IdentityFilter, IdentityRecord } from '../../../shared/contract/identities';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { expandEndpointTemplate } from '../../../shared/domain/endpoint-name';
import { refusalFor } from '../identities/identity-rules';
import type { IdentityStore } from '../identities/identity-store';
import type { Database, Queryable } from './database';
import { databaseFailure } from './database-errors';

/** Any fixed number: reservations from every station take turns, so the generous device match sees them all. */
const RESERVE_LOCK = 0x70777332;

/** The device the schema's "one live identity per device" knows: its host name, else the run's device key. */
export const deviceKeyOf = (d: IdentityDevice) => (d.hostname ?? d.id).toLowerCase();
const deviceText = (d: IdentityDevice) => [d.id, d.hostname ?? '', ...d.addresses].map((s) => s.toLowerCase()).join('\n');

interface Row {
  id: string;
  seq: string;
  endpoint_name: string;
  state: IdentityRecord['state'];
  device: IdentityRecord['device'];
  certificate: IdentityRecord['certificate'] | null;
  ca: IdentityRecord['ca'];
  run_id: string;
  operator: string;
  station: string;
  reserved_at: Date;
  issued_at: Date | null;
  settled_at: Date | null;
  reason: string | null;
  reissue_of: string | null;
  superseded_by: string | null;
}

function recordOf(r: Row): IdentityRecord {
  return {
    id: r.id,
    seq: Number(r.seq),
    endpointName: r.endpoint_name,
    state: r.state,
    ...(r.certificate ? { certificate: r.certificate } : {}),
    ca: r.ca,
    device: r.device,
    runId: r.run_id,
    operator: r.operator,
    station: r.station,
    reservedAt: r.reserved_at.toISOString(),
    ...(r.issued_at ? { issuedAt: r.issued_at.toISOString() } : {}),
    ...(r.settled_at ? { settledAt: r.settled_at.toISOString() } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.reissue_of ? { reissueOf: r.reissue_of } : {}),
    ...(r.superseded_by ? { supersededBy: r.superseded_by } : {}),
  };
}

/** `sameDevice()` of identity-store.ts as SQL: the same host key, host name or device key, or an address in common. */
const SAME_DEVICE = `(
  ($1::text IS NOT NULL AND device->>'hostKeyFingerprint' = $1)
  OR ($2::text IS NOT NULL AND lower(device->>'hostname') = lower($2))
  OR lower(device->>'id') = lower($3)
  OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(device->'addresses') AS a WHERE lower(a) = ANY ($4::text[])))`;
const sameDeviceParams = (d: IdentityDevice) => [d.hostKeyFingerprint ?? null, d.hostname ?? null, d.id, d.addresses.map((a) => a.toLowerCase())];

async function liveOf(q: Queryable, device: IdentityDevice): Promise<IdentityRecord | null> {
  const r = await q.query<Row>(
    `SELECT * FROM pws_identities WHERE superseded_by IS NULL AND ${SAME_DEVICE} ORDER BY row_order DESC LIMIT 1`,
    sameDeviceParams(device),
  );
  return r.rows[0] ? recordOf(r.rows[0]) : null;
}

function whereOf(filter: IdentityFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const clauses: string[] = [];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (filter.liveOnly) clauses.push('superseded_by IS NULL');
  if (filter.runId) add((p) => `run_id = ${p}`, filter.runId);
  if (filter.endpointName) add((p) => `endpoint_name = ${p}`, filter.endpointName);
  if (filter.station) add((p) => `lower(station) = lower(${p})`, filter.station);
  if (filter.since) add((p) => `reserved_at >= ${p}`, new Date(Date.parse(filter.since)).toISOString());
  if (filter.until) add((p) => `reserved_at < ${p}`, new Date(Date.parse(filter.until)).toISOString());
  if (filter.device) add((p) => `strpos(device_text, lower(${p})) > 0`, filter.device);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

const INSERT = `INSERT INTO pws_identities
  (id, seq, endpoint_name, state, device_key, device, device_text, certificate, ca, run_id, operator, station, reserved_at, issued_at, settled_at, reason, reissue_of, superseded_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`;

const insertParams = (r: IdentityRecord) => [
  r.id,
  r.seq,
  r.endpointName,
  r.state,
  deviceKeyOf(r.device),
  JSON.stringify(r.device),
  deviceText(r.device),
  r.certificate ? JSON.stringify(r.certificate) : null,
  JSON.stringify(r.ca),
  r.runId,
  r.operator,
  r.station,
  r.reservedAt,
  r.issuedAt ?? null,
  r.settledAt ?? null,
  r.reason ?? null,
  r.reissueOf ?? null,
  r.supersededBy ?? null,
];

/**
 * The identity registry in the shared database (migration 2). Every change is one transaction; a reservation
 * takes `{seq}` from the sequence before anything is signed, so an identity never exists without its record,
 * and when the database can't be reached nothing is issued: the error names the database.
 */
export function createPostgresIdentityStore(
  db: Database,
): IdentityStore & { importRecords(records: readonly IdentityRecord[]): Promise<Result<{ added: number }>> } {
  const failure = (err: unknown, code: 'registry-unreadable' | 'registry-unwritable'): Result<never, IdentityErrorCode> => {
    const f = databaseFailure(err, db.target);
    const constraint = (err as { constraint?: string }).constraint;
    if (constraint === 'pws_identities_live_endpoint_name')
      return fail('endpoint-name-taken', `${f.message}: another station took this endpoint name at the same moment; run again for this device`);
    if (constraint === 'pws_identities_live_device')
      return fail('identity-exists', `${f.message}: another station gave this device an identity at the same moment`);
    return fail(code, `the identity registry could not be ${code === 'registry-unreadable' ? 'read' : 'updated'}: ${f.message}`);
  };

  async function transition(
    id: string,
    from: IdentityRecord['state'],
    doing: string,
    update: string,
    params: unknown[],
  ): Promise<Result<IdentityRecord, IdentityErrorCode>> {
    try {
      const r = await db.query<Row>(`UPDATE pws_identities SET ${update} WHERE id = $1 AND state = '${from}' AND superseded_by IS NULL RETURNING *`, [
        id,
        ...params,
      ]);
      if (r.rows[0]) return ok(recordOf(r.rows[0]));
      const found = await db.query<Row>('SELECT * FROM pws_identities WHERE id = $1', [id]);
      const row = found.rows[0];
      if (!row) return fail('identity-not-found', `the identity registry ${db.target} has no record ${id}`);
      return fail('identity-not-found', `cannot ${doing} the identity ${row.endpoint_name}: it is ${row.superseded_by ? 'superseded' : row.state}`);
    } catch (err) {
      return failure(err, 'registry-unwritable');
    }
  }

  return {
    location: db.target,

    async reserve(request) {
      try {
        return await db.transaction(async (q): Promise<Result<IdentityRecord, IdentityErrorCode>> => {
          await q.query('SELECT pg_advisory_xact_lock($1)', [RESERVE_LOCK]);
          const current = await liveOf(q, request.device);
          const refusal = current && refusalFor(current, request);
          if (refusal) return refusal;
          let seq: number;
          let endpointName: string;
          if (current) {
            ({ seq, endpointName } = current);
          } else {
            seq = Number((await q.query<{ seq: string }>(`SELECT nextval('pws_identity_seq') AS seq`)).rows[0]!.seq);
            const expanded = expandEndpointTemplate(request.template, { ...request.values, seq });
            if (!expanded.ok) return fail('endpoint-name-invalid', expanded.message);
            endpointName = expanded.name;
            const owner = (await q.query<Row>('SELECT * FROM pws_identities WHERE lower(endpoint_name) = lower($1) ORDER BY row_order LIMIT 1', [endpointName]))
              .rows[0];
            if (owner) {
              const record = recordOf(owner);
              return fail(
                'endpoint-name-taken',
                `the endpoint name "${endpointName}" is already the identity of ${record.device.hostname ?? record.device.id} (run ${record.runId}, station ${record.station}): each device needs its own name, so use a template with {seq} or {uuid}`,
                { record },
              );
            }
          }
          const record: IdentityRecord = {
            id: randomUUID(),
            seq,
            endpointName,
            state: 'reserved',
            ca: request.ca,
            device: request.device,
            runId: request.runId,
            operator: request.operator,
            station: request.station,
            reservedAt: request.time.toISOString(),
            ...(current ? { reissueOf: current.id } : {}),
          };
          if (current) await q.query('UPDATE pws_identities SET superseded_by = $2 WHERE id = $1', [current.id, record.id]);
          await q.query(INSERT, insertParams(record));
          return ok(record);
        });
      } catch (err) {
        return failure(err, 'registry-unwritable');
      }
    },

    recordIssued: (id, certificate, time) =>
      transition(id, 'reserved', 'record the certificate of', `state = 'issued', certificate = $2, issued_at = $3`, [
        JSON.stringify(certificate),
        time.toISOString(),
      ]),

    settle: (id, outcome) =>
      transition(
        id,
        'issued',
        'settle',
        `state = $2, settled_at = $3, reason = $4,
         device = CASE WHEN $5::text IS NULL THEN device ELSE device || jsonb_build_object('hostKeyFingerprint', $5::text) END`,
        [outcome.confirmed ? 'confirmed' : 'unconfirmed', outcome.time.toISOString(), outcome.reason ?? null, outcome.hostKeyFingerprint ?? null],
      ),

    async list(filter = {}) {
      const where = whereOf(filter);
      try {
        const r = await db.query<Row>(
          `SELECT * FROM pws_identities ${where.sql} ORDER BY row_order DESC ${filter.limit ? `LIMIT ${Number(filter.limit)}` : ''}`,
          where.params,
        );
        return ok(r.rows.map(recordOf));
      } catch (err) {
        return failure(err, 'registry-unreadable');
      }
    },

    async liveIdentityOf(device) {
      try {
        return ok(await liveOf(db, device));
      } catch (err) {
        return failure(err, 'registry-unreadable');
      }
    },

    /** Records from a station's local registry, as they are (ids, `{seq}`, states); ones already here are skipped. */
    async importRecords(records) {
      try {
        return await db.transaction(async (q): Promise<Result<{ added: number }>> => {
          let added = 0;
          for (const r of records) {
            if (!r.supersededBy) {
              const clash = (
                await q.query<Row>(
                  'SELECT * FROM pws_identities WHERE superseded_by IS NULL AND id <> $1 AND (lower(endpoint_name) = lower($2) OR device_key = $3 OR seq = $4) LIMIT 1',
                  [r.id, r.endpointName, deviceKeyOf(r.device), r.seq],
                )
              ).rows[0];
              if (clash) {
                return fail(
                  'registry-unwritable',
                  `the local identity "${r.endpointName}" ({seq} ${r.seq}, ${r.device.hostname ?? r.device.id}) clashes with "${clash.endpoint_name}" ({seq} ${clash.seq}) already in ${db.target} from station ${clash.station}: nothing was imported; re-issue one of them on its device first`,
                );
              }
            }
            added += (await q.query(`${INSERT} ON CONFLICT (id) DO NOTHING`, insertParams(r))).rowCount ?? 0;
          }
          // The sequence goes on after the highest {seq} now in the registry, so no number is handed out twice.
          await q.query(`SELECT setval('pws_identity_seq', m) FROM (SELECT max(seq) AS m FROM pws_identities) AS top
                         WHERE m > (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM pws_identity_seq)`);
          return ok({ added });
        });
      } catch (err) {
        return failure(err, 'registry-unwritable');
      }
    },

    async close() {},
  };
}
