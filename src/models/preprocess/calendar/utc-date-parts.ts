const MS_PER_DAY = 86_400_000;

/** Which calendar field utcDatePart returns. Weekday is 0 = Monday … 6 = Sunday; month 1–12; day 1–31; hour 0–23. */
export type DatePart = 'year' | 'month' | 'day' | 'weekday' | 'hour';

/** Every date part, in the order they are emitted. */
export const DATE_PARTS: readonly DatePart[] = ['year', 'month', 'day', 'weekday', 'hour'];

/**
 * One calendar field of an instant in UTC, from epoch milliseconds, in the proleptic Gregorian calendar. Pure
 * arithmetic (days-from-civil inverse), so a loop over a column allocates no Date objects and is independent of the
 * process time zone.
 */
export function utcDatePart(ms: number, part: DatePart): number {
  const days = Math.floor(ms / MS_PER_DAY);
  switch (part) {
    case 'hour':
      return Math.floor((ms - days * MS_PER_DAY) / 3_600_000);
    case 'weekday':
      // 1970-01-01 was a Thursday (3 when Monday is 0).
      return (((days + 3) % 7) + 7) % 7;
    default:
      return civilPart(days, part);
  }
}

/** Year, month or day of the day number `days` since 1970-01-01 (Howard Hinnant's civil_from_days). */
function civilPart(days: number, part: 'year' | 'month' | 'day'): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  if (part === 'day') return day;
  if (part === 'month') return month;
  return yoe + era * 400 + (month <= 2 ? 1 : 0);
}
