import { Either, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  formatTimestamp,
  fromDate,
  parseTimestamp,
  type Timestamp,
  TimestampFromString,
  toDate,
  zoneOffsetMinutes
} from "../../src/Domain/Timestamp.ts"

const parse = (s: string): Timestamp => Either.getOrThrowWith(parseTimestamp(s), (message) => new Error(message))
const parseError = (s: string): string =>
  Either.getOrThrowWith(Either.flip(parseTimestamp(s)), () => new Error(`"${s}" parsed`))

// Instants a double holds exactly as integer microseconds (see Domain/Timestamp).
const SAFE = Number.MAX_SAFE_INTEGER
// 1970-01-01 .. 2255-01-01: every zone below has whole-minute offsets here (LMT offsets before ~1945 have seconds).
const MODERN = { min: 0, max: Date.UTC(2255, 0, 1) * 1000 }
const ZONES = [
  "UTC",
  "America/New_York",
  "Europe/Paris",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "America/St_Johns"
]

describe("parseTimestamp", () => {
  it("reads an offset and keeps microseconds", () => {
    expect(parse("2013-09-01T13:55:38.132750-04:00")).toBe(Date.UTC(2013, 8, 1, 17, 55, 38) * 1000 + 132_750)
    expect(parse("2026-01-05T15:45:59-05:00")).toBe(Date.UTC(2026, 0, 5, 20, 45, 59) * 1000)
    expect(parse("2026-01-05T20:45:59Z")).toBe(parse("2026-01-05T15:45:59-05:00"))
    expect(parse("2026-01-05T20:45:59+00:00")).toBe(parse("2026-01-05T20:45:59Z"))
  })

  it("pads short fractions and drops digits finer than a microsecond", () => {
    expect(parse("2020-01-01T00:00:00.5Z") % 1_000_000).toBe(500_000)
    expect(parse("2020-01-01T00:00:00.000001Z") % 1_000_000).toBe(1)
    expect(parse("2020-01-01T00:00:00.1234569Z")).toBe(parse("2020-01-01T00:00:00.123456Z"))
  })

  it("accepts the spellings Python and PostgreSQL print", () => {
    expect(parse("2020-01-01 05:30:00+05:30")).toBe(parse("2020-01-01T00:00:00Z"))
    expect(parse("2020-01-01T05:30:00+0530")).toBe(parse("2020-01-01T00:00:00Z"))
    expect(parse("2020-01-01T05:00:00+05")).toBe(parse("2020-01-01T00:00:00Z"))
    expect(parse("  2020-01-01T00:00Z ")).toBe(Date.UTC(2020, 0, 1) * 1000)
    expect(parse("2020-01-01")).toBe(Date.UTC(2020, 0, 1) * 1000)
  })

  it("refuses a date-time without an offset, saying how to fix it", () => {
    expect(parseError("2020-01-01T00:00:00")).toBe(
      `"2020-01-01T00:00:00" has no offset: give Z or ±HH:MM so the instant is unambiguous`
    )
  })

  it("refuses an offset no clock has, instead of shifting the instant by it", () => {
    for (const input of ["2026-01-05T15:45:59+99:99", "2026-01-05T15:45:59-24:00", "2026-01-05T15:45:59+05:60"]) {
      expect(Either.getLeft(parseTimestamp(input))._tag).toBe("Some")
    }
    expect(Either.isRight(parseTimestamp("2026-01-05T15:45:59+14:00"))).toBe(true)
  })

  it("refuses what is not a date-time, or not a real one", () => {
    expect(parseError("yesterday")).toBe(`"yesterday" is not an ISO 8601 date-time`)
    expect(parseError("")).toBe(`"" is not an ISO 8601 date-time`)
    expect(parseError("2020-1-1T00:00:00Z")).toBe(`"2020-1-1T00:00:00Z" is not an ISO 8601 date-time`)
    expect(parseError("2021-02-29T00:00:00Z")).toBe(`"2021-02-29T00:00:00Z" is not a valid calendar date-time`)
    expect(parseError("2020-01-01T24:00:00Z")).toBe(`"2020-01-01T24:00:00Z" is not a valid calendar date-time`)
    expect(parseError("2020-13-01T00:00:00Z")).toBe(`"2020-13-01T00:00:00Z" is not a valid calendar date-time`)
    expect(parse("2020-02-29T00:00:00Z")).toBe(Date.UTC(2020, 1, 29) * 1000)
  })

  it("refuses instants it cannot keep to the microsecond instead of shifting them", () => {
    // Date.UTC reads years 0–99 as 1900–1999, and microseconds past 2255 are not exact in a double.
    expect(parseError("0001-01-01T00:00:00Z")).toMatch(/outside the instants kept exactly/)
    expect(parseError("9999-12-31T23:59:59.999999Z")).toMatch(/outside the instants kept exactly/)
    expect(parse("1700-01-01T00:00:00Z")).toBe(Date.UTC(1700, 0, 1) * 1000)
  })
})

describe("formatTimestamp", () => {
  it("round-trips America/New_York in winter (-05:00) and summer (-04:00) exactly", () => {
    for (const s of [
      "2026-01-05T15:45:59-05:00",
      "2013-09-01T13:55:38.132750-04:00",
      "2026-02-15T17:06:05.465218-05:00"
    ]) {
      expect(formatTimestamp(parse(s), "America/New_York")).toBe(s)
    }
  })

  it("writes Z for UTC, and microseconds only when there are some", () => {
    expect(formatTimestamp(parse("2013-09-01T13:55:38.132750-04:00"), "UTC")).toBe("2013-09-01T17:55:38.132750Z")
    expect(formatTimestamp(parse("2026-01-05T15:45:59-05:00"), "UTC")).toBe("2026-01-05T20:45:59Z")
    expect(formatTimestamp(parse("2026-01-05T15:45:59.000001-05:00"), "UTC")).toBe("2026-01-05T20:45:59.000001Z")
  })

  it("uses the zone's offset at that instant, half hours and quarter hours included", () => {
    const t = parse("2024-07-01T12:00:00Z")
    expect(formatTimestamp(t, "Asia/Kolkata")).toBe("2024-07-01T17:30:00+05:30")
    expect(formatTimestamp(t, "Asia/Kathmandu")).toBe("2024-07-01T17:45:00+05:45")
    expect(formatTimestamp(t, "Europe/Paris")).toBe("2024-07-01T14:00:00+02:00")
    expect(zoneOffsetMinutes("America/New_York", toDate(t).getTime())).toBe(-240)
  })

  it("handles instants before the epoch", () => {
    expect(formatTimestamp(-1 as Timestamp, "UTC")).toBe("1969-12-31T23:59:59.999999Z")
    expect(parse("1969-12-31T23:59:59.999999Z")).toBe(-1)
  })

  it("throws a RangeError for an unknown zone", () => {
    expect(() => formatTimestamp(0 as Timestamp, "Mars/Olympus_Mons")).toThrow(RangeError)
  })

  it("property: parse ∘ format is the identity in UTC, to the microsecond", () => {
    fc.assert(
      fc.property(fc.integer({ min: -SAFE, max: SAFE }), (t) => {
        expect(parse(formatTimestamp(t as Timestamp, "UTC"))).toBe(t)
      }),
      { numRuns: 2000 }
    )
  })

  it("property: parse ∘ format is the identity in any zone, and the offset printed is the zone's", () => {
    fc.assert(
      fc.property(fc.integer(MODERN), fc.constantFrom(...ZONES), (t, zone) => {
        const s = formatTimestamp(t as Timestamp, zone)
        expect(parse(s)).toBe(t)
        const offset = zoneOffsetMinutes(zone, Math.floor(t / 1000))
        const printed = /(Z|([+-])(\d{2}):(\d{2}))$/.exec(s)!
        expect(
          printed[1] === "Z" ? 0 : (printed[2] === "-" ? -1 : 1) * (Number(printed[3]) * 60 + Number(printed[4]))
        ).toBe(offset)
      }),
      { numRuns: 2000 }
    )
  })
})

describe("TimestampFromString", () => {
  const decode = Schema.decodeUnknownEither(TimestampFromString)
  const encode = Schema.encodeSync(TimestampFromString)

  it("decodes with an offset and encodes in UTC", () => {
    const t = parse("2013-09-01T13:55:38.132750-04:00")
    expect(decode("2013-09-01T13:55:38.132750-04:00")).toEqual(Either.right(t))
    expect(encode(t)).toBe("2013-09-01T17:55:38.132750Z")
  })

  it("reports the parser's message as the decode failure", () => {
    const result = decode("2020-01-01T00:00:00")
    expect(Either.isLeft(result) && result.left.message).toContain("has no offset")
  })

  it("agrees with Date at millisecond precision", () => {
    const d = new Date("2024-03-10T07:00:00.123Z")
    expect(encode(fromDate(d))).toBe("2024-03-10T07:00:00.123000Z")
    expect(toDate(fromDate(d)).getTime()).toBe(d.getTime())
  })
})
