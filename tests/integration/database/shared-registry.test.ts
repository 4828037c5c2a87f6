import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, defaultCoreDeps, type Core } from '../../../electron/services/composition';
import { createLocalIdentityStore } from '../../../electron/services/identities/local-identity-store';
import type { IdentityStore } from '../../../electron/services/identities/identity-store';
import { identityCert as cert, identityDevice as device, registryFixtures, value } from '../../support/identity-registry';
import { startThrowawayCluster, type ThrowawayCluster } from '../../support/postgres';

/**
 * The identity registry's rules, the same for the local file and the shared database (each scenario runs on
 * both), and what only the database adds: stations reserving at the same moment, the constraints themselves,
 * a database that is down, and the import of a station's local registry.
 */
let cluster: ThrowawayCluster;
const cores: Core[] = [];
beforeAll(async () => {
  cluster = await startThrowawayCluster();
}, 120_000);
afterAll(async () => {
  await Promise.all(cores.map((c) => c.close()));
  await cluster?.destroy();
});

const { request, provisionOne } = registryFixtures({
  template: 'lab-{seq}',
  reservedAt: (n) => new Date(Date.UTC(2026, 1, 1, 10, 0, n)),
  issuedAt: new Date(Date.UTC(2026, 1, 1, 11)),
  settledAt: new Date(Date.UTC(2026, 1, 1, 12)),
});

/** A station's core on the shared database, migrated. */
async function databaseCore(db: string, station = 'bench-1'): Promise<Core> {
  const url = await cluster.createDatabase(db).catch(() => cluster.socketUrl(db));
  const home = await mkdtemp(join(tmpdir(), 'pws-registry-'));
  const core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: { PWS_DATABASE_URL: url } }));
  cores.push(core);
  await core.services.settings.update({ stationName: station });
  value(await core.services.database.migrate());
  return core;
}
let databases = 0;
const stores: Array<[string, () => Promise<IdentityStore>]> = [
  ['the local file', async () => createLocalIdentityStore(await mkdtemp(join(tmpdir(), 'pws-registry-local-')))],
  ['the shared database', async () => (await databaseCore(`registry_${++databases}`)).services.identities.store],
];

describe.each(stores)('the identity registry in %s', (_where, make) => {
  it('reserves before signing, then records and settles; {seq} counts up and is never handed out twice', async () => {
    const store = await make();
    const one = await provisionOne(store, 1);
    expect(one).toMatchObject({
      seq: 1,
      endpointName: 'lab-1',
      state: 'confirmed',
      certificate: cert(1),
      station: 'bench-1',
      device: { hostKeyFingerprint: 'SHA256:host1' },
    });
    const two = value(await store.reserve(request(2)));
    expect(two).toMatchObject({ seq: 2, endpointName: 'lab-2', state: 'reserved' });
    expect(two.certificate).toBeUndefined();
    expect(await store.settle(two.id, { confirmed: true, time: new Date() })).toMatchObject({ ok: false, code: 'identity-not-found' });
  });

  it('refuses a device that holds an identity, re-issues it on request (same name and {seq}), and resumes a bare reservation', async () => {
    const store = await make();
    const first = await provisionOne(store, 3);
    const again = await store.reserve(request(3));
    expect(again).toMatchObject({ ok: false, code: 'identity-exists' });
    // The same board reached by address only, and by its host key: still the same device.
    expect(await store.reserve(request(3, { device: { id: '169.254.20.3', addresses: ['169.254.20.3'] } }))).toMatchObject({
      ok: false,
      code: 'identity-exists',
    });
    const reissued = await provisionOne(store, 3, { reissue: 'any' });
    expect(reissued).toMatchObject({ seq: first.seq, endpointName: first.endpointName, reissueOf: first.id });
    const all = value(await store.list({ endpointName: first.endpointName }));
    expect(all.map((r) => [r.id, r.supersededBy])).toEqual([
      [reissued.id, undefined],
      [first.id, reissued.id],
    ]);
    expect(value(await store.liveIdentityOf(device(3, { hostname: undefined, id: 'x' })))).toMatchObject({ id: reissued.id });

    const bare = value(await store.reserve(request(4)));
    const resumed = value(await store.reserve(request(4)));
    expect(resumed).toMatchObject({ seq: bare.seq, endpointName: bare.endpointName, reissueOf: bare.id });
  });

  it('gives an endpoint name to one device only, and lists by run, station, device and date', async () => {
    const store = await make();
    await provisionOne(store, 5, { template: '{hostname}' });
    const taken = await store.reserve(request(6, { template: 'mbed-linux-os-5' }));
    expect(taken).toMatchObject({ ok: false, code: 'endpoint-name-taken' });
    await provisionOne(store, 7, { runId: 'run-2', station: 'bench-2' });
    expect(value(await store.list({ runId: 'run-2' })).map((r) => r.device.id)).toEqual(['mbed-linux-os-7']);
    expect(value(await store.list({ station: 'BENCH-2' })).map((r) => r.device.id)).toEqual(['mbed-linux-os-7']);
    expect(value(await store.list({ device: '169.254.20.5' })).map((r) => r.endpointName)).toEqual(['mbed-linux-os-5']);
    expect(value(await store.list({ since: '2026-02-01T10:00:06Z' })).map((r) => r.device.id)).toEqual(['mbed-linux-os-7']);
    expect(value(await store.list({ limit: 1 })).map((r) => r.device.id)).toEqual(['mbed-linux-os-7']);
  });
});

describe('the identity registry in the shared database', () => {
  it('two stations reserving at the same moment: every {seq} and endpoint name once', async () => {
    const a = await databaseCore('registry_race', 'bench-a');
    const b = await databaseCore('registry_race', 'bench-b');
    const reserved = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).services.identities.store.reserve(request(i + 1, { station: i % 2 ? 'bench-a' : 'bench-b' }))),
    );
    const records = reserved.map(value);
    expect(new Set(records.map((r) => r.seq)).size).toBe(20);
    expect(new Set(records.map((r) => r.endpointName)).size).toBe(20);
    expect(records.every((r) => r.endpointName === `lab-${r.seq}`)).toBe(true);
  });

  it('the constraints themselves refuse a second live identity for an endpoint name, a {seq} or a device', async () => {
    const core = await databaseCore('registry_constraints');
    const one = await provisionOne(core.services.identities.store, 1);
    const insert = (id: string, seq: number, name: string, deviceKey: string) =>
      cluster.psql(
        'registry_constraints',
        `INSERT INTO pws_identities (id, seq, endpoint_name, state, device_key, device, device_text, ca, run_id, operator, station, reserved_at)
         VALUES ('${id}', ${seq}, '${name}', 'reserved', '${deviceKey}', '{}', '', '{}', 'r', 'o', 's', now())`,
      );
    await expect(insert('00000000-0000-4000-8000-000000000001', 99, one.endpointName.toUpperCase(), 'other')).rejects.toThrow(
      /pws_identities_live_endpoint_name/,
    );
    await expect(insert('00000000-0000-4000-8000-000000000002', one.seq, 'other', 'other')).rejects.toThrow(/pws_identities_live_seq/);
    await expect(insert('00000000-0000-4000-8000-000000000003', 99, 'other', 'mbed-linux-os-1')).rejects.toThrow(/pws_identities_live_device/);
  });

  it('with the database down nothing is reserved, and the error names the database', async () => {
    const core = await databaseCore('registry_down');
    await cluster.stop();
    try {
      const r = await core.services.identities.store.reserve(request(1));
      expect(r).toMatchObject({ ok: false, code: 'registry-unwritable' });
      expect(!r.ok && r.message).toMatch(
        /^the identity registry could not be updated: the shared database postgres:\/\/postgres@\/registry_down\S* is unreachable/,
      );
    } finally {
      await cluster.start();
    }
    expect((await cluster.psql('registry_down', 'SELECT count(*) FROM pws_identities')).trim()).toBe('0');
  });

  it('import-local copies the local registry as it is, once; {seq} then goes on after the highest', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pws-registry-import-'));
    const dataDir = join(home, 'data');
    await mkdir(dataDir);
    const local = createLocalIdentityStore(dataDir);
    for (const n of [1, 2, 3]) await provisionOne(local, n);
    await provisionOne(local, 2, { reissue: 'any' });
    await local.close();
    const url = await cluster.createDatabase('registry_import');
    const core = createCore(defaultCoreDeps({ home, dataDir, env: { PWS_DATABASE_URL: url } }));
    cores.push(core);
    value(await core.services.database.migrate());
    expect(await core.services.database.importLocal()).toEqual({ ok: true, value: { audit: { read: 0, added: 0 }, identities: { read: 4, added: 4 } } });
    expect(await core.services.database.importLocal()).toEqual({ ok: true, value: { audit: { read: 0, added: 0 }, identities: { read: 4, added: 0 } } });
    const live = value(await core.services.identities.store.list({ liveOnly: true }));
    expect(live.map((r) => r.endpointName).sort()).toEqual(['lab-1', 'lab-2', 'lab-3']);
    expect(value(await core.services.identities.store.reserve(request(9)))).toMatchObject({ seq: 4, endpointName: 'lab-4' });
  });

  it("an import that clashes with another station's identity adds nothing and says which", async () => {
    const shared = await databaseCore('registry_clash', 'bench-a');
    await provisionOne(shared.services.identities.store, 1, { station: 'bench-a' });
    const home = await mkdtemp(join(tmpdir(), 'pws-registry-clash-'));
    await mkdir(join(home, 'data'));
    const local = createLocalIdentityStore(join(home, 'data'));
    await provisionOne(local, 8, { station: 'bench-b' }); // lab-1 too, on another board
    await local.close();
    const core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: { PWS_DATABASE_URL: cluster.socketUrl('registry_clash') } }));
    cores.push(core);
    const r = await core.services.database.importLocal();
    expect(r).toMatchObject({ ok: false, code: 'registry-unwritable' });
    expect(!r.ok && r.message).toMatch(
      /the local identity "lab-1" \(\{seq\} 1, mbed-linux-os-8\) clashes with "lab-1" \(\{seq\} 1\) already in .* from station bench-a: nothing was imported/,
    );
    expect((await cluster.psql('registry_clash', 'SELECT count(*) FROM pws_identities')).trim()).toBe('1');
  });
});
