import { open, stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { IdentityDevice, IdentityErrorCode, IdentityFilter, IdentityRecord } from '../../../shared/contract/identities';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { expandEndpointTemplate } from '../../../shared/domain/endpoint-name';
import { withFileLock } from './file-lock';
import { matchesFilter, refusalFor } from './identity-rules';
import { sameDevice, type IdentityStore, type ReserveRequest, type SettleOutcome } from './identity-store';
import { makeFolders } from '../fs/user-paths';
import { RegistryEventSchema, type RegistryEvent } from './registry-events';

export const IDENTITIES_FILE = 'identities.jsonl';

/** A change, decided on the in-memory state: the events to append and what to answer once they are on disk. */
type Change<T> = Result<{ events: RegistryEvent[]; answer: () => T }, IdentityErrorCode>;

interface Pending {
  decide(): Change<unknown>;
  resolve(result: Result<unknown, IdentityErrorCode>): void;
}

/**
 * The identity registry as an append-only JSON-lines file in the app-data folder, like the audit log. Changes are
 * decided under a lock (file-lock.ts) shared with the other processes of this station, after reading whatever they appended
 * meanwhile, and written as whole lines with one flush for all the changes waiting at that moment (a run's devices
 * reserve at nearly the same time: one fsync instead of eight). A torn last line (power loss mid-write) is skipped,
 * and the next line starts on a line of its own.
 */
export function createLocalIdentityStore(dataDir: string): IdentityStore {
  const file = join(dataDir, IDENTITIES_FILE);
  const lockPath = `${file}.lock`;
  const records = new Map<string, IdentityRecord>();
  let maxSeq = 0;
  /** Bytes of the file already folded into `records`. */
  let offset = 0;
  /** The file ends in the middle of a line (a torn write). */
  let tornTail = false;
  /** Lines read so far, and those that parse as JSON but are no registry event (hand-edited, or written by something else). */
  let lineNumber = 0;
  let notAnEvent: number[] = [];
  let pending: Pending[] = [];
  let draining: Promise<void> | undefined;
  let reads: Promise<unknown> = Promise.resolve();

  function apply(e: RegistryEvent): void {
    if (e.type === 'reserved') {
      const { type: _t, time, ...rest } = e;
      records.set(e.id, { ...rest, state: 'reserved', reservedAt: time });
      maxSeq = Math.max(maxSeq, e.seq);
      const old = e.reissueOf ? records.get(e.reissueOf) : undefined;
      if (old) old.supersededBy = e.id;
      return;
    }
    const r = records.get(e.id);
    if (!r) return;
    if (e.type === 'issued') {
      r.state = 'issued';
      r.certificate = e.certificate;
      r.issuedAt = e.time;
    } else {
      r.state = e.confirmed ? 'confirmed' : 'unconfirmed';
      r.settledAt = e.time;
      if (e.reason) r.reason = e.reason;
      if (e.hostKeyFingerprint) r.device = { ...r.device, hostKeyFingerprint: e.hostKeyFingerprint };
    }
  }

  /** Folds what was appended since the last read (by this or another process). */
  async function catchUp(): Promise<void> {
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (size <= offset) return;
    const fh = await open(file, 'r');
    let text: string;
    try {
      const buf = Buffer.alloc(size - offset);
      await fh.read(buf, 0, buf.length, offset);
      text = buf.toString('utf8');
    } finally {
      await fh.close();
    }
    const complete = text.lastIndexOf('\n') + 1;
    for (const line of text.slice(0, complete).split('\n')) {
      lineNumber++;
      if (!line.trim()) continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        continue; // a line torn by a crash and completed by a later append: skip it, keep the rest
      }
      const event = RegistryEventSchema.safeParse(json);
      if (event.success) apply(event.data);
      else notAnEvent.push(lineNumber);
    }
    lineNumber--; // the text after the last newline is not a line yet
    offset += Buffer.byteLength(text.slice(0, complete));
    tornTail = complete < text.length;
  }

  /** After a failed write the memory may hold events the file does not: read the file again from the start. */
  async function reload(): Promise<void> {
    records.clear();
    maxSeq = 0;
    offset = 0;
    tornTail = false;
    lineNumber = 0;
    notAnEvent = [];
    await catchUp().catch(() => undefined);
  }

  async function appendLines(events: readonly RegistryEvent[]): Promise<void> {
    await makeFolders(dataDir);
    const fh = await open(file, 'a', 0o600);
    try {
      await fh.appendFile(`${tornTail ? '\n' : ''}${events.map((e) => `${JSON.stringify(e)}\n`).join('')}`);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  /** Decides every waiting change in order on the up-to-date state, then writes them all with one flush. */
  async function drain(): Promise<void> {
    while (pending.length) {
      const batch = pending;
      pending = [];
      await reads;
      try {
        await withFileLock(lockPath, async () => {
          await catchUp();
          const decided = batch.map((p) => {
            const made = p.decide();
            if (made.ok) made.value.events.forEach(apply);
            return made;
          });
          const events = decided.flatMap((c) => (c.ok ? c.value.events : []));
          if (events.length) {
            try {
              await appendLines(events);
              // Under the lock nobody else wrote: the file is what was read plus these lines, already applied.
              offset = (await stat(file)).size;
              tornTail = false;
            } catch (err) {
              await reload();
              throw err;
            }
          }
          batch.forEach((p, i) => {
            const c = decided[i]!;
            p.resolve(c.ok ? ok(c.value.answer()) : c);
          });
        });
      } catch (err) {
        const failure = fail('registry-unwritable', `could not update the identity registry ${file}: ${(err as Error).message}`);
        for (const p of batch) p.resolve(failure);
      }
    }
  }

  /** A change made under the lock, on the state as every process of this station last wrote it. */
  function change<T>(decide: () => Change<T>): Promise<Result<T, IdentityErrorCode>> {
    return new Promise((resolve) => {
      pending.push({ decide, resolve: resolve as Pending['resolve'] });
      draining ??= drain().finally(() => (draining = undefined));
    });
  }

  const read = <T>(work: () => T): Promise<Result<T, IdentityErrorCode>> => {
    const r = (draining ?? Promise.resolve()).then(async () => {
      try {
        await catchUp();
        return ok(work());
      } catch (err) {
        return fail('registry-unreadable', `could not read the identity registry ${file}: ${(err as Error).message}`);
      }
    });
    reads = r;
    return r;
  };

  const live = () => [...records.values()].filter((r) => !r.supersededBy);
  const liveOf = (device: IdentityDevice) =>
    live()
      .filter((r) => sameDevice(r.device, device))
      .at(-1) ?? null;
  const snapshot = (r: IdentityRecord): IdentityRecord => structuredClone(r);

  function transition(id: string, from: IdentityRecord['state'], doing: string): Result<IdentityRecord, IdentityErrorCode> {
    const r = records.get(id);
    if (!r) return fail('identity-not-found', `the identity registry ${file} has no record ${id}`);
    if (r.state !== from || r.supersededBy)
      return fail('identity-not-found', `cannot ${doing} the identity ${r.endpointName}: it is ${r.supersededBy ? 'superseded' : r.state}`);
    return ok(r);
  }

  return {
    location: file,

    reserve(request: ReserveRequest) {
      return change(() => {
        // A record the store could not read might be this board's identity, or hold a higher {seq}.
        if (notAnEvent.length)
          return fail(
            'registry-unreadable',
            `the identity registry ${file} has line${notAnEvent.length === 1 ? '' : 's'} ${notAnEvent.slice(0, 5).join(', ')} that ${notAnEvent.length === 1 ? 'is' : 'are'} not a registry record, so no identity is issued (it could repeat one): restore the file from a backup, or remove ${notAnEvent.length === 1 ? 'that line' : 'those lines'} if you know what they held`,
          );
        const current = liveOf(request.device);
        const refusal = current && refusalFor(current, request);
        if (refusal) return refusal;
        let seq: number;
        let endpointName: string;
        if (current) {
          ({ seq, endpointName } = current);
        } else {
          seq = maxSeq + 1;
          const expanded = expandEndpointTemplate(request.template, { ...request.values, seq });
          if (!expanded.ok) return fail('endpoint-name-invalid', expanded.message);
          endpointName = expanded.name;
          const owner = [...records.values()].find((r) => r.endpointName.toLowerCase() === endpointName.toLowerCase());
          if (owner) {
            return fail(
              'endpoint-name-taken',
              `the endpoint name "${endpointName}" is already the identity of ${owner.device.hostname ?? owner.device.id} (run ${owner.runId}): each device needs its own name, so use a template with {seq} or {uuid}`,
              { record: snapshot(owner) },
            );
          }
        }
        const id = randomUUID();
        const event: RegistryEvent = {
          type: 'reserved',
          id,
          seq,
          endpointName,
          ca: request.ca,
          device: request.device,
          runId: request.runId,
          operator: request.operator,
          station: request.station,
          ...(current ? { reissueOf: current.id } : {}),
          time: request.time.toISOString(),
        };
        return ok({ events: [event], answer: () => snapshot(records.get(id)!) });
      });
    },

    recordIssued(id, certificate, time) {
      return change(() => {
        const r = transition(id, 'reserved', 'record the certificate of');
        if (!r.ok) return r;
        return ok({ events: [{ type: 'issued', id, certificate, time: time.toISOString() }], answer: () => snapshot(r.value) });
      });
    },

    settle(id, outcome: SettleOutcome) {
      return change(() => {
        const r = transition(id, 'issued', 'settle');
        if (!r.ok) return r;
        const event: RegistryEvent = {
          type: 'settled',
          id,
          confirmed: outcome.confirmed,
          ...(outcome.reason ? { reason: outcome.reason } : {}),
          ...(outcome.hostKeyFingerprint ? { hostKeyFingerprint: outcome.hostKeyFingerprint } : {}),
          time: outcome.time.toISOString(),
        };
        return ok({ events: [event], answer: () => snapshot(r.value) });
      });
    },

    list(filter: IdentityFilter = {}) {
      return read(() => {
        const hits = [...records.values()]
          .filter((r) => matchesFilter(r, filter))
          .reverse()
          .map(snapshot);
        return filter.limit ? hits.slice(0, filter.limit) : hits;
      });
    },

    liveIdentityOf(device) {
      return read(() => {
        const r = liveOf(device);
        return r ? snapshot(r) : null;
      });
    },

    async close() {
      await draining;
      await reads;
    },
  };
}
