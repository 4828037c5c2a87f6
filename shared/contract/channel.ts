import type { z } from 'zod';
import type { Ok, Result } from '../domain/result';
import type { CommonErrorCode, FailureOf } from './result';

/**
 * A request/response channel: its wire name, the zod schema its argument must pass, and (as phantom types) what
 * it answers and the failure codes of its feature. The same object is used by the preload bridge, the IPC
 * adapter, the web host, the renderer's client and the CLI, so a name or a shape can't drift between them.
 */
export interface Channel<N extends string = string, S extends z.ZodType = z.ZodType, V = unknown, C extends string = string> {
  readonly name: N;
  readonly request: S;
  /** Phantom: never set at run time. */
  readonly __value?: V;
  readonly __codes?: C;
}

/**
 * `channel<Value, Code>()('feature:verb', schema)`: curried so the value type and the feature's failure codes can
 * be given while the rest is inferred. Without `Code`, any code type-checks.
 */
export const channel =
  <V, C extends string = string>() =>
  <N extends string, S extends z.ZodType>(name: N, request: S): Channel<N, S, V, C> => ({ name, request });

/** An event pushed from the main process to the renderer. */
export interface EventDef<N extends string = string, P = unknown> {
  readonly name: N;
  readonly __payload?: P;
}
export const event =
  <P>() =>
  <N extends string>(name: N): EventDef<N, P> => ({ name });

export type RequestOf<C> = C extends Channel<string, infer S, unknown, string> ? z.input<S> : never;
export type ParsedRequestOf<C> = C extends Channel<string, infer S, unknown, string> ? z.output<S> : never;
export type ValueOf<C> = C extends Channel<string, z.ZodType, infer V, string> ? V : never;
/** The failure codes a channel declares (`string` when it declares none). */
export type CodesOf<C> = C extends Channel<string, z.ZodType, unknown, infer K> ? K : never;
/** What a channel answers: for one that declares its codes, a failure with one of them or a common one, `details` typed per code. */
export type ResultOf<C> = string extends CodesOf<C> ? Result<ValueOf<C>> : Ok<ValueOf<C>> | FailureOf<CodesOf<C> | CommonErrorCode>;
export type PayloadOf<E> = E extends EventDef<string, infer P> ? P : never;
