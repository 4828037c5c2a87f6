import { mkdtemp } from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/contract/history';
import { AUDIT_JOURNAL_DIR } from '../../../electron/services/audit/audit-journal';
import { createCore, defaultCoreDeps } from '../../../electron/services/composition';
import { deviceAddress, labHeal, requireLabWorkstation, type LabState } from '../../lab/lab';
import { makeLabCertificates, pws, type LabCertificates } from '../provisioning/lab-certificates';
import { startThrowawayCluster, type ThrowawayCluster } from '../../support/postgres';

/**
 * Several stations on the device lab with one PostgreSQL database the suite starts itself: each station is its own
 * app-data folder (settings with its station name, pinned host keys, journal) over the same Team Store.
 */
let lab: LabState;
let certs: LabCertificates;
let cluster: ThrowawayCluster;

beforeAll(async () => {
  lab = requireLabWorkstation();
  for (const d of lab.devices) if (d.faults.length) await Promise.all(d.faults.map((f) => labHeal(d.index, f)));
  [certs, cluster] = await Promise.all([makeLabCertificates(), startThrowawayCluster()]);
}, 180_000);
afterAll(() => cluster?.destroy());

/** A station: its own data folder and name, the shared Team Store, the lab's client key for the key-only board. */
async function station(name: string, url: string): Promise<{ env: Record<string, string>; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), `pws-${name}-`));
  const env = { PWS_DATA_DIR: dataDir, PWS_DATABASE_URL: url };
  for (const [key, value] of [['stationName', name], ['sshKeyPath', lab.clientKeyPath]]) {
    const set = await pws(certs.home, ['settings', 'set', key!, value!], env);
    if (set.code !== 0) throw new Error(set.stderr);
  }
  return { env, dataDir };
}

async function migratedDatabase(name: string): Promise<string> {
  const url = await cluster.createDatabase(name);
  const m = await pws(certs.home, ['db', 'migrate'], { PWS_DATABASE_URL: url, PWS_DATA_DIR: await mkdtemp(join(tmpdir(), 'pws-migrate-')) });
  if (m.code !== 0) throw new Error(m.stderr);
  return url;
}

const history = async (env: Record<string, string>, ...args: string[]) => {
  const r = await pws(certs.home, ['history', '--json', ...args], env);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { entries: AuditEntry[]; waitingToSync: number };
};
const devicesOf = (n: number[]) => n.flatMap((i) => ['--device', deviceAddress(i)]);

describe('two stations, one history', () => {
  it('two pws processes provision two halves of the lab at the same time; either station lists both halves', async () => {
    const url = await migratedDatabase('two_benches');
    const [a, b] = await Promise.all([station('bench-a', url), station('bench-b', url)]);
    const [runA, runB] = await Promise.all([
      pws(certs.home, ['provision', certs.devName, certs.updateName, ...devicesOf([1, 2, 3, 4, 5]), '--json'], a.env),
      pws(certs.home, ['provision', certs.devName, certs.updateName, ...devicesOf([6, 7, 8, 9, 10]), '--json'], b.env),
    ]);
    expect(runA.code, runA.stderr).toBe(0);
    expect(runB.code, runB.stderr).toBe(0);
    for (const s of [a, b]) {
      const { entries, waitingToSync } = await history(s.env);
      expect(waitingToSync).toBe(0);
      expect(entries).toHaveLength(10);
      expect(entries.every((e) => e.result === 'passed')).toBe(true);
      const byStation = (name: string) => entries.filter((e) => e.station === name).map((e) => e.device.name).sort();
      expect(byStation('bench-a')).toEqual([1, 2, 3, 4, 5].map(deviceAddress).sort());
      expect(byStation('bench-b')).toEqual([6, 7, 8, 9, 10].map(deviceAddress).sort());
    }
    expect((await history(a.env, '--station', 'bench-b', '--device', deviceAddress(7))).entries.map((e) => e.station)).toEqual(['bench-b']);
  });
});

describe('the database stops in the middle of a run', () => {
  it("a developer-certificate run's audit entries wait in the local journal and reach the database exactly once after it restarts", async () => {
    const url = await migratedDatabase('stopped_mid_run');
    const s = await station('bench-c', url);
    const deps = defaultCoreDeps({ home: certs.home, dataDir: s.dataDir, env: { PWS_DATABASE_URL: url }, door: 'test' });
    let stopped: Promise<void> | undefined;
    // The app's core, with a stage hook that stops the server while boards are still being provisioned.
    const core = createCore(deps, {
      provisioning: {
        onStage: async (_runId, device, stage) => {
          if (stage === 'verify' && device.device !== deviceAddress(1)) await (stopped ??= cluster.stop());
        },
      },
    });
    const boards = [1, 2, 3, 4, 5];
    try {
      const started = await core.services.provisioning.start({ devices: boards.map(deviceAddress), devCert: certs.devName, updateCert: certs.updateName, concurrency: 5 });
      if (!started.ok) throw new Error(started.message);
      const done = await core.services.provisioning.wait(started.value.runId);
      if (!done.ok) throw new Error(done.message);
      expect(done.value.passed).toBe(5); // a dev-certificate run does not need the database
      expect(stopped).toBeDefined();
      const waiting = (await readdir(join(s.dataDir, AUDIT_JOURNAL_DIR))).length;
      expect(waiting).toBeGreaterThanOrEqual(1);
      expect(await core.services.audit.syncStatus()).toMatchObject({ ok: true, value: { waitingToSync: waiting } });
      const runId = started.value.runId;
      const down = await pws(certs.home, ['history', '--run', runId], s.env);
      expect(down.code).toBe(1);
      expect(down.stderr).toContain(`pws: ${waiting} entr${waiting === 1 ? 'y' : 'ies'} waiting to sync to postgres://postgres@/stopped_mid_run`);
      expect(down.stderr).toMatch(/\npws: the shared database postgres:\/\/postgres@\/stopped_mid_run\S* is unreachable .*check that the server runs/);

      await cluster.start();
      // Another process of the station (the CLI) finds the journal and sends it: every board once.
      const after = await history(s.env, '--run', runId);
      expect(after.waitingToSync).toBe(0);
      expect(after.entries.map((e) => e.device.name).sort()).toEqual(boards.map(deviceAddress).sort());
      expect(await readdir(join(s.dataDir, AUDIT_JOURNAL_DIR))).toEqual([]);
      expect((await cluster.psql('stopped_mid_run', `SELECT count(*) FROM pws_audit_entries WHERE run_id = '${runId}'`)).trim()).toBe('5');
      // and the app's own process, still running, finds nothing more to send
      expect(await core.services.audit.syncStatus()).toMatchObject({ ok: true, value: { waitingToSync: 0 } });
      expect((await cluster.psql('stopped_mid_run', 'SELECT count(*) FROM pws_audit_entries')).trim()).toBe('5');
    } finally {
      if (stopped) await cluster.start().catch(() => undefined); // already running again when the test got that far
      await core.close();
    }
  });
});
