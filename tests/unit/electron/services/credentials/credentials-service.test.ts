import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { homeWithMblCliStore } from '../stores/mbl-cli-fixture';
import { cloud, core, items, KEY, LEGACY_KEY, withEmulatedCloud } from './emulated-core';

withEmulatedCloud();

describe('credentials channels', () => {
  it('validates a key before storing it, answers only the masked form, and keeps the previous key when a new one is refused', async () => {
    const c = core();
    expect(await c.call('credentials:api-key-status')).toMatchObject({ ok: true, value: { present: false, masked: '', apiUrl: cloud.emu.url } });
    const saved = await c.call('credentials:api-key-save', { apiKey: KEY, apiUrl: cloud.emu.url });
    expect(saved).toEqual({
      ok: true,
      value: { present: true, masked: 'ak_…1a2b', apiUrl: cloud.emu.url, source: 'keychain', accountName: 'Lab bench account', plaintextKeyInUserStore: false },
    });
    expect((await c.settings.get()).ok && ((await c.settings.get()) as any).value.apiUrl).toBe(cloud.emu.url);

    const bad = await c.call('credentials:api-key-save', { apiKey: 'ak_9Zq0ZmFrZWtleWZvcnRoZXNlY29uZGFjY291bnQwMDAw9c8d', apiUrl: cloud.emu.url });
    expect(bad).toMatchObject({ ok: false, code: 'api-key-invalid' });
    expect(bad.message).toMatch(/previous key is kept/);
    expect(items.get(`provisioning-workstation|${cloud.emu.url}`)).toBe(KEY);

    // A new process still names the account (non-secret cache), and nothing it says holds the key.
    const status = await c.call('credentials:api-key-status', { apiUrl: cloud.emu.url });
    expect(status.value).toMatchObject({ present: true, masked: 'ak_…1a2b', accountName: 'Lab bench account' });
    expect(c.seen.join('\n')).not.toContain(KEY);
    expect(JSON.stringify(status)).not.toContain(KEY);
    for (const f of readdirSync(c.dataDir)) expect(readFileSync(join(c.dataDir, f), 'utf8')).not.toContain(KEY);

    expect(await c.call('credentials:api-key-delete', { apiUrl: cloud.emu.url })).toMatchObject({ ok: true, value: { present: false } });
    expect(items.size).toBe(0);
  });

  it('with no key saved yet, a refused key says nothing was saved (there is no previous key to keep)', async () => {
    const c = core();
    const bad = await c.call('credentials:api-key-save', { apiKey: 'ak_9Zq0ZmFrZWtleWZvcnRoZXNlY29uZGFjY291bnQwMDAw9c8d', apiUrl: cloud.emu.url });
    expect(bad).toMatchObject({ ok: false, code: 'api-key-invalid' });
    expect(bad.message).toBe(
      `the API key was not accepted by ${cloud.emu.url} (GET /v3/accounts/me answered HTTP 401): nothing was saved; check the key and try again`,
    );
    expect(items.size).toBe(0);
  });

  it('refuses a key with spaces before any network call', async () => {
    const c = core();
    const before = cloud.emu.requests.length;
    expect(await c.call('credentials:api-key-save', { apiKey: 'ak_abc def' })).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(cloud.emu.requests.length).toBe(before);
  });

  it('names the apiUrl field when the URL given with a request is refused, so the form can show it beside that field', async () => {
    const c = core();
    const r = await c.call('credentials:api-key-save', { apiKey: KEY, apiUrl: 'http://api.example.com' });
    expect(r).toMatchObject({ ok: false, code: 'invalid-request', details: { issues: [{ path: 'apiUrl' }] } });
    expect(r.ok || r.message).toMatch(/^the API URL must use https/);
  });

  it('names PWS_API_URL when the URL from the environment is refused', async () => {
    const r = await core(undefined, undefined, { PWS_API_URL: 'ftp://api.example.com' }).call('credentials:api-key-status');
    expect(r).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(r.message).toMatch(/^PWS_API_URL: the API URL must start with https/);
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
    expect(items.get(`provisioning-workstation|${cloud.emu.url}`)).toBe(LEGACY_KEY);
    expect(readFileSync(join(store, 'user/config.json'), 'utf8')).not.toContain(LEGACY_KEY);
    expect(await c.call('credentials:migrate-plaintext-key')).toMatchObject({ ok: false, code: 'no-plaintext-key' });
  });
});
