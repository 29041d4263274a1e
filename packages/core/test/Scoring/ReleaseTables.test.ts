import { describe, expect, it } from "vitest"
import { fromDate } from "../../src/Domain/Timestamp.ts"
import { RELEASE_TABLES, resolveReleaseTable, supportedAt, targetAt } from "../../src/Scoring.ts"
import { DAY, isoDate } from "../../src/Scoring/internal/Calendar.ts"
import { at } from "./at.ts"

const django = resolveReleaseTable(RELEASE_TABLES.django)
const python = resolveReleaseTable(RELEASE_TABLES.python)

describe("release tables: data", () => {
  it("every entry has valid dates, support ending after release, and versions in release order", () => {
    for (const table of [RELEASE_TABLES.django, RELEASE_TABLES.python.filter((e) => e.version.startsWith("3."))]) {
      let previous = -Infinity
      for (const e of table) {
        expect(e.version).toMatch(/^\d+\.\d+$/)
        const released = isoDate(e.released)
        expect(isoDate(e.end_of_support)).toBeGreaterThan(released)
        expect(released).toBeGreaterThan(previous)
        previous = released
      }
    }
  })

  it("includes Django 6.0 (2025-12-03) and 5.2 LTS, Python 3.14 (2025-10-07)", () => {
    expect(RELEASE_TABLES.django.find((e) => e.version === "6.0")?.released).toBe("2025-12-03")
    expect(RELEASE_TABLES.django.find((e) => e.version === "5.2")?.lts).toBe(true)
    expect(RELEASE_TABLES.python.find((e) => e.version === "3.14")?.released).toBe("2025-10-07")
  })

  it("targets and supported versions at SCORING.md §8.8's as_of: Django 6.0 (6.1 still in its grace), Python 3.14", () => {
    const asOf = at("2026-09-01")
    expect(targetAt(django, asOf, 90 * DAY)?.version).toBe("6.0")
    expect(supportedAt(django, asOf).map((e) => e.version)).toEqual(["5.2", "6.0", "6.1"])
    expect(
      targetAt(
        python.filter((e) => e.major === 3),
        asOf,
        180 * DAY
      )?.version
    ).toBe("3.14")
  })
})

describe("release tables: freshness against the real clock", () => {
  // The one place scoring code reads a clock: tables that fall behind the published schedules silently
  // turn "current" packages into outdated ones, so this test fails until the data is updated.
  const today = fromDate(new Date())
  const MONTH = 30.44 * DAY

  it("no release marked `expected` is more than a month past its scheduled date (confirm it, then unmark it)", () => {
    const overdue = [
      ...RELEASE_TABLES.django.map((e) => ({ ...e, table: "Django" })),
      ...RELEASE_TABLES.python.map((e) => ({ ...e, table: "Python" }))
    ]
      .filter((e) => e.expected === true && isoDate(e.released) + MONTH < today)
      .map((e) => `${e.table} ${e.version} (${e.released})`)
    expect(overdue, "update src/Scoring/ReleaseTables.ts").toEqual([])
  })

  const newestReleased = (table: typeof django) =>
    table.filter((e) => e.released <= today).reduce((a, b) => (b.released > a.released ? b : a))

  it("the newest released Django is less than a release cycle (8 months) plus 2 months old", () => {
    const newest = newestReleased(django)
    expect(today - newest.released, `Django ${newest.version}: add the next feature release`).toBeLessThan(10 * MONTH)
  })

  it("the newest released Python is less than a release cycle (12 months) plus 2 months old", () => {
    const newest = newestReleased(python)
    expect(today - newest.released, `Python ${newest.version}: add the next feature release`).toBeLessThan(14 * MONTH)
  })

  it("the tables were reviewed within the last year", () => {
    expect(today - isoDate(RELEASE_TABLES.reviewed), "review src/Scoring/ReleaseTables.ts").toBeLessThan(12 * MONTH)
  })
})
