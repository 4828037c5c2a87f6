import type { ExpiryState } from '../../../shared/contract/certificates';

export const EXPIRING_WITHIN_DAYS = 30;

/** 'expired' after notAfter, 'expiring' within 30 days of it, else 'ok'; 'unknown' without a date. */
export function expiryState(notAfter: string | null | undefined, now: Date): ExpiryState {
  if (!notAfter) return 'unknown';
  const t = Date.parse(notAfter);
  if (Number.isNaN(t)) return 'unknown';
  if (t <= now.getTime()) return 'expired';
  if (t - now.getTime() <= EXPIRING_WITHIN_DAYS * 86_400_000) return 'expiring';
  return 'ok';
}
