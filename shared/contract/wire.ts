import { z } from 'zod';
import type { Result } from './result';

/** The WebSocket framing of the contract: JSON-RPC style, one object a message. */
export const WireRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().min(1).max(100),
  request: z.unknown().optional(),
});
export type WireResponse = { id: number; result: Result<unknown> };
export type WireEvent = { event: string; payload: unknown };
