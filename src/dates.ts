/** Calendar helpers shared by the sandbox and the gateway (input validation). All dates are `YYYY-MM-DD` strings. */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SEOUL_OFFSET_MS = 9 * 3600 * 1000; // Korea has no daylight saving time

/** True for a real calendar date written as `YYYY-MM-DD` (rejects `2025-02-30`). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Today's date in Asia/Seoul, the upstream service's time zone. */
export function seoulToday(now: Date): string {
  return new Date(now.getTime() + SEOUL_OFFSET_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:MM:SS` in Asia/Seoul, the shape of the upstream's `regYmdt`. */
export function seoulTimestamp(now: Date): string {
  return new Date(now.getTime() + SEOUL_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** An instant as ISO 8601 in Asia/Seoul with its offset, e.g. `2025-10-30T14:11:35.120+09:00` or `2025-10-30T14:11:35+09:00`. */
export function seoulDateTime(instant: Date): string {
  const iso = new Date(instant.getTime() + SEOUL_OFFSET_MS).toISOString();
  // Whole seconds as the stamp service writes them (`regYmdt`); milliseconds only where there are some.
  return `${iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23)}+09:00`;
}

/** The date `days` days after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The same calendar day `years` later; 29 February falls back to the 28th. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

/** The latest `endYmd` the upstream accepts: five calendar years after today, inclusive. */
export function latestEndDate(today: string): string {
  return addYears(today, 5);
}
