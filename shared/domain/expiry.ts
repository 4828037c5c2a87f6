/**
 * The one expiry rule for certificates, in the core (Team Store and cloud lists, `pws certs list`) and on screen:
 * expired from `notAfter` on, expiring within 30 days of it, unknown without a readable date.
 */
export const EXPIRING_WITHIN_DAYS = 30;
const DAY_MS = 86_400_000;

export type ExpiryState = 'ok' | 'expiring' | 'expired' | 'unknown';

export interface Expiry {
  kind: ExpiryState;
  /** Whole days left (0 on the last day); for an expired certificate minus the whole days since; 0 when unknown. */
  days: number;
}

export function expiryOf(notAfter: string | null | undefined, now: Date): Expiry {
  const at = notAfter ? Date.parse(notAfter) : NaN;
  if (Number.isNaN(at)) return { kind: 'unknown', days: 0 };
  const ms = at - now.getTime();
  if (ms <= 0) return { kind: 'expired', days: -Math.floor(-ms / DAY_MS) };
  return { kind: ms <= EXPIRING_WITHIN_DAYS * DAY_MS ? 'expiring' : 'ok', days: Math.floor(ms / DAY_MS) };
}

export const expiryState = (notAfter: string | null | undefined, now: Date): ExpiryState => expiryOf(notAfter, now).kind;
