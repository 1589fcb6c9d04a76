// The durations of `prune --keep-within`, written as restic writes them: a number and a unit,
// for any of years (y), months (m), days (d) and hours (h), largest first: `1y2m3d4h`,
// `30d`, `6m`, `36h`. Years and months are calendar ones, not a fixed count of days.
import { A4cAdminError } from '../errors.js';

export interface RetentionDuration {
  years: number;
  months: number;
  days: number;
  hours: number;
}

const DURATION = /^(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)d)?(?:(\d+)h)?$/;

/** Parses `1y2m3d4h` (any part may be left out, at least one not zero); USAGE on anything else. */
export function parseRetentionDuration(text: string): RetentionDuration {
  const match = DURATION.exec(text.trim());
  const [years, months, days, hours] = (match?.slice(1) ?? []).map((part) => Number(part ?? 0));
  if (!match || text.trim() === '' || (!years && !months && !days && !hours)) {
    throw new A4cAdminError(
      'USAGE',
      `"${text}" is not a duration: write a number and a unit for years, months, days and hours, largest first, e.g. 1y2m3d4h, 30d, 6m or 36h.`,
      {
        hint: 'For example `a4c-admin prune --keep-within 30d --keep-monthly 12`.',
      },
    );
  }
  return { years: years!, months: months!, days: days!, hours: hours! };
}

/**
 * `from` minus the duration, in UTC: years and months first, on the calendar, then days and
 * hours. A month that lacks the day is clamped to its last day (March 31 minus 1m is
 * February 28, not March 3 as in restic, which lets Go roll the day over): the rule then
 * keeps a little more, never less.
 */
export function subtractDuration(from: Date, duration: RetentionDuration): Date {
  const monthIndex = from.getUTCFullYear() * 12 + from.getUTCMonth() - duration.years * 12 - duration.months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const shifted = Date.UTC(
    year,
    month,
    Math.min(from.getUTCDate(), lastDay),
    from.getUTCHours(),
    from.getUTCMinutes(),
    from.getUTCSeconds(),
    from.getUTCMilliseconds(),
  );
  return new Date(shifted - duration.days * 86_400_000 - duration.hours * 3_600_000);
}
