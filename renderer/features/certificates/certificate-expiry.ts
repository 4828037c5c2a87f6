import type { Expiry } from '../../../shared/domain/expiry';
import { plural } from '../../app/format';

/** How a certificate's expiry (shared/domain/expiry.ts) reads on screen. */
export function expiryLabel({ kind, days }: Expiry): string {
  if (kind === 'unknown') return 'Expiry unknown';
  if (kind === 'ok') return 'Valid';
  if (kind === 'expired') return days === 0 ? 'Expired today' : `Expired ${plural(-days, 'day')} ago`;
  return days === 0 ? 'Expires today' : `Expires in ${plural(days, 'day')}`;
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
