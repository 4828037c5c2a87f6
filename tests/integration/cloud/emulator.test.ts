import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startCloudEmulator, type CloudEmulator } from '../../cloud-emulator/emulator';

const KEY = 'ak_emulator_fault_tests_0000000001';
let emu: CloudEmulator;
const get = (path: string, key = KEY) => fetch(`${emu.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
const post = (path: string, body: unknown) =>
  fetch(`${emu.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  emu = await startCloudEmulator({ port: 0 });
  emu.addAccount({ name: 'Faults', apiKey: KEY, id: 'a'.repeat(32) });
});
afterAll(async () => {
  await emu?.close();
});
afterEach(() => emu.clearFaults());

describe('cloud emulator', () => {
  it('listens on 127.0.0.1 with a random port', () => {
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('401 for a missing or unknown key, in the ErrorResponse shape', async () => {
    const none = await fetch(`${emu.url}/v3/accounts/me`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 401, object: 'error', request_id: expect.stringMatching(/^[a-f0-9]{32}$/), type: expect.any(String) });
    expect((await get('/v3/accounts/me', 'ak_nope_0000000000')).status).toBe(401);
  });

  it('404 and 405 for unknown endpoints and methods', async () => {
    expect((await get('/v3/nothing')).status).toBe(404);
    const r = await fetch(`${emu.url}/v3/accounts/me`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } });
    expect(r.status).toBe(405);
  });

  it('injects a status with Retry-After for a number of times, matched by method and RegExp path', async () => {
    emu.inject({ method: 'GET', path: /^\/v3\/(accounts|api-keys)\/me$/, status: 429, retryAfter: 3, times: 2 });
    const a = await get('/v3/accounts/me');
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('3');
    expect(await a.json()).toMatchObject({ code: 429, object: 'error' });
    expect((await get('/v3/api-keys/me')).status).toBe(429);
    expect((await get('/v3/accounts/me')).status).toBe(200);
    const rec = emu.requests.slice(-3);
    expect(rec.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(rec[0]!.fault).toMatchObject({ status: 429, retryAfter: 3 });
    expect(rec[0]!.headers.authorization).toBe('Bearer [masked]');
  });

  it('a string path matches exactly; method filters', async () => {
    emu.inject({ method: 'POST', path: '/v3/accounts/me', status: 500 });
    expect((await get('/v3/accounts/me')).status).toBe(200);
    emu.clearFaults();
    emu.inject({ path: '/v3/accounts', status: 500 });
    expect((await get('/v3/accounts/me')).status).toBe(200);
  });

  it('covers 401, 403, 409 and 500 as injected statuses', async () => {
    for (const status of [401, 403, 409, 500]) {
      emu.inject({ path: '/v3/accounts/me', status });
      const r = await get('/v3/accounts/me');
      expect(r.status).toBe(status);
      expect(await r.json()).toMatchObject({ code: status, object: 'error' });
    }
  });

  it('drops connections and delays answers', async () => {
    emu.inject({ path: '/v3/accounts/me', drop: true });
    await expect(get('/v3/accounts/me')).rejects.toThrow();
    emu.inject({ path: '/v3/accounts/me', delayMs: 150 });
    const t0 = Date.now();
    expect((await get('/v3/accounts/me')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('issues a fresh P-256 key per developer certificate, and 409 on a duplicate name', async () => {
    const a = (await (await post('/v3/developer-certificates', { name: 'k1' })).json()) as Record<string, string>;
    const b = (await (await post('/v3/developer-certificates', { name: 'k2' })).json()) as Record<string, string>;
    expect(a.developer_private_key).not.toBe(b.developer_private_key);
    expect(createPrivateKey(a.developer_private_key!).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(a.object).toBe('trusted-cert');
    const dup = await post('/v3/developer-certificates', { name: 'k1' });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ code: 409, object: 'error' });
  });

  it('rejects a bulk upload without the enrollment_identities file', async () => {
    const form = new FormData();
    form.append('other', new Blob(['x']), 'x.csv');
    const r = await fetch(`${emu.url}/v3/device-enrollments-bulk-uploads`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: form });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ type: 'validation_error', fields: [{ name: 'enrollment_identities' }] });
  });

  it('serves the bulk reports once completed', async () => {
    const id = `A-${Array(32).fill('0F').join(':')}`;
    const form = new FormData();
    form.append('enrollment_identities', new Blob([`header\n${id}\nbad\n`]), 'e.csv');
    const up = (await (
      await fetch(`${emu.url}/v3/device-enrollments-bulk-uploads`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: form })
    ).json()) as { id: string };
    const statuses: string[] = [];
    let last: Record<string, unknown> = {};
    for (let i = 0; i < 2; i++) {
      last = (await (await get(`/v3/device-enrollments-bulk-uploads/${up.id}`)).json()) as Record<string, unknown>;
      statuses.push(String(last.status));
    }
    expect(statuses).toEqual(['processing', 'completed']);
    expect(last).toMatchObject({ total_count: 2, errors_count: 1, processed_count: 2 });
    const errors = await (await get(new URL(String(last.errors_report_file)).pathname)).text();
    expect(errors).toContain('bad,invalid enrollment identity');
  });

  it('kept every response to the spec', () => {
    expect(emu.responseViolations).toEqual([]);
  });
});

describe('standalone main.ts', () => {
  it('start.mjs starts it from any directory, prints one JSON line with the url, and serves the env API key', async () => {
    const start = fileURLToPath(new URL('../../cloud-emulator/start.mjs', import.meta.url));
    const key = 'ak_standalone_emulator_key_42';
    const child = spawn(process.execPath, [start], { cwd: tmpdir(), env: { ...process.env, EMULATOR_API_KEY: key }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const rl = createInterface({ input: child.stdout! });
      const [line] = (await once(rl, 'line')) as [string];
      const { url, accountId } = JSON.parse(line) as { url: string; accountId: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const me = await fetch(`${url}/v3/accounts/me`, { headers: { authorization: `Bearer ${key}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ id: accountId });
      // Developer certificates need the fixtures: they must resolve outside the project directory too.
      const dc = await fetch(`${url}/v3/developer-certificates`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: '{"name":"standalone"}',
      });
      expect(dc.status).toBe(201);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
