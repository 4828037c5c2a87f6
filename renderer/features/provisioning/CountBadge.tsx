import { formatCount } from '../../app/format';

/** A run's count in its colour, muted at zero: a red "0 failed" after a clean run reads as a failure. */
export function CountBadge({ count, label, tone }: { count: number; label: string; tone: 'ok' | 'danger' | 'warn' | 'muted' }) {
  return (
    <span className={`badge badge-${count > 0 ? tone : 'muted'}`}>
      {formatCount(count)} {label}
    </span>
  );
}
