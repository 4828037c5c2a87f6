import { X509Certificate, createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/contract/history';
import type { IdentityRecord } from '../../../shared/contract/identities';
import type { RunSnapshot } from '../../../shared/contract/provisioning';
import { AUDIT_JOURNAL_DIR } from '../../../electron/services/audit/audit-journal';
import { createCore, defaultCoreDeps, type Core } from '../../../electron/services/composition';
import { startCloudEmulator, type CloudEmulator } from '../../cloud-emulator/emulator';
import { deviceAddress, deviceStorage, labHeal, requireLabWorkstation, scratchEntries, type LabState } from '../../lab/lab';
import { buildCli } from '../credentials/cli-support';
import { pws } from '../provisioning/lab-certificates';
import { startThrowawayCluster, type ThrowawayCluster } from '../../support/postgres';

/**
 * Several stations on the device lab with one PostgreSQL database the suite starts itself. Each station is its
 * own app-data folder (station name, pinned host keys, journal) over one Team Store that holds the lab's CA
 * (trusted in the emulated account), a developer certificate and the update certificate.
 */
let lab: LabState;
let emu: CloudEmulator;
let cluster: ThrowawayCluster;
let home: string;
let cloudEnv: Record<string, string>;

beforeAll(async () => {
  lab = requireLabWorkstation();
  for (const d of lab.devices) if (d.faults.length) await Promise.all(d.faults.map((f) => labHeal(d.index, f)));
  [cluster] = await Promise.all([startThrowawayCluster(), buildCli()]);
  home = await mkdtemp(join(tmpdir(), 'pws-stations-'));
  emu = await startCloudEmulator({ trustedCaDir: lab.trustedCaDir });
  const account = emu.addAccount({ name: 'stations', apiKey: `ak_stations_lab_${Date.now()}` });
  cloudEnv = { PWS_API_URL: emu.url, PWS_API_KEY: account.apiKey };
  const wizard = await mkdtemp(join(tmpdir(), 'pws-stations-update-'));
  for (const args of [
    ['init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', wizard],
    ['certs', 'create-dev', 'lab-dev'],
    ['certs', 'import-update', 'lab-update', join(wizard, 'update_default_resources.c')],
    ['ca', 'create', 'stations-ca', '--organization', 'Example Devices'],
    ['ca', 'trust', 'stations-ca'],
  ]) {
    const r = await pws(home, args, cloudEnv);
    if (r.code !== 0) throw new Error(`pws ${args.join(' ')} failed: ${r.stderr}`);
  }
}, 180_000);
afterAll(async () => {
  await emu?.close();
  await cluster?.destroy();
  if (home) await rm(home, { recursive: true, force: true });
});

/** Factory-fresh boards: empty secure storage. */
const resetDevices = () => Promise.all(lab.devices.map((d) => rm(join(d.root, 'config', 'user', 'pal'), { recursive: true, force: true })));

/** A station: its own data folder and name, the lab's client key for the key-only board, the shared database. */
async function station(name: string, url: string): Promise<{ env: Record<string, string>; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), `pws-${name}-`));
  const env = { ...cloudEnv, PWS_DATA_DIR: dataDir, PWS_DATABASE_URL: url };
  for (const [key, value] of [
    ['stationName', name],
    ['sshKeyPath', lab.clientKeyPath],
  ]) {
    const set = await pws(home, ['settings', 'set', key!, value!], env);
    if (set.code !== 0) throw new Error(set.stderr);
  }
  return { env, dataDir };
}

async function migratedDatabase(name: string): Promise<string> {
  const url = await cluster.createDatabase(name);
  const m = await pws(home, ['db', 'migrate'], { PWS_DATABASE_URL: url, PWS_DATA_DIR: await mkdtemp(join(tmpdir(), 'pws-migrate-')) });
  if (m.code !== 0) throw new Error(m.stderr);
  return url;
}

async function cli<T>(env: Record<string, string>, ...args: string[]): Promise<T> {
  const r = await pws(home, [...args, '--json'], env);
  if (r.code !== 0) throw new Error(`pws ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
const devicesOf = (n: number[]) => n.flatMap((i) => ['--device', deviceAddress(i)]);
const storedEndpoint = (n: number) => deviceStorage(n)['mbed.EndpointName']?.toString('utf8');
const storedCertFingerprint = (n: number) => {
  const der = deviceStorage(n)['mbed.BootstrapDeviceCert'];
  return der ? createHash('sha256').update(der).digest('hex') : undefined;
};

describe('two stations, one registry and one history', () => {
  it('two pws processes give two halves of the lab their own identities at the same time: 10 identities, 10 distinct {seq}, both histories from either station', async () => {
    await resetDevices();
    const url = await migratedDatabase('two_benches');
    const [a, b] = await Promise.all([station('bench-a', url), station('bench-b', url)]);
    const halves = { 'bench-a': [1, 2, 3, 4, 5], 'bench-b': [6, 7, 8, 9, 10] };
    const own = ['provision', '--ca', 'stations-ca', 'lab-update', '--endpoint-template', 'lab-{seq}'];
    const [runA, runB] = await Promise.all([
      pws(home, [...own, ...devicesOf(halves['bench-a']), '--json'], a.env),
      pws(home, [...own, ...devicesOf(halves['bench-b']), '--json'], b.env),
    ]);
    expect(runA.code, runA.stderr).toBe(0);
    expect(runB.code, runB.stderr).toBe(0);

    for (const s of [a, b]) {
      const records = await cli<IdentityRecord[]>(s.env, 'identities', 'list');
      expect(records).toHaveLength(10);
      expect(new Set(records.map((r) => r.seq)).size).toBe(10);
      expect(records.every((r) => r.state === 'confirmed' && r.endpointName === `lab-${r.seq}`)).toBe(true);
      for (const [name, boards] of Object.entries(halves)) {
        const mine = records.filter((r) => r.station === name);
        expect(mine.map((r) => r.device.addresses[0]).sort()).toEqual(boards.map(deviceAddress).sort());
        // what each board holds is what the registry says it was given
        for (const n of boards) {
          const record = mine.find((r) => r.device.addresses.includes(deviceAddress(n)))!;
          expect(storedEndpoint(n)).toBe(record.endpointName);
          expect(storedCertFingerprint(n)).toBe(record.certificate!.fingerprint);
          expect(new X509Certificate(deviceStorage(n)['mbed.BootstrapDeviceCert']!).subject).toContain(`CN=${record.endpointName}`);
        }
      }
      const { entries } = await cli<{ entries: AuditEntry[] }>(s.env, 'history');
      expect(entries).toHaveLength(10);
      expect(entries.filter((e) => e.station === 'bench-a')).toHaveLength(5);
      expect(entries.filter((e) => e.station === 'bench-b')).toHaveLength(5);
    }
  });
});

describe('the database stops', () => {
  it('an own-identity run refuses to start while the database is down, naming it, and touches no device', async () => {
    await resetDevices();
    const url = await migratedDatabase('down_before');
    const s = await station('bench-d', url);
    await cluster.stop();
    try {
      const r = await pws(home, ['provision', '--ca', 'stations-ca', 'lab-update', '--endpoint-template', 'lab-{seq}', ...devicesOf([1, 2])], s.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^pws: no own identity can be issued now: the identity registry could not be read: the shared database postgres:\/\/postgres@\/down_before\S* is unreachable/m,
      );
    } finally {
      await cluster.start();
    }
    for (const n of [1, 2]) {
      expect(storedEndpoint(n)).toBeUndefined();
      expect(scratchEntries(n).filter((e) => e.includes('provisioning-certs'))).toEqual([]);
    }
  });

  it('in the middle of an own-identity run: devices after that are refused, and no device holds an identity the database has no record of', async () => {
    await resetDevices();
    const url = await migratedDatabase('down_mid_identity');
    const s = await station('bench-e', url);
    const run = await runWhileTheDatabaseStops(s.dataDir, url, { identity: { ca: 'stations-ca', endpointTemplate: 'lab-{seq}' } });
    const refused = run.devices.filter((d) => d.error?.code === 'registry-unavailable');
    expect(refused.length).toBeGreaterThan(0);
    for (const d of refused) expect(d.error!.message).toMatch(/the shared database postgres:\/\/postgres@\/down_mid_identity\S* is unreachable/);

    const records = await cli<IdentityRecord[]>(s.env, 'identities', 'list');
    const boards = [1, 2, 3, 4, 5];
    const holding = boards.filter((n) => storedEndpoint(n) !== undefined);
    expect(holding.length).toBeGreaterThan(0);
    for (const n of holding) {
      const record = records.find((r) => r.endpointName === storedEndpoint(n));
      expect(record, `board ${n} holds ${storedEndpoint(n)}`).toBeDefined();
      expect(record!.certificate?.fingerprint).toBe(storedCertFingerprint(n));
    }
    // and every refused board was given nothing
    for (const d of refused) expect(storedEndpoint(boards.find((n) => deviceAddress(n) === d.address)!)).toBeUndefined();
  });

  it("a developer-certificate run's audit entries wait in the local journal and reach the database exactly once after it restarts", async () => {
    const url = await migratedDatabase('down_mid_dev');
    const s = await station('bench-c', url);
    const run = await runWhileTheDatabaseStops(s.dataDir, url, { devCert: 'lab-dev' }, async (core) => {
      const waiting = (await readdir(join(s.dataDir, AUDIT_JOURNAL_DIR))).length;
      expect(waiting).toBeGreaterThanOrEqual(1);
      expect(await core.services.audit.syncStatus()).toMatchObject({ ok: true, value: { waitingToSync: waiting } });
      const down = await pws(home, ['history'], s.env);
      expect(down.code).toBe(1);
      expect(down.stderr).toContain(`pws: ${waiting} entr${waiting === 1 ? 'y' : 'ies'} waiting to sync to postgres://postgres@/down_mid_dev`);
      expect(down.stderr).toMatch(/\npws: the shared database postgres:\/\/postgres@\/down_mid_dev\S* is unreachable .*check that the server runs/);
    });
    expect(run.passed).toBe(5); // a developer-certificate run does not need the database

    // Another process of the station (the CLI) finds the journal and sends it: every board once.
    const after = await cli<{ entries: AuditEntry[]; waitingToSync: number }>(s.env, 'history', '--run', run.runId);
    expect(after.waitingToSync).toBe(0);
    expect(after.entries.map((e) => e.device.name).sort()).toEqual([1, 2, 3, 4, 5].map(deviceAddress).sort());
    expect(await readdir(join(s.dataDir, AUDIT_JOURNAL_DIR))).toEqual([]);
    expect((await cluster.psql('down_mid_dev', 'SELECT count(*) FROM pws_audit_entries')).trim()).toBe('5');
  });
});

/**
 * Provisions boards 1–5 (two at a time) in this process, with the app's own provisioning feature and a stage hook
 * that stops the database as the first board reaches `provision`; `whileDown` runs once the run is over, before the
 * database is started again.
 */
async function runWhileTheDatabaseStops(
  dataDir: string,
  url: string,
  certs: { devCert: string } | { identity: { ca: string; endpointTemplate: string } },
  whileDown?: (core: Core) => Promise<void>,
): Promise<RunSnapshot> {
  const deps = defaultCoreDeps({ home, dataDir, env: { ...cloudEnv, PWS_DATABASE_URL: url }, door: 'test' });
  let stopped: Promise<void> | undefined;
  // The app's core, with a stage hook that stops the server as the first board reaches `provision`.
  const core = createCore(deps, {
    provisioning: {
      onStage: async (_runId, _device, stage) => {
        if (stage === 'provision') await (stopped ??= cluster.stop());
      },
    },
  });
  try {
    const started = await core.services.provisioning.start({ devices: [1, 2, 3, 4, 5].map(deviceAddress), updateCert: 'lab-update', concurrency: 2, ...certs });
    if (!started.ok) throw new Error(started.message);
    const done = await core.services.provisioning.wait(started.value.runId);
    if (!done.ok) throw new Error(done.message);
    expect(stopped).toBeDefined();
    await whileDown?.(core);
    return done.value;
  } finally {
    if (stopped) await cluster.start();
    await core.close();
  }
}
