/**
 * Calendar arithmetic on `Timestamp`s (integer microseconds since the epoch), always in UTC.
 *
 * The reference runs Django with `USE_TZ = False` and `TIME_ZONE = "US/Eastern"`, so its `now()` and its
 * stored dates are naive New York wall-clock times. packgrid stores instants, so scoring reads their UTC
 * calendar fields instead: month counts can differ from the reference by a few hours' worth of instants
 * around a month boundary, never by more.
 */
import { type Timestamp } from "../../Domain/Timestamp.ts"

/** Microseconds in a day. */
export const DAY = 86_400_000_000

/** Days (fractional) from `from` to `to`; negative when `to` is earlier. */
export const daysBetween = (from: number, to: number): number => (to - from) / DAY

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const

const daysInMonth = (year: number, month0: number): number =>
  month0 === 1 && isLeap(year) ? 29 : (MONTH_DAYS[month0] ?? 31)

interface Fields {
  readonly year: number
  readonly month0: number
  readonly day: number
  /** Microseconds since midnight. */
  readonly time: number
}

const fieldsOf = (t: number): Fields => {
  const dayNumber = Math.floor(t / DAY)
  const date = new Date(dayNumber * 86_400_000)
  return { year: date.getUTCFullYear(), month0: date.getUTCMonth(), day: date.getUTCDate(), time: t - dayNumber * DAY }
}

const instantOf = (year: number, month0: number, day: number, time: number): number => {
  // Not Date.UTC: it reads years 0–99 as 1900–1999.
  const date = new Date(0)
  date.setUTCFullYear(year, month0, day)
  return (date.getTime() / 86_400_000) * DAY + time
}

/** `t + relativedelta(months=n)`: same day of month, clamped to the month's last day, same time of day. */
export const addMonths = (t: number, n: number): number => {
  const f = fieldsOf(t)
  const total = f.year * 12 + f.month0 + n
  const year = Math.floor(total / 12)
  const month0 = total - year * 12
  return instantOf(year, month0, Math.min(f.day, daysInMonth(year, month0)), f.time)
}

/**
 * `12 * d.years + d.months` of dateutil's `relativedelta(later, earlier)`: the whole calendar months
 * between two instants (days and time ignored), truncated toward zero, negative when `later` is earlier.
 * A month is complete when the same day of month (or the month's last day, if shorter) and the same time
 * of day is reached: Jan 31 → Feb 28 is one month, Feb 29 → Feb 28 of the next year is twelve.
 */
export const calendarMonths = (later: Timestamp | number, earlier: Timestamp | number): number => {
  const a = fieldsOf(later)
  const b = fieldsOf(earlier)
  let months = (a.year - b.year) * 12 + (a.month0 - b.month0)
  let probe = addMonths(earlier, months)
  if (later < earlier) {
    while (later > probe) probe = addMonths(earlier, ++months)
  } else {
    while (later < probe) probe = addMonths(earlier, --months)
  }
  return months
}

/** A Monday-based week number (weeks since the Monday before the epoch), in UTC. */
export const weekIndex = (t: number): number => Math.floor((Math.floor(t / DAY) + 3) / 7)

/** Midnight UTC of an ISO `YYYY-MM-DD` date, as a Timestamp. */
export const isoDate = (date: string): Timestamp => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (m === null) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`)
  return instantOf(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 0) as Timestamp
}
