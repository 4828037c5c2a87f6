/**
 * A fake of the renderer's client (renderer/transport): it answers channels from the handlers a test gives,
 * keyed by the contract's channel objects so an answer of the wrong shape fails to compile, checks each
 * request against the channel's schema as the router does, records every call, and lets the test push
 * events. A fake because a unit test has no core to talk to; the e2e tests run the real client against the
 * web host.
 */
import type { Channel, EventDef, ParsedRequestOf, PayloadOf, RequestOf, ResultOf } from '../../../shared/contract/channel';
import type { Client } from '../../../renderer/transport/transport';

/** Answers one channel; gets the request as the router hands it to a handler (checked, defaults filled in). */
export type Answer<C extends Channel> = (request: ParsedRequestOf<C>) => ResultOf<C> | Promise<ResultOf<C>>;

export interface FakeClient {
  client: Client;
  /** Every call so far, oldest first, by channel name. */
  calls: Array<{ name: string; request: unknown }>;
  /** Answers `channel` with `answer` from now on; a channel without one fails with `unknown-channel`. */
  answer<C extends Channel>(channel: C, answer: Answer<C>): FakeClient;
  /** The requests sent on `channel`, oldest first. */
  requests<C extends Channel>(channel: C): Array<RequestOf<C>>;
  /** Pushes an event to every callback subscribed to it. */
  emit<E extends EventDef>(event: E, payload: PayloadOf<E>): void;
  /** How many callbacks are subscribed to `event` now. */
  listeners(event: EventDef): number;
}

export function fakeClient(): FakeClient {
  const answers = new Map<string, { channel: Channel; answer: (request: unknown) => unknown }>();
  const subscribers = new Map<string, Set<(payload: unknown) => void>>();
  const calls: FakeClient['calls'] = [];
  const client: Client = {
    door: 'web',
    call: (async (channel: Channel, request: unknown) => {
      calls.push({ name: channel.name, request });
      const entry = answers.get(channel.name);
      if (!entry) return { ok: false, code: 'unknown-channel', message: `no fake answer for ${channel.name}` };
      const parsed = entry.channel.request.safeParse(request ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        return { ok: false, code: 'invalid-request', message: `${channel.name}: ${issues[0]?.path}: ${issues[0]?.message}`, details: { issues } };
      }
      return entry.answer(parsed.data);
    }) as Client['call'],
    on: ((event: EventDef, callback: (payload: unknown) => void) => {
      const set = subscribers.get(event.name) ?? new Set();
      subscribers.set(event.name, set.add(callback));
      return () => void set.delete(callback);
    }) as Client['on'],
  };
  const fake: FakeClient = {
    client,
    calls,
    answer(channel, answer) {
      answers.set(channel.name, { channel, answer: answer as (request: unknown) => unknown });
      return fake;
    },
    requests: (channel) => calls.filter((c) => c.name === channel.name).map((c) => c.request as RequestOf<typeof channel>),
    emit: (event, payload) => subscribers.get(event.name)?.forEach((cb) => cb(payload)),
    listeners: (event) => subscribers.get(event.name)?.size ?? 0,
  };
  return fake;
}
