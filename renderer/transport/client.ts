import type { Channel, EventDef, PayloadOf, RequestOf, ResultOf } from '../../shared/contract/channel';
import type { PreloadBridge } from '../../shared/contract/bridge';
import { createWebSocketTransport } from './websocket-transport';

/** How the renderer reaches the core: the preload bridge inside Electron, a WebSocket in a browser. */
export interface Transport {
  door: 'electron' | 'web';
  invoke(channel: string, request: unknown): Promise<unknown>;
  subscribe(event: string, callback: (payload: unknown) => void): () => void;
}

/** The typed face of a transport: the channel object fixes both the request and the result types. */
export interface Client {
  door: Transport['door'];
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResultOf<C>>;
  on<E extends EventDef>(event: E, callback: (payload: PayloadOf<E>) => void): () => void;
}

export function createClient(transport: Transport): Client {
  return {
    door: transport.door,
    call: (channel, request) => transport.invoke(channel.name, request) as Promise<never>,
    on: (event, callback) => transport.subscribe(event.name, callback as (p: unknown) => void),
  };
}

declare global {
  interface Window {
    pws?: PreloadBridge;
  }
}

export function bridgeTransport(bridge: PreloadBridge): Transport {
  return {
    door: 'electron',
    invoke: (name, request) => {
      const fn = bridge.calls[name];
      return fn ? fn(request) : Promise.resolve({ ok: false, code: 'unknown-channel', message: `"${name}" is not exposed by the preload bridge` });
    },
    subscribe: (event, callback) => bridge.subscribe(event, callback),
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

let client: Client | undefined;

/** The app's one client, chosen at startup: the preload bridge if present, the WebSocket otherwise. */
export function getClient(): Client {
  client ??= createClient(window.pws ? bridgeTransport(window.pws) : createWebSocketTransport(webSocketUrl(location)));
  return client;
}

/** Tests swap in a client of their own. */
export function setClient(next: Client): void {
  client = next;
}
