/** Small formatting rules every screen shares. `sentence()` (in sentence.ts) capitalises backend messages. */

const counts = new Intl.NumberFormat('en');

/** A count with thousands separators: `1,000`. */
export const formatCount = (n: number): string => counts.format(n);

/** `1 device`, `2 devices`, `1,000 devices`; irregular plurals are given: `plural(n, 'entry', 'entries')`. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;

const DATE_TIME = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' } as const;
// One formatter for the workstation's zone, shared as `counts` is: History and Identities write one per row.
const localDateTimes = new Intl.DateTimeFormat('en-GB', DATE_TIME);

/** A moment in the workstation's time zone, written as the app writes dates: `29 Nov 2026, 06:22:02`. */
export function formatDateTime(iso: string, timeZone?: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  return (timeZone ? new Intl.DateTimeFormat('en-GB', { ...DATE_TIME, timeZone }) : localDateTimes).format(t);
}

/** `4.2 s` under ten seconds, `42 s`, then `1 min 15 s`. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(s % 60).padStart(2, '0')} s`;
}
