import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudEmulator, type CloudEmulator } from '../../../../cloud-emulator/emulator';
import { createCore, defaultCoreDeps } from '../../../../../electron/services/composition';
import type { SecretBackend } from '../../../../../electron/services/keychain/index';
import { emptyHome, homeWithMblCliStore, FIXTURES } from '../stores/mbl-cli-fixture';

const KEY = 'ak_1MDE3YTkyZGVmMGI0MDI0MjBhMDE0YzExMDAwMDAwMDA01a2b';
const LEGACY_KEY = 'ak_mblcli_plaintext_legacy_key_9f3e';

let emu: CloudEmulator;
beforeAll(async () => {
  emu = await startCloudEmulator();
  emu.addAccount({ name: 'Lab bench account', apiKey: KEY });
  emu.addAccount({ name: 'Old mbl-cli account', apiKey: LEGACY_KEY });
});
afterAll(() => emu?.close());

const items = new Map<string, string>();
const backend: SecretBackend = {
  getPassword: async (s, a) => items.get(`${s}|${a}`) ?? null,
  setPassword: async (s, a, p) => void items.set(`${s}|${a}`, p),
  deletePassword: async (s, a) => items.delete(`${s}|${a}`),
  findCredentials: async () => [],
};

function core(home = emptyHome(), dataDir = mkdtempSync(join(tmpdir(), 'pws-data-'))) {
  items.clear();
  const { events, router, services } = createCore(defaultCoreDeps({ home, dataDir, env: { PWS_API_URL: emu.url } }), { secretBackend: async () => backend });
  const seen: string[] = [];
  events.onAny((name, payload) => seen.push(`${name} ${JSON.stringify(payload)}`));
  const call = (name: string, req: unknown = {}) => router.dispatch(name, req, { door: 'test' }) as Promise<{ ok: boolean; value?: any; code?: string; message?: string }>;
  return { home, dataDir, call, seen, services, settings: services.settings };
}

describe('credentials channels', () => {
  it('validates a key before storing it, answers only the masked form, and keeps the previous key when a new one is refused', async () => {
    const c = core();
    expect(await c.call('credentials:api-key-status')).toMatchObject({ ok: true, value: { present: false, masked: '', apiUrl: emu.url } });
    const saved = await c.call('credentials:api-key-save', { apiKey: KEY, apiUrl: emu.url });
    expect(saved).toEqual({ ok: true, value: { present: true, masked: 'ak_…1a2b', apiUrl: emu.url, source: 'keychain', accountName: 'Lab bench account', plaintextKeyInUserStore: false } });
    expect((await c.settings.get()).ok && ((await c.settings.get()) as any).value.apiUrl).toBe(emu.url);

    const bad = await c.call('credentials:api-key-save', { apiKey: 'ak_9Zq0ZmFrZWtleWZvcnRoZXNlY29uZGFjY291bnQwMDAw9c8d', apiUrl: emu.url });
    expect(bad).toMatchObject({ ok: false, code: 'api-key-invalid' });
    expect(bad.message).toMatch(/previous key is kept/);
    expect(items.get(`provisioning-workstation|${emu.url}`)).toBe(KEY);

    // A new process still names the account (non-secret cache), and nothing it says holds the key.
    const status = await c.call('credentials:api-key-status', { apiUrl: emu.url });
    expect(status.value).toMatchObject({ present: true, masked: 'ak_…1a2b', accountName: 'Lab bench account' });
    expect(c.seen.join('\n')).not.toContain(KEY);
    expect(JSON.stringify(status)).not.toContain(KEY);
    for (const f of readdirSync(c.dataDir)) expect(readFileSync(join(c.dataDir, f), 'utf8')).not.toContain(KEY);

    expect(await c.call('credentials:api-key-delete', { apiUrl: emu.url })).toMatchObject({ ok: true, value: { present: false } });
    expect(items.size).toBe(0);
  });

  it('refuses a key with spaces before any network call', async () => {
    const c = core();
    const before = emu.requests.length;
    expect(await c.call('credentials:api-key-save', { apiKey: 'ak_abc def' })).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(emu.requests.length).toBe(before);
  });

  it('lists the regions', async () => {
    const r = await core().call('credentials:regions');
    expect(r.value).toEqual([
      { id: 'us', label: 'US (us-east-1)', url: 'https://api.us-east-1.mbedcloud.com' },
      { id: 'eu', label: 'EU (eu-west-1)', url: 'https://api.eu-west-1.mbedcloud.com' },
    ]);
  });

  it("moves mbl-cli's plaintext key into the keychain and blanks it in the User Store", async () => {
    const { home, store } = homeWithMblCliStore();
    const c = core(home);
    expect((await c.call('credentials:api-key-status')).value).toMatchObject({ present: false, plaintextKeyInUserStore: true });
    const r = await c.call('credentials:migrate-plaintext-key');
    expect(r).toMatchObject({ ok: true, value: { present: true, masked: 'ak_…9f3e', accountName: 'Old mbl-cli account', plaintextKeyInUserStore: false } });
    expect(items.get(`provisioning-workstation|${emu.url}`)).toBe(LEGACY_KEY);
    expect(readFileSync(join(store, 'user/config.json'), 'utf8')).not.toContain(LEGACY_KEY);
    expect(await c.call('credentials:migrate-plaintext-key')).toMatchObject({ ok: false, code: 'no-plaintext-key' });
  });
});

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
    const ensured = await c.services.credentials.ensureDeveloperCertificate({ name: 'bench-1', create: false });
    expect(ensured).toMatchObject({ ok: true, value: { source: 'fetched', fingerprint: created.value.fingerprint } });
    expect(emu.requests.some((r) => r.method === 'GET' && r.path.startsWith('/v3/developer-certificates/'))).toBe(true);
    expect(await c.services.credentials.ensureDeveloperCertificate({ name: 'bench-1', create: false })).toMatchObject({ ok: true, value: { source: 'stored' } });

    const del = await c.call('certificates:delete', { name: 'bench-1', cloud: true });
    expect(del).toEqual({ ok: true, value: { name: 'bench-1', local: true, cloud: true } });
    expect((await c.call('certificates:list')).value).toMatchObject({ team: [], cloud: [] });
    expect(await c.call('certificates:fetch-dev', { name: 'bench-1' })).toMatchObject({ ok: false, code: 'not-found-in-cloud' });
    expect(await c.services.credentials.ensureDeveloperCertificate({ name: 'bench-2', create: true })).toMatchObject({ ok: true, value: { source: 'created' } });
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
    const dev = await c.call('certificates:import-dev', { name: 'portal', fileName: 'mbed_cloud_dev_credentials.c', text: readFileSync(join(FIXTURES, 'c-files/mbed_cloud_dev_credentials.c'), 'utf8') });
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
