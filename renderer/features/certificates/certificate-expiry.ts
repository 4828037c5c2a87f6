/** From this many days before expiry a certificate is flagged. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export type ExpiryState = { kind: 'ok' | 'expiring' | 'expired' | 'unknown'; days: number; label: string };

/** How a certificate's expiry looks at `now`: fine, expiring within 30 days, or expired. */
export function expiryState(notAfter: string | null | undefined, now: Date = new Date()): ExpiryState {
  const at = notAfter ? Date.parse(notAfter) : NaN;
  if (Number.isNaN(at)) return { kind: 'unknown', days: 0, label: 'Expiry unknown' };
  const ms = at - now.getTime();
  if (ms <= 0) {
    const ago = Math.floor(-ms / DAY_MS);
    return { kind: 'expired', days: -ago, label: ago === 0 ? 'Expired today' : `Expired ${ago} day${ago === 1 ? '' : 's'} ago` };
  }
  const days = Math.floor(ms / DAY_MS);
  if (ms <= EXPIRY_WARNING_DAYS * DAY_MS) {
    return { kind: 'expiring', days, label: days === 0 ? 'Expires today' : `Expires in ${days} day${days === 1 ? '' : 's'}` };
  }
  return { kind: 'ok', days, label: 'Valid' };
}

/** `21 Feb 2027` in UTC, so what the screen says matches the certificate. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** A long hex fingerprint shortened for tables: first 8 and last 8 digits. */
export const shortFingerprint = (hex: string): string => (hex.length > 20 ? `${hex.slice(0, 8)}…${hex.slice(-8)}` : hex);

/** `aa:bb:cc…` grouping for reading a fingerprint aloud or comparing it. */
export const groupedFingerprint = (hex: string): string => (hex.match(/.{1,2}/g) ?? []).join(':');
