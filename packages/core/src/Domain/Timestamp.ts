/**
 * Instants with microsecond precision. JavaScript `Date` keeps milliseconds only, and the reference
 * (Django on PostgreSQL) stores and prints microseconds, so instants travel as integer microseconds
 * since the Unix epoch (exact in a double until the year 2255) and are rendered in a time zone on output.
 */
import { type Brand, Either, ParseResult, Schema } from "effect"

export type Timestamp = number & Brand.Brand<"Timestamp">

export const Timestamp = Schema.Number.pipe(Schema.int(), Schema.brand("Timestamp"))

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/

/** Parses ISO 8601 with an offset (a bare date means midnight UTC); microseconds are kept, finer digits dropped. */
export const parseTimestamp = (input: string): Either.Either<Timestamp, string> => {
  const m = ISO.exec(input.trim())
  if (m === null) return Either.left(`"${input}" is not an ISO 8601 date-time`)
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const hasTime = h !== undefined
  if (hasTime && zone === undefined) {
    return Either.left(`"${input}" has no offset: give Z or ±HH:MM so the instant is unambiguous`)
  }
  const year = Number(y),
    month = Number(mo),
    day = Number(d)
  const hour = Number(h ?? 0),
    minute = Number(mi ?? 0),
    second = Number(s ?? 0)
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return Either.left(`"${input}" is not a valid calendar date-time`)
  }
  let offsetMinutes = 0
  if (zone !== undefined && zone !== "Z" && zone !== "z") {
    const sign = zone[0] === "-" ? -1 : 1
    const digits = zone.slice(1).replace(":", "")
    const hours = Number(digits.slice(0, 2))
    const minutes = Number(digits.slice(2, 4) || "0")
    if (hours > 23 || minutes > 59) return Either.left(`"${input}" has no valid offset: give Z or ±HH:MM`)
    offsetMinutes = sign * (hours * 60 + minutes)
  }
  const micros = frac === undefined ? 0 : Number(frac.padEnd(6, "0").slice(0, 6))
  // Not Date.UTC: it reads years 0–99 as 1900–1999.
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, 0)
  const t = (date.getTime() - offsetMinutes * 60_000) * 1000 + micros
  if (!Number.isSafeInteger(t)) {
    return Either.left(`"${input}" is outside the instants kept exactly (1684-07-28 to 2255-06-05 UTC)`)
  }
  return Either.right(t as Timestamp)
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

/** An ISO 8601 string decoded to a `Timestamp`, encoded back in UTC. */
export const TimestampFromString = Schema.transformOrFail(Schema.String, Timestamp, {
  strict: true,
  decode: (s, _, ast) =>
    Either.match(parseTimestamp(s), {
      onLeft: (message) => ParseResult.fail(new ParseResult.Type(ast, s, message)),
      onRight: ParseResult.succeed
    }),
  encode: (t) => ParseResult.succeed(formatTimestamp(t as Timestamp, "UTC"))
}).annotations({ identifier: "DateTime", description: "ISO 8601 date-time with an offset" })

export const fromDate = (date: Date): Timestamp => (date.getTime() * 1000) as Timestamp
export const fromMillis = (ms: number): Timestamp => (Math.trunc(ms) * 1000) as Timestamp
export const toDate = (t: Timestamp): Date => new Date(Math.floor(t / 1000))
export const toMillis = (t: Timestamp): number => Math.floor(t / 1000)

const offsetFormatters = new Map<string, Intl.DateTimeFormat>()

/** Offset of `zone` from UTC, in minutes, at the instant `ms`. Throws a RangeError for an unknown zone. */
export const zoneOffsetMinutes = (zone: string, ms: number): number => {
  if (zone === "UTC") return 0
  let fmt = offsetFormatters.get(zone)
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
    offsetFormatters.set(zone, fmt)
  }
  const name = fmt.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "GMT"
  const m = /^GMT([+-])(\d{2}):?(\d{2})?$/.exec(name)
  if (m === null) return 0
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0))
}

/** Whether `zone` is an IANA zone this runtime knows. */
export const isValidTimeZone = (zone: string): boolean => {
  try {
    zoneOffsetMinutes(zone, 0)
    return true
  } catch {
    return false
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/**
 * Renders as Python's `datetime.isoformat()` after Django's conversion to `zone`, which is what DRF
 * prints: microseconds only when non-zero, the zone's offset, and `Z` for a zero offset.
 */
export const formatTimestamp = (t: Timestamp, zone: string): string => {
  const ms = Math.floor(t / 1000)
  const micros = ((t % 1_000_000) + 1_000_000) % 1_000_000
  const offset = zoneOffsetMinutes(zone, ms)
  const local = new Date(ms + offset * 60_000)
  const base = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(
    local.getUTCHours()
  )}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
  const fraction = micros === 0 ? "" : `.${pad(micros, 6)}`
  if (offset === 0) return `${base}${fraction}Z`
  const sign = offset < 0 ? "-" : "+"
  const abs = Math.abs(offset)
  return `${base}${fraction}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}
