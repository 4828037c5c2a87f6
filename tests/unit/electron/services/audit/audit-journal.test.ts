import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../../../../shared/contract/history';
import { fail, ok } from '../../../../../shared/contract/result';
import { AUDIT_JOURNAL_DIR, createAuditJournal, createJournaledAuditStore, type BatchAuditStore } from '../../../../../electron/services/audit/audit-journal';
import { matches } from '../../../../../electron/services/audit/audit-store';
import { silentLogger } from '../../../../../electron/services/log';

const entry = (i: number): AuditEntry => ({
  id: `00000000-0000-4000-8000-00000000000${i}`,
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  station: 'bench-a',
  runId: 'run',
  operator: 'tester',
  door: 'test',
  device: { name: `169.254.20.${i}`, addresses: [`169.254.20.${i}`] },
  devCert: { name: 'dev' },
  updateCert: { name: 'upd' },
  stages: [],
  result: 'passed',
  stage: 'done',
  durationMs: 1,
});

/** A stand-in for the database store (the real one is tested against PostgreSQL in tests/integration/database): keeps entries by id. */
function remoteStore() {
  const rows = new Map<string, AuditEntry>();
  let up = true;
  const down = fail('database-unreachable', 'the shared database postgres://pws@db/pws is unreachable (ECONNREFUSED)');
  const store: BatchAuditStore = {
    kind: 'database',
    location: 'postgres://pws@db/pws',
    append: async (e) => (up ? (rows.set(e.id!, e), ok(undefined)) : down),
    appendMany: async (es) => {
      if (!up) return down;
      const before = rows.size;
      for (const e of es) rows.set(e.id!, e);
      return ok({ added: rows.size - before });
    },
    list: async () => (up ? ok([...rows.values()].reverse()) : down),
    listJson: async () => (up ? ok([...rows.values()].reverse().map((e) => JSON.stringify(e))) : down),
    waitingToSync: async () => 0,
  };
  return { store, rows, setUp: (v: boolean) => (up = v) };
}

describe('the local journal in front of the database', () => {
  it('keeps what the database cannot take, sends it first when it answers, oldest first, and then removes it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pws-journal-'));
    const remote = remoteStore();
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (m: string) => warnings.push(m) };
    const store = createJournaledAuditStore(remote.store, createAuditJournal(dataDir, log), log);
    remote.setUp(false);
    expect(await store.append(entry(1))).toEqual(ok(undefined));
    expect(await store.append(entry(2))).toEqual(ok(undefined));
    expect(await store.waitingToSync()).toBe(2);
    expect(warnings[0]).toMatch(/is unreachable \(ECONNREFUSED\): the history entry for 169\.254\.20\.1 waits in the local journal/);
    remote.setUp(true);
    await store.append(entry(3));
    expect([...remote.rows.keys()].map((id) => id.slice(-1))).toEqual(['1', '2', '3']);
    expect(await readdir(join(dataDir, AUDIT_JOURNAL_DIR))).toEqual([]);
  });

  it('a journal file that is JSON but no entry is skipped with a warning, not sent to the database', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pws-journal-'));
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (m: string) => warnings.push(m) };
    const journal = createAuditJournal(dataDir, log);
    await journal.add(entry(1));
    await writeFile(join(dataDir, AUDIT_JOURNAL_DIR, '2026-01-01T00-00-09-000Z-x.json'), JSON.stringify({ time: 'x', device: null }));
    expect((await journal.read()).map((j) => j.entry)).toEqual([entry(1)]);
    expect(warnings).toEqual([expect.stringMatching(/skipping .*-x\.json in the history journal: it is not a history entry$/)]);
  });

  it('reports both failures when the journal cannot be written either', async () => {
    const remote = remoteStore();
    remote.setUp(false);
    const notAFolder = join(await mkdtemp(join(tmpdir(), 'pws-journal-')), 'a-file');
    await writeFile(notAFolder, '');
    const store = createJournaledAuditStore(remote.store, createAuditJournal(notAFolder, silentLogger), silentLogger);
    const r = await store.append(entry(1));
    expect(r).toMatchObject({ ok: false, code: 'audit-unwritable' });
    expect(!r.ok && r.message).toMatch(/is unreachable .*; and could not keep the history entry in the local journal/);
  });
});

describe('history filters', () => {
  it('count a line without a station as this station’s', () => {
    const { station: _none, ...local } = entry(1);
    expect(matches(local, { station: 'BENCH-1' }, 'bench-1')).toBe(true);
    expect(matches(local, { station: 'bench-2' }, 'bench-1')).toBe(false);
    expect(matches(entry(1), { station: 'bench-1' }, 'bench-1')).toBe(false);
    expect(matches(entry(1), { since: '2026-01-01T00:00:02Z' })).toBe(false);
    expect(matches(entry(2), { since: '2026-01-01T00:00:02Z' })).toBe(true);
  });
});
