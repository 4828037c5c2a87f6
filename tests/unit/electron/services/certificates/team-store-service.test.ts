import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../stores/mbl-cli-fixture';
import { cloud, core, KEY, withEmulatedCloud } from '../credentials/emulated-core';

withEmulatedCloud();

describe('Team Store channels', () => {
  it('creates a developer certificate in the cloud, lists it local and cloud, reports a second create as a 409, re-fetches and deletes it', async () => {
    const c = core();
    await c.call('credentials:api-key-save', { apiKey: KEY });
    const created = await c.call('certificates:create-dev', { name: 'bench-1' });
    expect(created).toMatchObject({ ok: true, value: { name: 'bench-1', kind: 'developer', expiry: 'ok', legacy: false } });
    expect(created.value.files).toHaveLength(12);
    const team = join(c.home, '.mbl-store/team');
    expect(readdirSync(join(team, 'bench-1'))).toContain('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY.bin');

    const again = await c.call('certificates:create-dev', { name: 'bench-1' });
    expect(again).toMatchObject({ ok: false, code: 'certificate-exists' });
    expect(again.message).toMatch(/already has a developer certificate named "bench-1" \(HTTP 409\)/);

    const list = await c.call('certificates:list');
    expect(list.value.team.map((t: any) => t.name)).toEqual(['bench-1']);
    expect(list.value.cloud).toEqual([expect.objectContaining({ name: 'bench-1', inTeamStore: true, fingerprint: created.value.fingerprint, expiry: 'ok' })]);

    // Not stored locally any more: found in the cloud by name and copied back, same certificate.
    await c.call('certificates:delete', { name: 'bench-1', cloud: false });
    expect(existsSync(join(team, 'bench-1'))).toBe(false);
    const ensured = await c.services.teamStore.ensureDeveloperCertificate({ name: 'bench-1', create: false });
    expect(ensured).toMatchObject({ ok: true, value: { source: 'fetched', fingerprint: created.value.fingerprint } });
    expect(cloud.emu.requests.some((r) => r.method === 'GET' && r.path.startsWith('/v3/developer-certificates/'))).toBe(true);
    expect(await c.services.teamStore.ensureDeveloperCertificate({ name: 'bench-1', create: false })).toMatchObject({ ok: true, value: { source: 'stored' } });

    const del = await c.call('certificates:delete', { name: 'bench-1', cloud: true });
    expect(del).toEqual({ ok: true, value: { name: 'bench-1', local: true, cloud: true } });
    expect((await c.call('certificates:list')).value).toMatchObject({ team: [], cloud: [] });
    expect(await c.call('certificates:fetch-dev', { name: 'bench-1' })).toMatchObject({ ok: false, code: 'not-found-in-cloud' });
    expect(await c.services.teamStore.ensureDeveloperCertificate({ name: 'bench-2', create: true })).toMatchObject({ ok: true, value: { source: 'created' } });
    expect(c.seen.some((s) => s.startsWith('certificates:team-store-changed'))).toBe(true);
  });

  it('lists the Team Store without a key and says why the cloud is missing', async () => {
    const c = core();
    const list = await c.call('certificates:list');
    expect(list).toMatchObject({ ok: true, value: { team: [], cloud: null } });
    expect(list.value.cloudNote).toMatch(/no API key/);
    expect(await c.call('certificates:create-dev', { name: 'x' })).toMatchObject({ ok: false, code: 'api-key-missing' });
  });

  it('imports update and developer C files sent as text; a malformed file stores nothing', async () => {
    const c = core();
    const text = readFileSync(join(FIXTURES, 'c-files/update_default_resources.c'), 'utf8');
    const r = await c.call('certificates:import-update', { name: 'dev-device', fileName: 'update_default_resources.c', text });
    expect(r).toMatchObject({ ok: true, value: { kind: 'update', name: 'dev-device' } });
    const dev = await c.call('certificates:import-dev', {
      name: 'portal',
      fileName: 'mbed_cloud_dev_credentials.c',
      text: readFileSync(join(FIXTURES, 'c-files/mbed_cloud_dev_credentials.c'), 'utf8'),
    });
    expect(dev).toMatchObject({ ok: true, value: { kind: 'developer' } });

    const team = join(c.home, '.mbl-store/team');
    const before = readdirSync(team).sort();
    const config = readFileSync(join(team, 'config.json'), 'utf8');
    const bad = await c.call('certificates:import-update', { name: 'broken', fileName: 'update_default_resources.c', text: text.slice(0, 1500) });
    expect(bad).toMatchObject({ ok: false, code: 'parse-error' });
    expect(bad.message).toMatch(/update_default_resources\.c, line \d+: arm_uc_\w+/);
    // Same name as an existing one: refused, the old one untouched.
    expect(await c.call('certificates:import-update', { name: 'dev-device', text: 'const uint8_t x[] = {0x1' })).toMatchObject({ ok: false });
    expect(readdirSync(team).sort()).toEqual(before);
    expect(readFileSync(join(team, 'config.json'), 'utf8')).toBe(config);
    expect(readdirSync(join(team, 'dev-device'))).toHaveLength(7);

    expect(await c.call('certificates:import-update', { name: '../escape', text })).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(await c.call('certificates:delete', { name: 'nothing', cloud: false })).toMatchObject({ ok: false, code: 'certificate-missing' });
  });

  it('shows and moves the stores', async () => {
    const c = core();
    const s = await c.call('certificates:stores');
    expect(s.value).toEqual({ storesFile: join(c.home, '.mbl-stores.json'), user: join(c.home, '.mbl-store/user'), team: join(c.home, '.mbl-store/team') });
    const moved = await c.call('certificates:set-stores', { team: join(c.home, 'elsewhere') });
    expect(moved.value.team).toBe(join(c.home, 'elsewhere'));
    expect((await c.call('certificates:list')).value.teamStore).toBe(join(c.home, 'elsewhere'));
  });
});
