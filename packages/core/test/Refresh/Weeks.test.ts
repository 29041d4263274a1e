import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Timestamp } from "../../src/Domain/Timestamp.ts"
import { addCommits, bucketWeeks, planWeeks, shiftWeeks, updateWeeks, weekIndex } from "../../src/Refresh/Weeks.ts"

const t = (iso: string) => (Date.parse(iso) * 1000) as Timestamp
const DAY = 86_400_000_000

describe("weekIndex", () => {
  it("is Python's (date.toordinal() - 1) // 7: weeks start on Monday", () => {
    // date(2024, 1, 1) is a Monday, ordinal 738886: (738886 - 1) // 7 = 105555.
    expect(weekIndex(t("2024-01-01T00:00:00Z"))).toBe(105_555)
    expect(weekIndex(t("2024-01-07T23:59:59Z"))).toBe(105_555)
    expect(weekIndex(t("2024-01-08T00:00:00Z"))).toBe(105_556)
    // 1970-01-01 was a Thursday; the Monday before it starts its week.
    expect(weekIndex(t("1970-01-01T00:00:00Z"))).toBe(weekIndex(t("1969-12-29T00:00:00Z")))
  })
})

describe("bucketWeeks (§3.4)", () => {
  const asOf = t("2024-03-13T12:00:00Z") // a Wednesday

  it("puts the current week last and the oldest first", () => {
    const weeks = bucketWeeks(
      [t("2024-03-11T00:00:00Z"), t("2024-03-13T11:00:00Z"), t("2024-03-10T23:59:59Z"), t("2023-03-20T00:00:00Z")],
      asOf
    )
    expect(weeks).toHaveLength(52)
    expect(weeks[51]).toBe(2) // Monday and Wednesday of this week
    expect(weeks[50]).toBe(1) // the Sunday before
    expect(weeks[0]).toBe(1) // the Monday 51 weeks back
    expect(weeks.reduce((a, b) => a + b, 0)).toBe(4)
  })

  it("drops commits older than the 52 weeks and commits in the future", () => {
    expect(bucketWeeks([t("2023-03-12T00:00:00Z"), t("2024-03-20T00:00:00Z")], asOf)).toEqual(new Array(52).fill(0))
  })

  it("counts every commit in the window exactly once (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 51 * 7 * 24 }), { maxLength: 200 }), (hoursAgo) => {
        const dates = hoursAgo.map((h) => (asOf - h * 3_600_000_000) as Timestamp)
        const weeks = bucketWeeks(dates, asOf)
        expect(weeks.reduce((a, b) => a + b, 0)).toBe(dates.filter((d) => weekIndex(d) > weekIndex(asOf) - 52).length)
      })
    )
  })
})

describe("the reference's incremental rule", () => {
  it("shifts older weeks off the front and opens new, empty weeks at the end", () => {
    const weeks = Array.from({ length: 52 }, (_, i) => i + 1)
    const from = t("2024-03-13T12:00:00Z")
    expect(shiftWeeks(weeks, from, (from + 3 * DAY) as Timestamp)).toEqual(weeks) // same week (Saturday)
    expect(shiftWeeks(weeks, from, (from + 14 * DAY) as Timestamp)).toEqual([...weeks.slice(2), 0, 0])
    expect(shiftWeeks(weeks, from, (from + 60 * 7 * DAY) as Timestamp)).toEqual(new Array(52).fill(0))
  })

  it("starts one second after a recent count, and from scratch when the count is a year old", () => {
    const weeks = new Array(52).fill(1)
    const previous = { weeks, asOf: t("2024-03-13T12:00:00Z") }
    const next = planWeeks(previous, t("2024-03-27T12:00:00Z"))
    expect(next.incremental).toBe(true)
    expect(next.since).toBe(previous.asOf + 1_000_000)
    expect(next.base).toEqual([...weeks.slice(2), 0, 0])
    const stale = planWeeks(previous, t("2025-03-27T12:00:00Z"))
    expect(stale.incremental).toBe(false)
    expect(stale.base).toEqual(new Array(52).fill(0))
  })

  it("adds only the commits after the previous count to the shifted weeks", () => {
    const previous = {
      weeks: bucketWeeks([t("2024-03-12T00:00:00Z")], t("2024-03-13T12:00:00Z")),
      asOf: t("2024-03-13T12:00:00Z")
    }
    // The re-fetch also returns the commit already counted (same instant as before the previous asOf): not counted twice.
    const updated = updateWeeks(
      previous,
      [t("2024-03-12T00:00:00Z"), t("2024-03-19T09:00:00Z")],
      t("2024-03-20T12:00:00Z")
    )
    expect(updated[51]).toBe(1)
    expect(updated[50]).toBe(1)
    expect(updated.reduce((a, b) => a + b, 0)).toBe(2)
    expect(addCommits(new Array(52).fill(0), [t("2024-03-19T09:00:00Z")], t("2024-03-20T12:00:00Z"))[51]).toBe(1)
  })
})
