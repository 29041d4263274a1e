import { describe, expect, it } from "vitest"
import { type Timestamp } from "../../src/Domain/Timestamp.ts"
import {
  DocumentationRule,
  FavoritePackageRule,
  RULES_PAGE_RULES,
  scoringFacts,
  type ScoringFacts,
  searchWeight
} from "../../src/Scoring.ts"
import { at, daysBefore } from "./at.ts"
import { A, AS_OF, B, C, D } from "./examples.ts"

const NOW = at("2026-09-01T12:00:00Z")
const full = (over: Partial<ScoringFacts> = {}): ScoringFacts =>
  scoringFacts({
    repo_watchers: 25,
    repo_forks: 25,
    pypi_downloads: 25_000,
    usage_count: 25,
    repo_description: "x",
    last_commit_date: daysBefore(NOW, 1),
    latest_release_date: daysBefore(NOW, 1),
    ...over
  })
const rule = (facts: ScoringFacts, name: string, asOf: Timestamp = NOW) =>
  searchWeight(facts, asOf).breakdown.find((b) => b.rule === name)

describe("searchWeight: the eight rules of the search index", () => {
  it("all saturated → 100, in the reference's order, each max 20, with its documentation URL", () => {
    const w = searchWeight(full(), NOW)
    expect(w.total_score).toBe(100)
    expect(w.breakdown.map((b) => [b.rule, b.score, b.max_score])).toEqual([
      ["Deprecated Rule", 20, 20],
      ["Description Rule", 20, 20],
      ["Downloads Rule", 20, 20],
      ["Fork Rule", 20, 20],
      ["Last Updated Rule", 20, 20],
      ["Recent Release Rule", 20, 20],
      ["Usage Count Rule", 20, 20],
      ["Watchers Rule", 20, 20]
    ])
    expect(w.breakdown[0]).toEqual({
      rule: "Deprecated Rule",
      description: "Check if the package is deprecated",
      score: 20,
      max_score: 20,
      message: "Package is not deprecated.",
      documentation_url: "https://docs.djangopackages.org/rules/#searchv3.rules.DeprecatedRule"
    })
    expect(w.message).toBe(
      "Package is not deprecated. Package has a description. Package has 25000 PyPi downloads. " +
        "Package repository has 25 forks. Package was updated less than 3 months ago. " +
        "Last release is less than a year old. Package has a usage count of 25. Package repository has 25 watchers."
    )
  })

  it("nothing known → only 'not deprecated': int(20 / 160 * 100) = 12, with the reference's messages", () => {
    const w = searchWeight(scoringFacts(), NOW)
    expect(w.total_score).toBe(12)
    expect(w.breakdown.map((b) => b.message)).toEqual([
      "Package is not deprecated.",
      "Package has no description.",
      "No PyPi downloads data for the package.",
      "No forks data for the package repository.",
      "No update data found for the package.",
      "No release data found for the package.",
      "No usage data found for the package.",
      "No watchers data for the package repository."
    ])
  })

  it("saturation and truncation: downloads int(d / 1000), forks/stars/usage capped at 20", () => {
    expect(rule(full({ pypi_downloads: 19_999 }), "Downloads Rule")?.score).toBe(19)
    expect(rule(full({ pypi_downloads: 999 }), "Downloads Rule")).toMatchObject({
      score: 0,
      message: "Package has 999 PyPi downloads."
    })
    expect(rule(full({ repo_forks: 7 }), "Fork Rule")?.score).toBe(7)
    expect(rule(full({ repo_watchers: 5000 }), "Watchers Rule")?.score).toBe(20)
    expect(rule(full({ usage_count: 3 }), "Usage Count Rule")?.score).toBe(3)
  })

  it("deprecated and blank descriptions score 0 (Python's strip(): U+001F is whitespace, U+FEFF is not)", () => {
    expect(rule(full({ date_deprecated: NOW }), "Deprecated Rule")).toMatchObject({
      score: 0,
      message: "Package is deprecated."
    })
    expect(rule(full({ repo_description: " \t\n\u001f\u00a0" }), "Description Rule")?.score).toBe(0)
    expect(rule(full({ repo_description: "\ufeff" }), "Description Rule")?.score).toBe(20)
  })

  it("last commit: 20 under 90 days, 10 under 182, 5 under 365, else 0 (whole instants)", () => {
    const at90 = (days: number, micros = 0) =>
      rule(full({ last_commit_date: (daysBefore(NOW, days) + micros) as Timestamp }), "Last Updated Rule")?.score
    expect(at90(89)).toBe(20)
    expect(at90(90, 1)).toBe(20)
    expect(at90(90)).toBe(10)
    expect(at90(182, 1)).toBe(10)
    expect(at90(182)).toBe(5)
    expect(at90(365, 1)).toBe(5)
    expect(at90(365)).toBe(0)
    expect(at90(-30)).toBe(20)
    expect(rule(full({ last_commit_date: daysBefore(NOW, 100) }), "Last Updated Rule")?.message).toBe(
      "Package was updated less than 6 months ago."
    )
  })

  it("recent release: 20 under 365 days, else 0", () => {
    expect(
      rule(full({ latest_release_date: (daysBefore(NOW, 365) + 1) as Timestamp }), "Recent Release Rule")?.score
    ).toBe(20)
    expect(rule(full({ latest_release_date: daysBefore(NOW, 365) }), "Recent Release Rule")).toMatchObject({
      score: 0,
      message: "Last release is more than a year old."
    })
  })

  it("normalises as int(sum / 160 * 100) in floating point, like Python", () => {
    // 93 / 160 * 100 is 58.12500000000001 in doubles, in both languages; the division comes first, as in Python.
    expect(searchWeight(full({ usage_count: 12 }), NOW).total_score).toBe(95)
    for (let forks = 0; forks <= 20; forks++) {
      const sum = 20 * 7 + forks
      expect(searchWeight(full({ repo_forks: forks }), NOW).total_score).toBe(Math.trunc((sum / 160) * 100))
    }
  })

  it("the unused rules and the rules page's Activity group (max 40)", () => {
    expect(FavoritePackageRule.check(full({ favorite_count: 1 }), NOW)).toEqual({
      score: 20,
      message: "Package is favorite."
    })
    expect(DocumentationRule.check(full(), NOW)).toEqual({ score: 0, message: "No documentation." })
    const page = searchWeight(full({ last_commit_date: daysBefore(NOW, 100) }), NOW, { rules: RULES_PAGE_RULES })
    const activity = page.breakdown[6]
    expect(activity).toMatchObject({
      rule: "Activity Rules",
      score: 30, // int((10 + 20) / 40 * 40)
      max_score: 40,
      message: "Package was updated less than 6 months ago. Last release is less than a year old.",
      documentation_url: "https://docs.djangopackages.org/rules/#searchv2.rules.ScoreRuleGroup"
    })
    expect(page.total_score).toBe(Math.trunc((150 / 160) * 100))
    expect(searchWeight(full(), NOW, { docsUrl: "http://0.0.0.0:4000" }).breakdown[0]?.documentation_url).toBe(
      "http://0.0.0.0:4000/rules/#searchv3.rules.DeprecatedRule"
    )
  })
})

describe("searchWeight: SCORING.md §8.8's second table", () => {
  it.each([
    ["A", A, 95],
    ["B", B, 58],
    ["C", C, 75],
    ["D", D, 70]
  ] as const)("%s → %i", (_, facts, expected) => {
    expect(searchWeight(facts, AS_OF).total_score).toBe(expected)
  })
})
