import { bridgeTransport } from './bridge-transport';
import type { Client, Transport } from './transport';
import { createWebSocketTransport, webSocketUrl } from './websocket-transport';

export function createClient(transport: Transport): Client {
  return {
    door: transport.door,
    call: (channel, request) => transport.invoke(channel.name, request) as Promise<never>,
    on: (event, callback) => transport.subscribe(event.name, callback as (p: unknown) => void),
  };
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
