/**
 * The one result shape, for pure rules here and for every call across a door (shared/contract/result.ts adds
 * the codes any channel may answer): a success with a value, or a failure with a stable machine-readable `code`
 * and a human `message` that says what to do. Nothing crosses a door as a thrown string.
 */
export type Ok<T> = { ok: true; value: T };
export type Failure<C extends string = string, D = Record<string, unknown>> = {
  ok: false;
  code: C;
  message: string;
  /** Extra structured detail for the UI (never a secret). */
  details?: D;
};
export type Result<T, C extends string = string> = Ok<T> | Failure<C>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const fail = <C extends string>(code: C, message: string, details?: Record<string, unknown>): Failure<C> =>
  details === undefined ? { ok: false, code, message } : { ok: false, code, message, details };
