import type { Client } from '../../../../renderer/transport/transport';

export type Handler = (request: unknown) => unknown;

/** A client that answers channels by name from the handlers given, and records every call. */
export function fakeClient(handlers: Record<string, Handler>) {
  const calls: Array<{ name: string; request: unknown }> = [];
  const listeners = new Map<string, Array<(payload: unknown) => void>>();
  const client: Client = {
    door: 'web',
    call: (async (channel: { name: string }, request: unknown) => {
      calls.push({ name: channel.name, request });
      const handler = handlers[channel.name];
      if (!handler) return { ok: false, code: 'unknown-channel', message: `no fake for ${channel.name}` };
      return handler(request);
    }) as Client['call'],
    on: ((event: { name: string }, cb: (payload: unknown) => void) => {
      listeners.set(event.name, [...(listeners.get(event.name) ?? []), cb]);
      return () => undefined;
    }) as Client['on'],
  };
  const emit = (name: string, payload: unknown) => listeners.get(name)?.forEach((cb) => cb(payload));
  return { client, calls, emit };
}
