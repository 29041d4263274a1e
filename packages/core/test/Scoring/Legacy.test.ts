import { describe, expect, it } from "vitest"
import { type Timestamp } from "../../src/Domain/Timestamp.ts"
import { legacyScore, legacyScoreBreakdown } from "../../src/Scoring.ts"
import { addMonths, calendarMonths } from "../../src/Scoring/internal/Calendar.ts"
import { at, daysBefore } from "./at.ts"
import { A, AS_OF, B, C, D } from "./examples.ts"
import golden from "./fixtures/legacy.json" with { type: "json" }

const NOW = at("2026-09-01T12:00:00Z")
const score = (stars: number, commit: Timestamp | null, py3: boolean | null, asOf: Timestamp = NOW) =>
  legacyScore({ repo_watchers: stars, last_commit_date: commit, supports_python3: py3 }, asOf)
const monthsAgo = (n: number) => addMonths(NOW, -n) as Timestamp

describe("legacyScore: the reference's tests (package/tests/test_scores.py)", () => {
  it("W=100, last commit 10 days ago, Python 3 → 100", () => {
    expect(score(100, daysBefore(NOW, 10), true)).toBe(100)
  })
  it("W=100, no commit date, no Python 3 → 60", () => {
    expect(score(100, null, false)).toBe(60)
  })
})

describe("legacyScore: the reference's worked examples (W=1000)", () => {
  it.each([
    [2, 1000],
    [7, 800],
    [24, 200],
    [60, -500]
  ])("%i months without a commit → %i", (months, expected) => {
    expect(score(1000, monthsAgo(months), true)).toBe(expected)
  })
  it("≥ 36 months → ≤ 0", () => {
    for (const m of [36, 37, 40, 48]) expect(score(1000, monthsAgo(m), true)).toBeLessThanOrEqual(0)
  })
  it("5 years is −1000 raw, floored at −500", () => {
    const b = legacyScoreBreakdown(
      { repo_watchers: 1000, last_commit_date: monthsAgo(60), supports_python3: true },
      NOW
    )
    expect(b).toMatchObject({ months_since_last_commit: 60, quarters: 20, commit_age_penalty: 2000, floored: true })
    expect(b.score).toBe(-500)
  })
  it("7 months with Python 3 false or unknown (null) → 500: null penalises like false", () => {
    expect(score(1000, monthsAgo(7), false)).toBe(500)
    expect(score(1000, monthsAgo(7), null)).toBe(500)
  })
})

describe("legacyScore: edges", () => {
  it("a missing commit date costs one quarter even with Python 3", () => {
    expect(score(1000, null, true)).toBe(900)
    expect(
      legacyScoreBreakdown({ repo_watchers: 1000, last_commit_date: null, supports_python3: true }, NOW)
    ).toMatchObject({
      months_since_last_commit: null,
      quarters: 1
    })
  })
  it("exactly 3 months is one quarter; a microsecond less is none (time of day counts, as in relativedelta)", () => {
    const asOf = at("2026-04-15T12:00:00Z")
    expect(score(1000, at("2026-01-15T12:00:00Z"), true, asOf)).toBe(900)
    expect(score(1000, at("2026-01-15T12:00:00.000001Z"), true, asOf)).toBe(1000)
    expect(score(1000, at("2026-01-15T00:00:00Z"), true, at("2026-04-15"))).toBe(900)
  })
  it("month ends: Jan 31 → Feb 28 is a month; Jan 31 → Apr 30 is a quarter", () => {
    expect(calendarMonths(at("2023-02-28"), at("2023-01-31"))).toBe(1)
    expect(calendarMonths(at("2023-02-27"), at("2023-01-31"))).toBe(0)
    expect(calendarMonths(at("2024-02-29"), at("2024-01-31"))).toBe(1)
    expect(score(1000, at("2023-01-31"), true, at("2023-04-30"))).toBe(900)
    expect(score(1000, at("2023-01-31"), true, at("2023-04-29"))).toBe(1000)
    expect(calendarMonths(at("2023-04-30"), at("2023-03-31"))).toBe(1)
  })
  it("leap days: Feb 29 → Feb 28 and Mar 1 of the next year are twelve months, Feb 27 eleven", () => {
    expect(calendarMonths(at("2025-02-28"), at("2024-02-29"))).toBe(12)
    expect(calendarMonths(at("2025-03-01"), at("2024-02-29"))).toBe(12)
    expect(calendarMonths(at("2025-02-27"), at("2024-02-29"))).toBe(11)
    expect(score(1000, at("2024-02-29"), true, at("2025-02-28"))).toBe(600)
    expect(score(1000, at("2024-02-29"), true, at("2025-02-27"))).toBe(700)
    expect(calendarMonths(at("2028-02-29"), at("2024-02-29"))).toBe(48)
  })
  it("int() truncates toward zero, also below zero", () => {
    expect(score(7, monthsAgo(7), true)).toBe(5) // 7 − 1.4
    expect(score(15, monthsAgo(36), false)).toBe(-7) // 15 − 18 − 4.5 = −7.5
  })
  it("the Python 3 penalty is capped at 1000", () => {
    expect(score(5000, daysBefore(NOW, 1), null)).toBe(4000)
  })
  it("no stars scores 0, not −0", () => {
    expect(Object.is(score(0, monthsAgo(40), null), 0)).toBe(true)
  })
  it("a commit dated after asOf counts negative months, as relativedelta does", () => {
    expect(calendarMonths(NOW, addMonths(NOW, 4))).toBe(-4)
    expect(score(1000, addMonths(NOW, 4) as Timestamp, true)).toBe(1100)
    expect(score(1000, addMonths(NOW, 2) as Timestamp, true)).toBe(1000)
  })
})

describe("legacyScore: SCORING.md §8.8's second table", () => {
  it.each([
    ["A", A, 1200],
    ["B (3 quarters without a commit → −30%)", B, 126],
    ["C (floor)", C, -500],
    ["D (ranked first)", D, 4000]
  ] as const)("%s → %i", (_, facts, expected) => {
    expect(legacyScore(facts, AS_OF)).toBe(expected)
  })
})

interface GoldenCase {
  readonly stars: number
  readonly last_commit_date: string | null
  readonly supports_python3: boolean | null
  readonly as_of: string
  readonly months: number
  readonly score: number
}

describe("legacyScore against the reference's Python (fixtures/generate.py, dateutil relativedelta)", () => {
  const cases = golden as ReadonlyArray<GoldenCase>
  it(`matches all ${cases.length} golden cases, months and score`, () => {
    for (const c of cases) {
      const asOf = at(c.as_of)
      const commit = c.last_commit_date === null ? null : at(c.last_commit_date)
      if (commit !== null) expect({ c, months: calendarMonths(asOf, commit) }).toEqual({ c, months: c.months })
      expect({ c, score: score(c.stars, commit, c.supports_python3, asOf) }).toEqual({ c, score: c.score })
    }
  })
})
