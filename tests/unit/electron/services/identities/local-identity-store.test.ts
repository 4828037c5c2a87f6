import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { IDENTITIES_FILE, createLocalIdentityStore } from '../../../../../electron/services/identities/local-identity-store';
import type { IdentityStore } from '../../../../../electron/services/identities/identity-store';
import { identityCert as cert, identityDevice as device, registryFixtures, value } from '../../../../support/identity-registry';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../../../../..');

const { request, provisionOne } = registryFixtures({
  template: '{hostname}',
  reservedAt: () => new Date('2026-02-01T10:00:00Z'),
  issuedAt: new Date('2026-02-01T10:00:01Z'),
  settledAt: new Date('2026-02-01T10:00:02Z'),
});

const tempDir = () => mkdtemp(join(tmpdir(), 'pws-identities-'));

describe('local identity registry', () => {
  it('reserves, records the certificate and settles: one record with every field, in an append-only file', async () => {
    const dir = await tempDir();
    const store = createLocalIdentityStore(dir);
    const r = await provisionOne(store, 3);
    expect(r).toMatchObject({
      seq: 1,
      endpointName: 'mbed-linux-os-3',
      state: 'confirmed',
      certificate: cert(3),
      ca: { name: 'lab-ca' },
      device: { id: 'mbed-linux-os-3', hostname: 'mbed-linux-os-3', addresses: ['169.254.20.3'], hostKeyFingerprint: 'SHA256:host3' },
      runId: 'run-1',
      operator: 'tester',
      station: 'bench-1',
      reservedAt: '2026-02-01T10:00:00.000Z',
      issuedAt: '2026-02-01T10:00:01.000Z',
      settledAt: '2026-02-01T10:00:02.000Z',
    });
    const lines = (await readFile(join(dir, IDENTITIES_FILE), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(['reserved', 'issued', 'settled']);
    expect(value(await store.liveIdentityOf(device(3)))?.id).toBe(r.id);
    expect(value(await store.liveIdentityOf(device(4)))).toBeNull();
  });

  it('never hands out a {seq} twice, also to a store opened later on the same file', async () => {
    const dir = await tempDir();
    const first = createLocalIdentityStore(dir);
    const a = await Promise.all([1, 2, 3].map((n) => first.reserve(request(n, { template: 'lab-{seq}' }))));
    const second = createLocalIdentityStore(dir);
    const b = value(await second.reserve(request(4, { template: 'lab-{seq}' })));
    expect(a.map((r) => value(r).seq).sort()).toEqual([1, 2, 3]);
    expect(b).toMatchObject({ seq: 4, endpointName: 'lab-4' });
  });

  it('refuses a device that holds an identity; re-issue gives it a new record for the same name and seq, and both stay', async () => {
    const store = createLocalIdentityStore(await tempDir());
    const first = await provisionOne(store, 5, { template: 'lab-{seq}' });
    const again = await store.reserve(request(5, { template: 'lab-{seq}', runId: 'run-2' }));
    expect(again).toMatchObject({ ok: false, code: 'identity-exists' });
    expect(!again.ok && again.message).toMatch(
      /mbed-linux-os-5 \(169\.254\.20\.5\) already holds the identity "lab-1" \(confirmed on 2026-02-01, run run-1\): re-issue it/,
    );
    // matched by its host key alone, too (reached at a new address, no host name known)
    const byKey = await store.reserve(request(5, { device: { id: '10.0.0.9', addresses: ['10.0.0.9'], hostKeyFingerprint: 'SHA256:host5' } }));
    expect(byKey).toMatchObject({ ok: false, code: 'identity-exists' });

    const second = await provisionOne(store, 5, { template: 'lab-{seq}', runId: 'run-2', reissue: 'any' });
    expect(second).toMatchObject({ seq: first.seq, endpointName: 'lab-1', reissueOf: first.id, state: 'confirmed' });
    const all = value(await store.list({ endpointName: 'lab-1' }));
    expect(all.map((r) => [r.runId, r.supersededBy])).toEqual([
      ['run-2', undefined],
      ['run-1', second.id],
    ]);
    expect(value(await store.list({ liveOnly: true })).map((r) => r.id)).toEqual([second.id]);
  });

  it('an unconfirmed identity is offered for re-issue on that device only: refused without, allowed by the "unconfirmed" policy', async () => {
    const store = createLocalIdentityStore(await tempDir());
    const failed = await provisionOne(store, 6, {}, false);
    expect(failed).toMatchObject({ state: 'unconfirmed', reason: 'status check failed' });
    const plain = await store.reserve(request(6));
    expect(!plain.ok && plain.message).toMatch(
      /issued on 2026-02-01 in run run-1, never confirmed on the device\): re-issue it .*\. Why it was not confirmed: status check failed$/,
    );
    const retried = value(await store.reserve(request(6, { reissue: 'unconfirmed' })));
    expect(retried).toMatchObject({ endpointName: failed.endpointName, seq: failed.seq, reissueOf: failed.id });
    // never handed to another device: its name stays taken
    const other = await store.reserve(request(7, { values: { hostname: 'mbed-linux-os-6', uuid: 'u' } }));
    expect(other).toMatchObject({ ok: false, code: 'endpoint-name-taken' });
    // the "unconfirmed" policy does not re-issue a confirmed identity
    await provisionOne(store, 8);
    expect(await store.reserve(request(8, { reissue: 'unconfirmed' }))).toMatchObject({ ok: false, code: 'identity-exists' });
  });

  it('a reservation that was never signed (the run died) is resumed by the same device without re-issue', async () => {
    const store = createLocalIdentityStore(await tempDir());
    const bare = value(await store.reserve(request(1, { template: 'lab-{seq}' })));
    const resumed = value(await store.reserve(request(1, { template: 'lab-{seq}', runId: 'run-2' })));
    expect(resumed).toMatchObject({ endpointName: bare.endpointName, seq: bare.seq, reissueOf: bare.id, state: 'reserved' });
    expect(value(await store.reserve(request(2, { template: 'lab-{seq}' })))).toMatchObject({ seq: 2 });
  });

  it('refuses a name another device holds and a name the template cannot make, naming why', async () => {
    const store = createLocalIdentityStore(await tempDir());
    await provisionOne(store, 1, { template: 'line-a' });
    const dup = await store.reserve(request(2, { template: 'line-a' }));
    expect(dup).toMatchObject({ ok: false, code: 'endpoint-name-taken' });
    expect(!dup.ok && dup.message).toMatch(/"line-a" is already the identity of mbed-linux-os-1 \(run run-1\): .*\{seq\} or \{uuid\}/);
    const bad = await store.reserve(request(3, { values: { hostname: 'box_3', uuid: 'u' } }));
    expect(bad).toMatchObject({ ok: false, code: 'endpoint-name-invalid' });
    // a refused reservation took no seq
    expect(value(await store.reserve(request(4, { template: 'n{seq}' })))).toMatchObject({ seq: 2 });
  });

  it('only a reserved record can be issued and only an issued one settled', async () => {
    const store = createLocalIdentityStore(await tempDir());
    const r = value(await store.reserve(request(1)));
    expect(await store.settle(r.id, { confirmed: true, time: new Date() })).toMatchObject({ ok: false, code: 'identity-not-found' });
    value(await store.recordIssued(r.id, cert(1), new Date()));
    expect(await store.recordIssued(r.id, cert(1), new Date())).toMatchObject({ ok: false, code: 'identity-not-found' });
    expect(await store.recordIssued('nope', cert(1), new Date())).toMatchObject({ ok: false, code: 'identity-not-found' });
  });

  it('filters by device, run, station and time', async () => {
    const store = createLocalIdentityStore(await tempDir());
    await provisionOne(store, 1, { runId: 'a', time: new Date('2026-01-01T00:00:00Z') });
    await provisionOne(store, 2, { runId: 'b', station: 'bench-2', time: new Date('2026-03-01T00:00:00Z') });
    const names = async (f: Parameters<IdentityStore['list']>[0]) => value(await store.list(f)).map((r) => r.endpointName);
    expect(await names({ device: '169.254.20.2' })).toEqual(['mbed-linux-os-2']);
    expect(await names({ runId: 'a' })).toEqual(['mbed-linux-os-1']);
    expect(await names({ station: 'BENCH-2' })).toEqual(['mbed-linux-os-2']);
    expect(await names({ since: '2026-02-01' })).toEqual(['mbed-linux-os-2']);
    expect(await names({ until: '2026-02-01' })).toEqual(['mbed-linux-os-1']);
    expect(await names({})).toEqual(['mbed-linux-os-2', 'mbed-linux-os-1']);
  });

  it('survives a line torn by a crash: the rest stays readable and the next record starts on its own line', async () => {
    const dir = await tempDir();
    await provisionOne(createLocalIdentityStore(dir), 1, { template: 'lab-{seq}' });
    await appendFile(join(dir, IDENTITIES_FILE), '{"type":"reserved","id":"torn","seq":9');
    const store = createLocalIdentityStore(dir);
    const next = value(await store.reserve(request(2, { template: 'lab-{seq}' })));
    expect(next.seq).toBe(2);
    const reopened = createLocalIdentityStore(dir);
    expect(value(await reopened.list()).map((r) => r.endpointName)).toEqual(['lab-2', 'lab-1']);
  });

  it('a line that is JSON but no registry record is not shown, cannot poison {seq}, and stops issuing until it is dealt with', async () => {
    const dir = await tempDir();
    await provisionOne(createLocalIdentityStore(dir), 1, { template: 'lab-{seq}' });
    const file = join(dir, IDENTITIES_FILE);
    await appendFile(file, '{"type":"reserved","id":"x","seq":"zz","endpointName":"lab-99"}\n[1,2]\n');
    const store = createLocalIdentityStore(dir);
    expect(value(await store.list()).map((r) => r.endpointName)).toEqual(['lab-1']);
    const refused = await store.reserve(request(2, { template: 'lab-{seq}' }));
    expect(refused).toMatchObject({ ok: false, code: 'registry-unreadable' });
    expect(!refused.ok && refused.message).toBe(
      `the identity registry ${file} has lines 4, 5 that are not a registry record, so no identity is issued (it could repeat one): restore the file from a backup, or remove those lines if you know what they held`,
    );
    // removed by hand: issuing goes on, after the highest {seq} the file holds
    const lines = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, `${lines.slice(0, 3).join('\n')}\n`);
    expect(value(await createLocalIdentityStore(dir).reserve(request(2, { template: 'lab-{seq}' }))).seq).toBe(2);
  });

  it('changes waiting at the same moment are written together, in order, each with its own answer', async () => {
    const dir = await tempDir();
    const store = createLocalIdentityStore(dir);
    const answers = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => store.reserve(request(n, { template: 'lab-{seq}' }))));
    expect(answers.map((a) => value(a).endpointName)).toEqual(['lab-1', 'lab-2', 'lab-3', 'lab-4', 'lab-5', 'lab-6', 'lab-7', 'lab-8']);
    const second = await Promise.all([store.reserve(request(1, { template: 'lab-{seq}' })), store.reserve(request(9, { template: 'lab-{seq}' }))]);
    expect(second[0]).toMatchObject({ ok: true, value: { endpointName: 'lab-1', reissueOf: value(answers[0]!).id } }); // resumed
    expect(second[1]).toMatchObject({ ok: true, value: { seq: 9 } });
    expect((await readFile(join(dir, IDENTITIES_FILE), 'utf8')).trimEnd().split('\n')).toHaveLength(10);
  });

  it('a write that fails answers registry-unwritable to every change of its batch and leaves nothing behind in memory', async () => {
    const dir = await tempDir();
    await symlink('/dev/full', join(dir, IDENTITIES_FILE)); // reads as empty, every write fails with ENOSPC
    const store = createLocalIdentityStore(dir);
    const both = await Promise.all([store.reserve(request(1)), store.reserve(request(2))]);
    for (const r of both)
      expect(r).toMatchObject({ ok: false, code: 'registry-unwritable', message: expect.stringMatching(/could not update the identity registry/) });
    expect(value(await store.liveIdentityOf(device(1)))).toBeNull();
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, `${IDENTITIES_FILE}.lock`), '2147483646\n');
    expect(value(await createLocalIdentityStore(dir).reserve(request(1)))).toMatchObject({ seq: 1 });
  });

  it('three processes reserving at once get distinct seqs and names (the lock file, not luck)', async () => {
    const dir = await tempDir();
    const script = `
      import { createLocalIdentityStore } from ${JSON.stringify(join(REPO, 'electron/services/identities/local-identity-store.ts'))};
      const store = createLocalIdentityStore(process.argv[2]);
      const p = process.argv[3];
      for (let i = 0; i < 15; i++) {
        const r = await store.reserve({ template: 'lab-{seq}', values: { uuid: 'u' }, device: { id: p + '-' + i, addresses: [] },
          ca: { name: 'ca', fingerprint: 'f' }, runId: p, operator: 'o', station: 's', reissue: 'none', time: new Date() });
        if (!r.ok) { console.error(r.message); process.exit(1); }
      }`;
    const file = join(dir, 'reserve.mts');
    await writeFile(file, script);
    await Promise.all(['p1', 'p2', 'p3'].map((p) => run(process.execPath, ['--import', 'tsx', file, dir, p], { cwd: REPO })));
    const records = value(await createLocalIdentityStore(dir).list());
    expect(records).toHaveLength(45);
    expect(new Set(records.map((r) => r.seq)).size).toBe(45);
    expect(new Set(records.map((r) => r.endpointName)).size).toBe(45);
    expect(Math.max(...records.map((r) => r.seq))).toBe(45);
  }, 60_000);
});
