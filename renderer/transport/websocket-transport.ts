import type { WireEvent, WireResponse } from '../../shared/contract/wire';
import type { Transport } from './transport';

type Pending = { resolve: (value: unknown) => void };

/**
 * The contract over the loopback web host's WebSocket (its URL carries the page's token, see `webSocketUrl`).
 * Reconnects with backoff; calls made while the
 * socket is down fail with `disconnected` instead of hanging.
 */
export function createWebSocketTransport(url: string): Transport {
  let socket: WebSocket | undefined;
  let ready: Promise<WebSocket> | undefined;
  let nextId = 1;
  let retryMs = 250;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const failAll = () => {
    for (const p of pending.values()) {
      p.resolve({ ok: false, code: 'disconnected', message: 'lost the connection to the workstation host: is `npm run web` still running?' });
    }
    pending.clear();
  };

  function connect(): Promise<WebSocket> {
    ready ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        retryMs = 250;
        resolve(ws);
      };
      ws.onmessage = (msg) => {
        const data = JSON.parse(String(msg.data)) as WireResponse | WireEvent;
        if ('event' in data) listeners.get(data.event)?.forEach((cb) => cb(data.payload));
        else {
          pending.get(data.id)?.resolve(data.result);
          pending.delete(data.id);
        }
      };
      ws.onclose = () => {
        socket = undefined;
        ready = undefined;
        failAll();
        reject(new Error('closed'));
        // Keep event subscriptions alive across host restarts.
        if (listeners.size) setTimeout(() => void connect().catch(() => undefined), (retryMs = Math.min(retryMs * 2, 5000)));
      };
    });
    return ready;
  }

  return {
    door: 'web',
    async invoke(channel, request) {
      let ws: WebSocket;
      try {
        ws = socket ?? (await connect());
      } catch {
        return { ok: false, code: 'disconnected', message: 'could not reach the workstation host: is `npm run web` running?' };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { resolve });
        ws.send(JSON.stringify({ id, channel, request }));
      });
    },
    subscribe(event, callback) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(callback);
      void connect().catch(() => undefined);
      return () => {
        set.delete(callback);
      };
    },
  };
}

/**
 * The web host's WebSocket, carrying the token of the page's own URL: the token is never kept in a cookie,
 * which the browser would also send to every other port on 127.0.0.1.
 */
export function webSocketUrl(page: Pick<Location, 'host' | 'search'>): string {
  const token = new URLSearchParams(page.search).get('token') ?? '';
  return `ws://${page.host}/ws?token=${encodeURIComponent(token)}`;
}
