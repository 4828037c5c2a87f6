import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { createCore, defaultCoreDeps, type Core } from '../../../electron/services/composition';
import { startWebHost, type WebHost } from '../../../electron/host/web-host';

let core: Core;
let host: WebHost;
let staticDir: string;

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, id: number, channel: string, req: unknown): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data));
      if (msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg.result);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, request: req }));
  });
}

beforeAll(async () => {
  const home = mkdtempSync(join(tmpdir(), 'pws-host-'));
  staticDir = join(home, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(home, 'secret.txt'), 'outside the static folder');
  core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: {} }));
  host = await startWebHost({ core, staticDir });
});

afterAll(async () => {
  await host.close();
  await core.close();
});

describe('loopback web host', () => {
  it('binds 127.0.0.1 and prints a URL carrying the token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[\\w-]{20,}$`));
  });

  it('refuses a request without the token with 401', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
  });

  it('serves the page with the token and a strict CSP, and never puts the token in a cookie (cookies reach every port)', async () => {
    const r = await get(`/?token=${host.token}`);
    expect(r.status).toBe(200);
    expect(r.headers['set-cookie']).toBeUndefined();
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
  });

  it('does not take the token from a cookie', async () => {
    expect((await get('/index.html', { cookie: `pws_token=${host.token}` })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    expect((await get(`/?token=${host.token}`, { host: 'evil.example' })).status).toBe(401);
  });

  it('never serves files outside its folder', async () => {
    const r = await get(`/..%2Fsecret.txt?token=${host.token}`);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('outside');
  });

  it('refuses a WebSocket without the token, with the token only in a cookie, from another origin, or without an Origin', async () => {
    const own = { origin: `http://127.0.0.1:${host.port}` };
    await expect(openSocket('', own)).rejects.toThrow(/401/);
    await expect(openSocket('', { ...own, cookie: `pws_token=${host.token}` })).rejects.toThrow(/401/);
    await expect(openSocket(`?token=${host.token}`, { origin: 'https://evil.example' })).rejects.toThrow(/401/);
    await expect(openSocket(`?token=${host.token}`, { origin: `http://127.0.0.1:${host.port + 1}` })).rejects.toThrow(/401/);
    await expect(openSocket(`?token=${host.token}`)).rejects.toThrow(/401/);
  });

  it('speaks the contract over a real WebSocket, validating requests', async () => {
    const ws = await openSocket(`?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
    const got = await call(ws, 1, 'settings:get', {});
    expect(got).toMatchObject({ ok: true, value: { concurrency: 8, theme: 'system' } });

    const bad = await call(ws, 2, 'settings:update', { concurrency: 0 });
    expect(bad).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(bad.message).toContain('concurrency');

    const unknown = await call(ws, 3, 'nope:nothing', {});
    expect(unknown).toMatchObject({ ok: false, code: 'unknown-channel' });

    // Events pushed by the core reach the socket.
    const event = new Promise<any>((resolve) =>
      ws.on('message', (d) => {
        const m = JSON.parse(String(d));
        if (m.event) resolve(m);
      }),
    );
    const updated = await call(ws, 4, 'settings:update', { concurrency: 3 });
    expect(updated).toMatchObject({ ok: true, value: { concurrency: 3 } });
    expect(await event).toMatchObject({ event: 'settings:changed', payload: { concurrency: 3 } });
    ws.close();
  });
});
