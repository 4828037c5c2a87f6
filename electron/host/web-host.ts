import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Core } from '../services/core';
import { rendererCsp } from '../renderer-page/csp';
import { readStatic } from '../renderer-page/static-files';
import { WireRequestSchema, type WireEvent, type WireResponse } from '../../shared/contract/wire';

export interface WebHost {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
/** One contract message; the largest request (a C file import) is well under it. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** The longest request line + headers node accepts before answering 431. */
const MAX_HEADER_BYTES = 16 * 1024;

/** Pages that show the app: they need the token in the URL. Everything else is the public build (scripts, styles). */
const isPage = (pathname: string) => pathname === '/' || pathname.endsWith('.html');

/** A request path as logged: never its query, which may carry the token. */
const loggable = (raw: string | undefined) => JSON.stringify((raw ?? '').split('?')[0]!.slice(0, 200));

/**
 * The loopback door: serves the built renderer and the same contract over a WebSocket.
 * - binds 127.0.0.1 only; the Host header must be our own (no DNS rebinding);
 * - the token (random per start) is never put in a cookie, which every other port on 127.0.0.1 would receive:
 *   a page is served only with `?token=` in its URL, and the WebSocket handshake must carry it too, from a page
 *   of our own origin (an `Origin` header is required, so other programs and other sites are refused);
 * - nothing a client sends can stop the host: every handler answers 400/500 and logs one line instead of throwing.
 */
export async function startWebHost(opts: { core: Core; staticDir: string; port?: number; token?: string }): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const log = opts.core.deps.log;
  let origin = '';

  const tokenOk = (candidate: string | undefined | null) => {
    if (!candidate) return false;
    const c = Buffer.from(candidate);
    return c.length === tokenBuf.length && timingSafeEqual(c, tokenBuf);
  };
  const ownHost = (req: IncomingMessage) => req.headers.host === `${LOOPBACK}:${port}`;
  /** The request URL, or undefined for one that does not parse (`GET http://[ HTTP/1.1`). */
  const parseUrl = (req: IncomingMessage) => {
    try {
      return new URL(req.url ?? '/', origin);
    } catch {
      return undefined;
    }
  };

  const headers = (): Record<string, string> => ({
    'Content-Security-Policy': rendererCsp([`ws://${LOOPBACK}:${port}`]),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  const answer = (res: ServerResponse, status: number, text: string) => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { ...headers(), 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
  };

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseUrl(req);
    if (!url) return answer(res, 400, '400: malformed request URL');
    if (!ownHost(req) || (isPage(url.pathname) && !tokenOk(url.searchParams.get('token')))) {
      return answer(res, 401, '401: this page needs the token that `npm run web` printed with its URL');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, '405: only GET');
    const file = await readStatic(opts.staticDir, url.pathname);
    if (!file) return answer(res, 404, 'not found');
    res.writeHead(200, { ...headers(), 'Content-Type': file.type });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    serveHttp(req, res).catch((err: unknown) => {
      log.warn(`web host: ${req.method} ${loggable(req.url)} failed: ${(err as Error)?.message ?? String(err)}`);
      answer(res, 500, '500: internal error');
    });
  });
  // A request node cannot parse at all (bad request line, header too large): one line, then 400/431.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    log.warn(`web host: refused a malformed request (${err.code ?? err.message})`);
    if (socket.writable)
      socket.end(`HTTP/1.1 ${err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = parseUrl(req);
      if (!url || url.pathname !== '/ws' || !ownHost(req) || req.headers.origin !== origin || !tokenOk(url.searchParams.get('token'))) {
        log.warn(`web host: refused a WebSocket handshake for ${loggable(req.url)} (origin ${JSON.stringify(req.headers.origin ?? 'none')})`);
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
    } catch (err) {
      log.warn(`web host: WebSocket handshake failed: ${(err as Error).message}`);
      socket.destroy();
    }
  });

  function serveSocket(ws: WebSocket) {
    const send = (msg: WireResponse | WireEvent) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(msg));
    const unsubscribe = opts.core.events.onAny((event, payload) => send({ event, payload }));
    ws.on('close', unsubscribe);
    // bad frames, oversized messages: ws closes the socket (1002/1009); without a listener the error would crash us
    ws.on('error', (err) => log.warn(`web host: closed a WebSocket: ${err.message}`));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      handleMessage(data, isBinary).catch((err: unknown) => {
        log.warn(`web host: a WebSocket message failed: ${(err as Error)?.message ?? String(err)}`);
        send({ id: -1, result: { ok: false, code: 'internal', message: 'the message could not be handled' } });
      });
    });

    async function handleMessage(data: RawData, isBinary: boolean) {
      let parsed;
      try {
        parsed = isBinary ? undefined : WireRequestSchema.safeParse(JSON.parse(String(data)));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) {
        send({ id: -1, result: { ok: false, code: 'invalid-request', message: 'messages must be {id, channel, request} JSON text' } });
        return;
      }
      const { id, channel, request } = parsed.data;
      send({ id, result: await opts.core.router.dispatch(channel, request, { door: 'web' }) });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${LOOPBACK}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    token,
    port,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
