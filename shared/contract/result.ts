/**
 * Every call across a door (IPC, WebSocket, CLI) answers with a Result (shared/domain/result.ts). A channel's
 * result type carries its feature's failure codes and the common ones below (see `ResultOf` in channel.ts).
 */
import type { FieldErrors } from '../domain/update-certificate';
import type { Failure } from '../domain/result';

export { fail, ok, type Failure, type Ok, type Result } from '../domain/result';

/** Codes any channel may answer with, whatever its feature: the router's, the IPC adapter's and the web transport's. */
export type CommonErrorCode = 'invalid-request' | 'unknown-channel' | 'internal' | 'cancelled' | 'forbidden-sender' | 'disconnected';

/** `details` of the codes that carry some: a refused request names every field at fault. */
export type FailureDetails = {
  'invalid-request': { issues: Array<{ path: string; message: string }> };
  'invalid-input': { fieldErrors: FieldErrors };
};

/** A failure with `details` typed for its code. */
export type FailureOf<C extends string> = C extends keyof FailureDetails ? Failure<C, FailureDetails[C]> : Failure<C>;
