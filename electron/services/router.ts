import type { Channel, ParsedRequestOf, ResultOf } from '../../shared/contract/channel';
import type { Door } from '../../shared/contract/app';
import { allChannels, findChannel } from '../../shared/contract/index';
import { fail, type Result } from '../../shared/contract/result';
import type { Logger } from './log';
import { issueInWords } from '../../shared/contract/issue-words';

/** A handler for one channel: takes the already-validated request. */
export type Handler<C extends Channel> = (request: ParsedRequestOf<C>, ctx: CallContext) => Promise<ResultOf<C>>;
export type HandlerMap = Map<string, (request: unknown, ctx: CallContext) => Promise<Result<unknown>>>;

export interface CallContext {
  /** Which door the call came through, for the audit trail and logs. */
  door: Door;
}

/** Collects handlers; `route()` keeps the pairing of channel and handler type-checked. */
export class Router {
  readonly handlers: HandlerMap = new Map();

  /** `log`: where a handler's crash is reported, whichever door the call came through. */
  constructor(readonly log: Logger) {}

  route<C extends Channel>(channel: C, handler: Handler<C>): this {
    if (this.handlers.has(channel.name)) throw new Error(`two handlers for ${channel.name}`);
    this.handlers.set(channel.name, handler as (request: unknown, ctx: CallContext) => Promise<Result<unknown>>);
    return this;
  }

  /** Channels that exist in the contract but have no handler: lets a test catch a forgotten registration. */
  unrouted(): string[] {
    return allChannels.filter((c) => !this.handlers.has(c.name)).map((c) => c.name);
  }

  /**
   * The one place where a request from any door is checked and run: unknown channel and bad arguments
   * become structured failures; an unexpected throw becomes `internal` (logged, never with its arguments,
   * which might hold a secret).
   */
  async dispatch(name: string, rawRequest: unknown, ctx: CallContext): Promise<Result<unknown>> {
    const channel = findChannel(name);
    const handler = this.handlers.get(name);
    if (!channel || !handler) return fail('unknown-channel', `"${name}" is not a channel of this app`);
    const parsed = channel.request.safeParse(rawRequest ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.length ? issue.path.join('.') : 'request';
      return fail('invalid-request', `${name}: ${field}: ${issue ? issueInWords(issue) : 'invalid'}`, {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    try {
      return await handler(parsed.data, ctx);
    } catch (err) {
      this.log.error(`handler ${name} threw`, err);
      return fail('internal', `${name} failed unexpectedly: ${(err as Error)?.message ?? String(err)}`);
    }
  }
}
