import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryFilter } from '../../../shared/contract/history';
import { createCore, defaultCoreDeps } from '../../../electron/services/composition';
import { AUDIT_JOURNAL_DIR } from '../../../electron/services/audit/audit-journal';
import { startThrowawayCluster, type ThrowawayCluster } from '../../support/postgres';
import { auditEntry, stationCore } from './support';

let cluster: ThrowawayCluster;
beforeAll(async () => {
  cluster = await startThrowawayCluster();
}, 120_000);
afterAll(() => cluster?.destroy());

/** A migrated database of its own for one test. */
async function freshDatabase(name: string): Promise<string> {
  const url = await cluster.createDatabase(name);
  const { core } = await stationCore('migrator', { PWS_DATABASE_URL: url });
  const m = await core.services.database.migrate();
  await core.close();
  if (!m.ok) throw new Error(m.message);
  return url;
}

const rowCount = async (db: string) => Number((await cluster.psql(db, 'SELECT count(*) FROM pws_audit_entries')).trim());

describe('history in the shared database', () => {
  it('two stations write to it and either one lists both, newest first, with the station on every entry', async () => {
    const url = await freshDatabase('two_stations');
    const a = await stationCore('bench-a', { PWS_DATABASE_URL: url });
    const b = await stationCore('bench-b', { PWS_DATABASE_URL: url });
    await Promise.all([1, 3, 5].map((i) => a.core.services.audit.append(auditEntry(i))));
    await Promise.all([2, 4, 6].map((i) => b.core.services.audit.append(auditEntry(i))));
    for (const { core } of [a, b]) {
      const all = await core.services.audit.list();
      if (!all.ok) throw new Error(all.message);
      expect(all.value.map((e) => [e.device.name, e.station])).toEqual([6, 5, 4, 3, 2, 1].map((i) => [`169.254.20.${i}`, i % 2 ? 'bench-a' : 'bench-b']));
      expect(all.value.every((e) => e.id && e.operator === 'tester')).toBe(true);
    }
    const onlyB = await a.core.services.audit.list({ station: 'BENCH-B' });
    expect(onlyB.ok && onlyB.value.map((e) => e.device.name)).toEqual(['169.254.20.6', '169.254.20.4', '169.254.20.2']);
    // nothing was written to either station's local audit file
    for (const s of [a, b]) await expect(readdir(s.dataDir)).resolves.not.toContain('audit.jsonl');
    await Promise.all([a.core.close(), b.core.close()]);
  });

  it('filters exactly as the local file does: device, station, result, run, since, limit', async () => {
    const url = await freshDatabase('filters');
    const shared = await stationCore('bench-a', { PWS_DATABASE_URL: url });
    const localOnly = await stationCore('bench-a', {});
    for (let i = 1; i <= 24; i++) {
      await shared.core.services.audit.append(auditEntry(i));
      await localOnly.core.services.audit.append(auditEntry(i));
    }
    const filters: HistoryFilter[] = [
      {},
      { device: 'FE80::1' },
      { device: 'mbed-linux-os-2' },
      { result: 'failed' },
      { runId: 'run-1', result: 'passed' },
      { since: '2026-01-01T00:00:20Z' },
      { since: '2026-01-01T01:00:10+01:00', device: '169.254.20.1' },
      { station: 'bench-a', limit: 5 },
      { station: 'bench-b' },
    ];
    for (const filter of filters) {
      const fromDb = await shared.core.services.audit.list(filter);
      const fromFile = await localOnly.core.services.audit.list(filter);
      if (!fromDb.ok || !fromFile.ok) throw new Error(JSON.stringify([fromDb, fromFile]));
      expect(
        fromDb.value.map((e) => e.device.name),
        JSON.stringify(filter),
      ).toEqual(fromFile.value.map((e) => e.device.name));
      // The stored text (what `pws history --json` prints) is the same entries, in the same order, on either store.
      for (const [store, listed] of [
        [shared, fromDb],
        [localOnly, fromFile],
      ] as const) {
        const texts = await store.core.services.audit.listJson(filter);
        expect(texts.ok && texts.value.map((t) => JSON.parse(t) as unknown), JSON.stringify(filter)).toEqual(listed.value);
      }
    }
    await Promise.all([shared.core.close(), localOnly.core.close()]);
  });

  it('entries written while the database is down wait in the local journal and arrive exactly once', async () => {
    const url = await freshDatabase('journal');
    const station = await stationCore('bench-a', { PWS_DATABASE_URL: url });
    const audit = station.core.services.audit;
    await audit.append(auditEntry(1));
    await cluster.stop();
    try {
      for (const i of [2, 3, 4]) expect(await audit.append(auditEntry(i))).toEqual({ ok: true, value: undefined });
      expect(await audit.syncStatus()).toMatchObject({ ok: true, value: { store: 'database', waitingToSync: 3 } });
      const listed = await audit.list();
      expect(listed).toMatchObject({ ok: false, code: 'database-unreachable' });
      expect(!listed.ok && listed.message).toContain(url.replace(/\?.*/, ''));
    } finally {
      await cluster.start();
    }
    const journalDir = join(station.dataDir, AUDIT_JOURNAL_DIR);
    const kept = await mkdtemp(join(tmpdir(), 'pws-journal-copy-'));
    await cp(journalDir, kept, { recursive: true });

    expect(await audit.syncStatus()).toMatchObject({ ok: true, value: { waitingToSync: 0 } });
    expect(await readdir(journalDir)).toEqual([]);
    expect(await rowCount('journal')).toBe(4);
    // A crash between the database's commit and the journal's removal sends them again: still once each.
    await cp(kept, journalDir, { recursive: true });
    const again = await audit.list();
    expect(again.ok && again.value.map((e) => e.device.name)).toEqual(['169.254.20.4', '169.254.20.3', '169.254.20.2', '169.254.20.1']);
    expect(await rowCount('journal')).toBe(4);
    await station.core.close();
  }, 60_000);

  it('import-local copies the local history once: a second run adds nothing', async () => {
    const url = await freshDatabase('import_local');
    // History written before the station joined the database: the local file, as it always was.
    const before = await stationCore('bench-c', {});
    for (let i = 1; i <= 7; i++) await before.core.services.audit.append(auditEntry(i));
    await before.core.close();
    const localLines = (await readFile(join(before.dataDir, 'audit.jsonl'), 'utf8')).trim().split('\n');
    expect(localLines).toHaveLength(7);

    // The same station now points at the database.
    const core = createCore(defaultCoreDeps({ home: before.home, dataDir: before.dataDir, env: { PWS_DATABASE_URL: url } }));
    const first = await core.services.database.importLocal();
    expect(first).toEqual({ ok: true, value: { audit: { read: 7, added: 7 }, identities: { read: 0, added: 0 } } });
    const second = await core.services.database.importLocal();
    expect(second).toEqual({ ok: true, value: { audit: { read: 7, added: 0 }, identities: { read: 0, added: 0 } } });
    expect(await rowCount('import_local')).toBe(7);
    const listed = await core.services.audit.list({ station: 'bench-c' });
    expect(listed.ok && listed.value).toHaveLength(7);
    expect((await readFile(join(before.dataDir, 'audit.jsonl'), 'utf8')).trim().split('\n')).toEqual(localLines);
    await core.close();
  });

  it('writes at the same moment from a station that just started share one connection pool', async () => {
    const url = await freshDatabase('one_pool');
    const station = await stationCore('bench-pool', { PWS_DATABASE_URL: url });
    await Promise.all(Array.from({ length: 12 }, (_, i) => station.core.services.audit.append(auditEntry(i + 1))));
    expect(await rowCount('one_pool')).toBe(12);
    const connections = Number((await cluster.psql('postgres', "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pws bench-pool'")).trim());
    expect(connections).toBeGreaterThan(0);
    expect(connections).toBeLessThanOrEqual(4);
    await station.core.close();
  });

  it('asks the OS keychain for the password only when the server wants one (a trusted login never opens it)', async () => {
    const url = await freshDatabase('no_keychain');
    const home = await mkdtemp(join(tmpdir(), 'pws-no-keychain-'));
    let opened = 0;
    const core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: { PWS_DATABASE_URL: url } }), {
      secretBackend: async () => {
        opened += 1;
        throw new Error('the keychain was asked');
      },
    });
    expect(await core.services.audit.append(auditEntry(1))).toEqual({ ok: true, value: undefined });
    expect((await core.services.audit.list()).ok).toBe(true);
    expect(opened).toBe(0);
    await core.close();
  });
});
