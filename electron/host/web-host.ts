import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../services/composition';
import { rendererCsp } from './csp';
import { readStatic } from './static-files';
import { WireRequestSchema, type WireEvent, type WireResponse } from '../../shared/contract/wire';

export interface WebHost {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const COOKIE = 'pws_token';
const LOOPBACK = '127.0.0.1';

/**
 * The loopback door: serves the built renderer and the same contract over a WebSocket.
 * - binds 127.0.0.1 only;
 * - every request needs the per-start token (query `?token=` once, then an HttpOnly SameSite cookie);
 * - the Host and Origin headers must be our own origin, which stops DNS rebinding and cross-site sockets.
 */
export async function startWebHost(opts: { core: Core; staticDir: string; port?: number; token?: string }): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  let origin = '';

  const tokenOk = (candidate: string | undefined | null) => {
    if (!candidate) return false;
    const c = Buffer.from(candidate);
    return c.length === tokenBuf.length && timingSafeEqual(c, tokenBuf);
  };
  const cookieToken = (req: IncomingMessage) =>
    /(?:^|;\s*)pws_token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  const authorised = (req: IncomingMessage, url: URL) => {
    if (req.headers.host !== `${LOOPBACK}:${port}`) return false;
    return tokenOk(url.searchParams.get('token')) || tokenOk(cookieToken(req));
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    const headers: Record<string, string> = {
      'Content-Security-Policy': rendererCsp([`ws://${LOOPBACK}:${port}`]),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    };
    if (!authorised(req, url)) {
      res.writeHead(401, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('401: this page needs the token that `npm run web` printed with its URL\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    const file = await readStatic(opts.staticDir, url.pathname);
    if (!file) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    if (url.searchParams.has('token')) {
      headers['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, { ...headers, 'Content-Type': file.type });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/ws' || !authorised(req, url) || (req.headers.origin && req.headers.origin !== origin)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket) {
    const send = (msg: WireResponse | WireEvent) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(msg));
    const unsubscribe = opts.core.events.onAny((event, payload) => send({ event, payload }));
    ws.on('close', unsubscribe);
    ws.on('message', async (data) => {
      let parsed;
      try {
        parsed = WireRequestSchema.safeParse(JSON.parse(String(data)));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) {
        send({ id: -1, result: { ok: false, code: 'invalid-request', message: 'messages must be {id, channel, request} JSON' } });
        return;
      }
      const { id, channel, request } = parsed.data;
      send({ id, result: await opts.core.router.dispatch(channel, request, { door: 'web' }, opts.core.deps.log) });
    });
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
