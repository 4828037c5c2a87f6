import { usageError } from './command';

/** Whether YYYY-MM-DD names a day the calendar has (Date would take 2025-02-30 as March 2nd). */
function isCalendarDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * `--since`, one rule for every command that takes it: a day (from local midnight) or an ISO date-time, sent on
 * as a date-time with its offset.
 */
export function sinceFlag(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00`).getTime() : Date.parse(text);
  if (!day || !isCalendarDay(Number(day[1]), Number(day[2]), Number(day[3])) || Number.isNaN(ms))
    throw usageError(`--since: "${text}" is not a date: give YYYY-MM-DD (from midnight, local time) or an ISO date-time such as 2026-03-01T08:00`);
  return new Date(ms).toISOString();
}
