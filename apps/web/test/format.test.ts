import { describe, expect, it } from "vitest"
import { formatDate, formatNumber, formatRange, plural } from "../src/format.ts"

describe("formatNumber", () => {
  it("groups thousands", () => {
    expect(formatNumber(0)).toBe("0")
    expect(formatNumber(513)).toBe("513")
    expect(formatNumber(1778)).toBe("1,778")
    expect(formatNumber(1234567)).toBe("1,234,567")
  })

  it("shows a dash for a missing count", () => {
    expect(formatNumber(null)).toBe("—")
    expect(formatNumber(Number.NaN)).toBe("—")
  })
})

describe("formatDate", () => {
  it("shows the calendar day of an API datetime", () => {
    expect(formatDate("2026-01-05T15:45:59-05:00")).toBe("Jan 5, 2026")
    expect(formatDate("2013-09-01T13:55:38.132750-04:00")).toBe("Sep 1, 2013")
  })

  it("keeps the day the API wrote, even when it is already the next day in UTC", () => {
    expect(formatDate("2026-01-05T23:30:00-05:00")).toBe("Jan 5, 2026")
    expect(formatDate("2026-01-06T00:30:00+09:00")).toBe("Jan 6, 2026")
  })

  it("shows a dash for a missing or unparseable date", () => {
    expect(formatDate(null)).toBe("—")
    expect(formatDate("")).toBe("—")
    expect(formatDate("not a date")).toBe("—")
  })
})

describe("formatRange", () => {
  it("labels the first, a middle and a partial last page", () => {
    expect(formatRange(0, 20, 57)).toBe("1–20 of 57")
    expect(formatRange(20, 20, 57)).toBe("21–40 of 57")
    expect(formatRange(40, 17, 57)).toBe("41–57 of 57")
  })

  it("groups thousands and handles an empty page", () => {
    expect(formatRange(1000, 20, 12345)).toBe("1,001–1,020 of 12,345")
    expect(formatRange(0, 0, 0)).toBe("0 of 0")
  })
})

describe("plural", () => {
  it("adds an s except for one", () => {
    expect(plural(0, "participant")).toBe("0 participants")
    expect(plural(1, "participant")).toBe("1 participant")
    expect(plural(1200, "commit")).toBe("1,200 commits")
  })
})
