import { describe, expect, it } from "vitest"
import { fit, fitRight, formatCount, formatDate, sparkline } from "../src/ui/format.ts"
import { djStripe } from "./support/v4Server.ts"

describe("formatCount", () => {
  it("separates thousands", () => {
    expect([0, 7, 999, 1000, 1778, 15730, 1234567].map(formatCount)).toEqual([
      "0",
      "7",
      "999",
      "1,000",
      "1,778",
      "15,730",
      "1,234,567"
    ])
  })
})

describe("formatDate", () => {
  it("is the UTC calendar date", () => {
    expect(formatDate(new Date("2026-01-05T15:45:59-05:00"))).toBe("2026-01-05")
    // 22:00 in New York is already the next day in UTC: both sources agree on UTC.
    expect(formatDate(new Date("2026-01-05T22:00:00-05:00"))).toBe("2026-01-06")
  })
  it("marks an unknown date", () => {
    expect(formatDate(null)).toBe("—")
    expect(formatDate(new Date(Number.NaN))).toBe("—")
  })
})

describe("sparkline", () => {
  it("has one bar per week, the busiest week full and a quiet one lowest", () => {
    expect(sparkline([0, 10, 5, 1, 7])).toBe("▁█▅▂▆")
  })
  it("never draws a week with commits as a quiet one", () => {
    expect(sparkline([1, 1000])).toBe("▂█")
  })
  it("draws a year without commits flat, and nothing when never fetched", () => {
    expect(sparkline(Array.from({ length: 52 }, () => 0))).toBe("▁".repeat(52))
    expect(sparkline([])).toBe("")
  })
  it("draws dj-stripe's recorded year", () => {
    const line = sparkline(djStripe.commits_over_52 as Array<number>)
    expect([...line]).toHaveLength(52)
    expect(line).toBe("▁▁▁▁▁▁▁▁▁▂▂▁▁▁▁▁▁▁▁▁▁█▁▂▁▂▄▄▂▁▁▂▂█▆▁▁▁▁▁▁▁▁▁▁▂▅▁▁▁▁▁")
  })
})

describe("fit", () => {
  it("pads short text and cuts long text with an ellipsis", () => {
    expect(fit("abc", 5)).toBe("abc  ")
    expect(fit("django-rest-framework", 10)).toBe("django-re…")
    expect(fitRight("42", 5)).toBe("   42")
  })
})
