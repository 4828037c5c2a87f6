import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { REPO_ROOT } from '../../lab/lab';

/**
 * The real web host (`node dist/host/web.cjs`, what `npm run web` runs) as a child process, so that a crash is
 * seen as what it is: the process gone.
 */
let child: ChildProcess;
let port: number;
let token: string;
const stderr: string[] = [];

beforeAll(async () => {
  await promisify(execFile)('node', ['scripts/build.mjs', 'node'], { cwd: REPO_ROOT });
  const home = mkdtempSync(join(tmpdir(), 'pws-fuzz-home-'));
  child = spawn(process.execPath, ['dist/host/web.cjs'], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOME: home, PWS_DATA_DIR: join(home, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}: ${stderr.join('\n')}`)));
  });
  const u = new URL(url);
  port = Number(u.port);
  token = u.searchParams.get('token')!;
}, 60_000);

afterAll(() => {
  child?.kill();
});

/** Sends raw bytes on a fresh TCP connection; resolves with whatever came back before the close (or 2 s). */
function raw(bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const done = () => {
      socket.destroy();
      resolve(got);
    };
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
    socket.setTimeout(2000, done);
    socket.write(bytes);
  });
}

const request = (line: string, headers: string[] = [`Host: 127.0.0.1:${0}`]) => `${line}\r\n${headers.join('\r\n')}\r\nConnection: close\r\n\r\n`;
const host = () => `Host: 127.0.0.1:${port}`;

function openSocket(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, { origin: `http://127.0.0.1:${port}`, maxPayload: 64 << 20 });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_q, r) => reject(new Error(`HTTP ${r.statusCode}`)));
  });
}

/** One round trip on a socket: the answer to `id`, or undefined if the socket closed first. */
function call(ws: WebSocket, id: number, channel: string, req: unknown): Promise<{ ok: boolean; code?: string } | undefined> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data));
      if (msg.id === id) resolve(msg.result);
    };
    ws.on('message', onMessage);
    ws.once('close', () => resolve(undefined));
    ws.send(JSON.stringify({ id, channel, request: req }));
  });
}

describe('the web host cannot be crashed (real process, malformed inputs)', () => {
  it('survives 200+ malformed requests, headers, paths, cookies and WebSocket frames, then still answers', async () => {
    const sent: string[] = [];
    const send = async (what: string, bytes: string | Buffer) => {
      sent.push(what);
      await raw(bytes);
      expect(child.exitCode, `the host died after: ${what}\n${stderr.slice(-5).join('\n')}`).toBeNull();
    };

    // request lines, before and after authentication
    const lines = [
      'GET http://[ HTTP/1.1',
      `GET http://[?token=${token} HTTP/1.1`,
      `GET /%E0%A4%A?token=${token} HTTP/1.1`,
      'GET /%E0%A4%A HTTP/1.1',
      `GET /%?token=${token} HTTP/1.1`,
      `GET /%00?token=${token} HTTP/1.1`,
      `GET /..%2f..%2fetc%2fpasswd?token=${token} HTTP/1.1`,
      'GET  HTTP/1.1',
      'GET',
      'GARBAGE',
      'GET / HTTP/9.9',
      `GET //evil/?token=${token} HTTP/1.1`,
      `GET http://127.0.0.1:${port}/?token=${token} HTTP/1.1`,
      'CONNECT 127.0.0.1:1 HTTP/1.1',
      'OPTIONS * HTTP/1.1',
      `POST /?token=${token} HTTP/1.1`,
      `DELETE /ws?token=${token} HTTP/1.1`,
      `GET /?token=${'x'.repeat(5000)} HTTP/1.1`,
      `GET /?token=${token}&token=%ZZ HTTP/1.1`,
      'GET /\u00ff\u00fe HTTP/1.1',
      `GET /${'a/'.repeat(2000)} HTTP/1.1`,
    ];
    for (const line of lines) await send(line, request(line, [host()]));
    for (let i = 0; i < 150; i++) {
      const junk = [...randomBytes(1 + (i % 7))].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') + (i % 3 === 0 ? '%' : i % 3 === 1 ? '%E' : '');
      await send(`bad percent-encoding ${i}`, request(`GET /${junk}${i % 2 ? `?token=${token}` : ''} HTTP/1.1`, [host()]));
    }
    // headers and cookies
    const headerSets: Array<[string, string[]]> = [
      ['huge header', [host(), `X-Big: ${'a'.repeat(100_000)}`]],
      ['many headers', [host(), ...Array.from({ length: 3000 }, (_, i) => `X-${i}: ${i}`)]],
      ['no Host', []],
      ['bad Host', ['Host: [']],
      ['two Hosts', [host(), 'Host: evil.example']],
      ['bad cookie', [host(), 'Cookie: pws_token=%%%; =; ;;;']],
      ['huge cookie', [host(), `Cookie: ${'c=1; '.repeat(3000)}`]],
      ['binary header', [host(), 'X-Bin: \u0000\u0001\u0002']],
      ['header without colon', [host(), 'NoColonHere']],
      ['bad content-length', [host(), 'Content-Length: -1']],
      ['bad chunking', [host(), 'Transfer-Encoding: chunked, chunked']],
    ];
    for (const [what, hs] of headerSets) await send(what, request(`GET /?token=${token} HTTP/1.1`, hs));
    for (const b of [Buffer.alloc(64, 0), randomBytes(4096), Buffer.from('\r\n\r\n\r\n'), Buffer.from('GET / HTTP/1.1\r\n')]) await send('binary noise', b);

    // WebSocket handshakes
    const upgrade = (path: string, extra: string[]) =>
      request(`GET ${path} HTTP/1.1`, [host(), 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', ...extra]);
    const own = `Origin: http://127.0.0.1:${port}`;
    for (const [what, path, extra] of [
      ['bad key', `/ws?token=${token}`, [own, 'Sec-WebSocket-Key: nope']],
      ['no key', `/ws?token=${token}`, [own]],
      ['bad URL', 'http://[', [own, 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']],
      ['bad path encoding', `/ws%E0%A4%A?token=${token}`, [own, 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']],
      ['bad version', `/ws?token=${token}`, [own, 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 99']],
    ] as const) {
      await send(`handshake: ${what}`, upgrade(path, [...extra]));
    }

    // frames on an open socket
    const ws = await openSocket();
    const frames: Array<string | Buffer> = [
      'not json',
      '{',
      '[]',
      'null',
      '42',
      '"text"',
      JSON.stringify({ id: -1, channel: 'settings:get' }),
      JSON.stringify({ id: 1.5, channel: 'x' }),
      JSON.stringify({ id: 1, channel: 'x'.repeat(5000) }),
      JSON.stringify({ id: 2, channel: 'nope:nothing', request: {} }),
      JSON.stringify({ id: 3, channel: 'settings:update', request: { concurrency: 'many' } }),
      JSON.stringify({ id: 4, channel: '__proto__', request: {} }),
      JSON.stringify({ id: 5, channel: 'constructor', request: {} }),
      JSON.stringify({ id: 6, channel: 'devices:add-manual', request: { address: 'a'.repeat(100_000) } }),
      Buffer.from([0, 1, 2, 3]),
      randomBytes(1024),
      Buffer.from(JSON.stringify({ id: 7, channel: 'settings:get', request: {} })),
    ];
    for (const f of frames) {
      sent.push(`frame ${String(f).slice(0, 30)}`);
      ws.send(f, { binary: Buffer.isBuffer(f) });
    }
    expect(await call(ws, 100, 'settings:get', {})).toMatchObject({ ok: true });
    expect(await call(ws, 101, 'nope:nothing', {})).toMatchObject({ ok: false, code: 'unknown-channel' });
    ws.close();

    // an oversized message, and raw garbage written under the WebSocket framing: each closes only its own socket
    const big = await openSocket();
    const closed = new Promise((r) => big.once('close', r));
    big.on('error', () => undefined);
    big.send('x'.repeat(5 * 1024 * 1024));
    sent.push('oversized message');
    await closed;
    const garbage = await openSocket();
    const closed2 = new Promise((r) => garbage.once('close', r));
    garbage.on('error', () => undefined);
    (garbage as unknown as { _socket: { write(b: Buffer): void } })._socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x01]));
    sent.push('invalid frame bytes');
    await closed2;

    expect(sent.length).toBeGreaterThanOrEqual(200);
    expect(child.exitCode, stderr.slice(-5).join('\n')).toBeNull();
    // and it still answers a valid request, page and socket
    expect(await raw(request(`GET /?token=${token} HTTP/1.1`, [host()]))).toMatch(/^HTTP\/1\.1 200/);
    const after = await openSocket();
    expect(await call(after, 1, 'settings:get', {})).toMatchObject({ ok: true });
    after.close();
    // each refusal was logged as one line, without the token
    expect(stderr.some((l) => /web host: refused a malformed request/.test(l))).toBe(true);
    expect(stderr.filter((l) => l.includes('web host:')).join('\n')).not.toContain(token);
  }, 120_000);

  it('answers 400, not a crash, to the two requests that killed it', async () => {
    expect(await raw(request('GET http://[ HTTP/1.1', [host()]))).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(request(`GET /%E0%A4%A?token=${token} HTTP/1.1`, [host()]))).toMatch(/^HTTP\/1\.1 404/);
    expect(child.exitCode).toBeNull();
  });
});
