import type { z } from 'zod';
import type { Result } from './result';

/**
 * A request/response channel: its wire name, the zod schema its argument must pass, and (as a phantom
 * type) what it answers. The same object is used by the preload bridge, the IPC adapter, the web host,
 * the renderer's client and the CLI, so a name or a shape can't drift between them.
 */
export interface Channel<N extends string = string, S extends z.ZodType = z.ZodType, V = unknown> {
  readonly name: N;
  readonly request: S;
  /** Phantom: never set at run time. */
  readonly __value?: V;
}

/** `channel<Value>()('feature:verb', schema)`: curried so the value type can be given while the rest is inferred. */
export const channel =
  <V>() =>
  <N extends string, S extends z.ZodType>(name: N, request: S): Channel<N, S, V> => ({ name, request });

/** An event pushed from the main process to the renderer. */
export interface EventDef<N extends string = string, P = unknown> {
  readonly name: N;
  readonly __payload?: P;
}
export const event =
  <P>() =>
  <N extends string>(name: N): EventDef<N, P> => ({ name });

export type RequestOf<C> = C extends Channel<string, infer S, unknown> ? z.input<S> : never;
export type ParsedRequestOf<C> = C extends Channel<string, infer S, unknown> ? z.output<S> : never;
export type ValueOf<C> = C extends Channel<string, z.ZodType, infer V> ? V : never;
export type ResultOf<C> = Result<ValueOf<C>>;
export type PayloadOf<E> = E extends EventDef<string, infer P> ? P : never;
