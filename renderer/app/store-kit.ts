/**
 * The three conventions every renderer store follows, in one place:
 * - an action resolves to an `ActionResult`: null when it worked, or the contract's `Failure` to show. The
 *   component that called it decides how (a field error, a toast); stores never toast for their actions.
 * - `subscribeOnce` follows a core event for the app's lifetime, made on first use, with a disposer;
 * - `latestOnly` drops an answer that a newer request has overtaken.
 */
import type { EventDef, PayloadOf } from '../../shared/contract/channel';
import type { Failure, Result } from '../../shared/contract/result';
import type { Client } from '../transport/transport';
import { getClient } from '../transport/client';

export type ActionResult = Failure | null;

/** The failure of a call, or null when it worked: for actions that need nothing from the answer. */
export const failureOf = (r: Result<unknown>): ActionResult => (r.ok ? null : r);

interface Subscription {
  client: Client;
  dispose(): void;
}
const subscriptions = new Map<(payload: never) => void, Subscription>();

/**
 * Subscribes `callback` to `event` on the app's client, once: later calls with the same callback are no-ops
 * (pass a function the store defines once, not an inline arrow). Returns the disposer. A test that swaps
 * the client gets the callback subscribed to the new one on its next use.
 */
export function subscribeOnce<E extends EventDef>(event: E, callback: (payload: PayloadOf<E>) => void): () => void {
  const client = getClient();
  const existing = subscriptions.get(callback);
  if (existing?.client === client) return existing.dispose;
  existing?.dispose();
  const off = client.on(event, callback);
  const subscription: Subscription = {
    client,
    dispose() {
      off();
      if (subscriptions.get(callback) === subscription) subscriptions.delete(callback);
    },
  };
  subscriptions.set(callback, subscription);
  return subscription.dispose;
}

/** Ends every subscription `subscribeOnce` made (tests start from none). */
export function disposeSubscriptions(): void {
  for (const s of [...subscriptions.values()]) s.dispose();
}

/** What `latestOnly` answers for a request that a newer one overtook. */
export const STALE = Symbol('stale answer');

/**
 * A guard for requests that may overlap (a filter typed quickly, a list reloaded by an event): wrap each
 * request's promise, and only the newest one's answer comes back; older ones answer `STALE`.
 */
export function latestOnly(): <T>(request: Promise<T>) => Promise<T | typeof STALE> {
  let newest = 0;
  return async (request) => {
    const mine = ++newest;
    const answer = await request;
    return mine === newest ? answer : STALE;
  };
}

/**
 * The form field a refused request names, if it is one of `fields`: the router lists what the contract's
 * schema refused in `details.issues[].path`, so no screen has to guess the field from the message.
 */
export function failedField<F extends string>(failure: Failure, fields: readonly F[]): F | undefined {
  const issues = failure.details?.issues;
  if (!Array.isArray(issues)) return undefined;
  const paths = issues.map((issue: { path?: unknown }) => issue.path);
  return fields.find((f) => paths.includes(f));
}
