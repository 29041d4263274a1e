import { describe, expect, it } from "vitest"
import { type Timestamp } from "../../src/Domain/Timestamp.ts"
import {
  compareScored,
  packageScore,
  type PillarKey,
  type ReleaseFact,
  type ScoreReport,
  scoringFacts,
  type ScoringFacts
} from "../../src/Scoring.ts"
import { daysBefore } from "./at.ts"
import { A, AS_OF, B, C, D, weeks } from "./examples.ts"

const score = (facts: ScoringFacts, collected?: { downloads?: boolean; directoryUsers?: boolean }) =>
  packageScore(facts, { asOf: AS_OF, ...(collected ? { collected } : {}) })
const pillar = (r: ScoreReport, key: PillarKey) => {
  const p = r.pillars.find((x) => x.key === key)
  if (p === undefined) throw new Error(`no pillar ${key}`)
  return p
}
const component = (r: ScoreReport, key: PillarKey, c: string) => {
  const found = pillar(r, key).components.find((x) => x.key === c)
  if (found === undefined) throw new Error(`no component ${key}.${c}`)
  return found
}
const ago = (days: number): Timestamp => daysBefore(AS_OF, days)
const releases = (rows: ReadonlyArray<readonly [string, number]>): ReadonlyArray<ReleaseFact> =>
  rows.map(([version, d]) => ({ version, upload_time: ago(d), yanked: false }))
const withClassifiers = (facts: ScoringFacts, ...extra: ReadonlyArray<string>): ScoringFacts => ({
  ...facts,
  pypi_classifiers: [
    ...facts.pypi_classifiers.filter(
      (c) => !c.startsWith("Framework :: Django ::") && !/^Programming Language :: Python :: \d/.test(c)
    ),
    ...extra
  ]
})

describe("SCORING.md §8.8 worked examples (as_of 2026-09-01)", () => {
  const [a, b, c, d] = [A, B, C, D].map((f) => score(f)) as [ScoreReport, ScoreReport, ScoreReport, ScoreReport]

  it("order A > B > D > C", () => {
    expect(a.score).toBeGreaterThan(b.score)
    expect(b.score).toBeGreaterThan(d.score)
    expect(d.score).toBeGreaterThan(c.score)
    const sorted = [
      { slug: "c", report: c },
      { slug: "a", report: a },
      { slug: "d", report: d },
      { slug: "b", report: b }
    ].sort(compareScored)
    expect(sorted.map((x) => x.slug)).toEqual(["a", "b", "d", "c"])
  })

  it("A: 30.0 + 14.7 (10.5 + 4.2) + 18.7 (7.5 + 2.9 + 6.1 + 2.2) + 15.0 + 9.3 = 87.7 → 88, as the table", () => {
    expect(a.pillars.map((p) => p.points)).toEqual([30, 14.7, 18.7, 15, 9.3])
    expect(pillar(a, "compatibility").components.map((x) => x.points)).toEqual([10.5, 4.2])
    expect(pillar(a, "adoption").components.map((x) => x.points)).toEqual([7.5, 2.9, 6.1, 2.2])
    expect(a.score).toBe(88)
    expect(a.flags).toEqual([])
    expect(a.confidence.level).toBe("High")
  })

  it("B: maintenance raw 21.1 lifted to 22.5 by the Stable & current floor; hygiene 15.0; community 5.2", () => {
    const m = pillar(b, "maintenance")
    expect(m.components.reduce((s, x) => s + x.tenths, 0)).toBe(211)
    expect(m.adjustments).toEqual([expect.objectContaining({ key: "stable_current_floor", tenths: 14 })])
    expect(m.points).toBe(22.5)
    expect(b.labels).toContain("Stable & current")
    expect(pillar(b, "hygiene").points).toBe(15)
    expect(pillar(b, "community").points).toBe(5.2)
    expect(component(b, "maintenance", "release_freshness").reason).toContain("expected within 540 d")
  })

  it("B: the honesty check drops its Django 6.0 classifier (uploaded 420 d ago, before 6.0 could be tested), so 0.75 not 1.0", () => {
    const django = component(b, "compatibility", "django")
    expect(django.normalized).toBe(0.75)
    expect(django.reason).toContain("6.0 declared before it could be tested")
    // The table's 20.0 holds once the declaration comes with a recent upload.
    const fresh = score({
      ...B,
      latest_release_date: ago(30),
      releases: [...(B.releases ?? []), ...releases([["2.0.5", 30]])]
    })
    expect(pillar(fresh, "compatibility").points).toBe(20)
  })

  it("C: 0.0 + 1.2 + 21.9 + 14.0 + 7.0 = 44.1, likely unmaintained ×0.6 → 26.5 → 27", () => {
    expect(c.pillars.map((p) => p.points)).toEqual([0, 1.2, 21.9, 14, 7])
    expect(c.flags).toEqual([expect.objectContaining({ key: "likely_unmaintained", multiplier: 0.6, applied: true })])
    expect(c.total).toMatchObject({ subtotal: 44.1, multiplier: 0.6, flag_tenths: -176, rounding_tenths: 5 })
    expect(c.score).toBe(27)
  })

  it("D: stars capped to 350 by corroboration (6.2), adoption 7.7, labelled New and Pre-1.0", () => {
    const stars = component(d, "adoption", "stars")
    expect(stars.points).toBe(6.2)
    expect(stars.reason).toContain("4000 stars count as 350")
    expect(pillar(d, "adoption").points).toBe(7.7)
    expect(pillar(d, "compatibility").points).toBe(20)
    expect(d.labels).toEqual(["New", "Pre-1.0"])
  })
})

describe("packageScore: maintenance", () => {
  it("release freshness decays linearly over 730 days past the expected interval G", () => {
    const f = (age: number) =>
      component(
        score({
          ...A,
          latest_release_date: ago(age),
          releases: releases([
            ["1.0.0", 2000],
            ["1.1.0", age]
          ])
        }),
        "maintenance",
        "release_freshness"
      )
    // 1.x (patch 0) → M = 365; two release weeks → default gap 180 → G = max(365, 270) = 365.
    expect(f(365).normalized).toBe(1)
    expect(f(365 + 73).normalized).toBe(0.9)
    expect(f(365 + 730).normalized).toBe(0)
  })

  it("expected interval: Development Status 6 or x.y.3+ → 540, 1.x → 365, 0.x with 10 releases → 270, else 180", () => {
    const g = (over: Partial<ScoringFacts>) =>
      component(score({ ...A, ...over }), "maintenance", "release_freshness").reason
    expect(g({ development_status: 6 })).toContain("expected within 540 d")
    expect(g({ releases: releases([["1.0.3", 70]]) })).toContain("expected within 540 d")
    expect(g({ releases: releases([["1.0.0", 70]]) })).toContain("expected within 365 d")
    expect(
      g({ releases: releases(Array.from({ length: 10 }, (_, i) => [`0.${i}.0`, 70 + i * 100] as const)) })
    ).toContain("expected within 270 d")
    expect(
      g({
        releases: releases([
          ["0.1.0", 84],
          ["0.2.0", 77],
          ["0.3.0", 70]
        ])
      })
    ).toContain("expected within 180 d")
    // Fewer than 3 release weeks: the median gap defaults to 180 d, so G = max(M, 1.5 × 180).
    expect(g({ releases: releases([["0.3.0", 70]]) })).toContain("expected within 270 d")
  })

  it("§8.4's median gap: splitting a shared release week shortens G, so a newer release can lower freshness", () => {
    // Why the "newer release" property moves a release that is alone in its week: two weeks → default gap
    // 180 → G = 270; a third week one week later → median gap ~78 d → G = max(M, 118) = 180.
    const f = (rows: ReadonlyArray<readonly [string, number]>) =>
      component(score({ ...D, development_status: null, releases: releases(rows) }), "maintenance", "release_freshness")
        .normalized
    expect(
      f([
        ["0.1.0", 400],
        ["0.2.0", 250],
        ["0.2.1", 250]
      ])
    ).toBe(1)
    expect(
      f([
        ["0.1.0", 400],
        ["0.2.0", 250],
        ["0.2.1", 243]
      ])
    ).toBeLessThan(1)
  })

  it("commit activity counts active weeks, not commits; recency is linear from 90 to 730 days", () => {
    const spam = score({ ...A, commits_over_52w: Array.from({ length: 52 }, (_, i) => (i === 51 ? 500 : 0)) })
    expect(component(spam, "maintenance", "commit_activity").normalized).toBe(0.25)
    expect(component(score({ ...A, last_commit_date: ago(410) }), "maintenance", "last_commit").normalized).toBe(0.5)
  })

  it("release continuity deduplicates releases by week", () => {
    const burst = score({
      ...A,
      releases: releases([
        ["1.0.0", 900],
        ["1.0.1", 70],
        ["1.0.2", 70],
        ["1.0.3", 70]
      ])
    })
    expect(component(burst, "maintenance", "release_continuity").input).toBe(1)
  })

  it("backlog without activity multiplies the pillar by 0.8, shown as an adjustment", () => {
    const r = score({
      ...C,
      latest_release_date: ago(800),
      releases: releases([
        ["1.0.0", 2000],
        ["1.1.0", 800]
      ]),
      last_commit_date: ago(100)
    })
    const m = pillar(r, "maintenance")
    const raw = m.components.reduce((s, x) => s + x.tenths, 0)
    expect(raw).toBeGreaterThan(0)
    expect(m.adjustments).toEqual([
      expect.objectContaining({ key: "backlog", tenths: Math.floor((raw * 8 + 5) / 10) - raw })
    ])
  })

  it("the Stable & current floor needs a supported Django declared: B keeps it while 5.2 LTS is supported", () => {
    const later = (days: number) => packageScore(B, { asOf: (AS_OF + days * 86_400_000_000) as Timestamp })
    // 2027-10-06: 6.2 is the target, 5.2 still supported → Django 0.75, floor kept.
    expect(later(400).labels).toContain("Stable & current")
    // 2028-08-01: 5.2's support ended 2028-04-01 → Django 0.35, floor gone.
    expect(component(later(700), "compatibility", "django").normalized).toBe(0.35)
    expect(later(700).labels).not.toContain("Stable & current")
  })
})

describe("packageScore: compatibility", () => {
  const django = (facts: ScoringFacts) => component(score(facts), "compatibility", "django")
  const python = (facts: ScoringFacts) => component(score(facts), "compatibility", "python")

  it("Django: target or newer 1.0, another supported 0.75, recently unsupported 0.35, else 0, none unknown 0.3", () => {
    expect(django(withClassifiers(A, "Framework :: Django :: 6.0")).normalized).toBe(1)
    expect(django(withClassifiers(A, "Framework :: Django :: 6.1")).normalized).toBe(1)
    expect(django(withClassifiers(A, "Framework :: Django :: 5.2")).normalized).toBe(0.75)
    // 5.1's support ended 2025-12-01, 9 months before as_of; 4.2's on 2026-04-01.
    expect(django(withClassifiers(A, "Framework :: Django :: 5.1")).normalized).toBe(0.35)
    expect(django(withClassifiers(A, "Framework :: Django :: 4.1", "Framework :: Django :: 4.2")).reason).toContain(
      "4.2 reached end of support"
    )
    expect(django(withClassifiers(A, "Framework :: Django :: 3.2")).normalized).toBe(0)
    const none = django(withClassifiers(A))
    expect(none).toMatchObject({ normalized: 0.3, known: false })
    expect(none.hint).toContain("Framework :: Django :: X.Y")
  })

  it("Django: a major-only classifier covers that major's versions released before the latest upload", () => {
    expect(django(withClassifiers(A, "Framework :: Django :: 5")).input).toBe("5.2")
    expect(django(withClassifiers({ ...A, latest_release_date: ago(1000) }, "Framework :: Django :: 5")).input).toBe(
      "5.0"
    )
  })

  it("Python: target or newer 1.0, supported 0.7, all end-of-life 0.2, Python 2 only 0 and flagged", () => {
    expect(python(withClassifiers(A, "Programming Language :: Python :: 3.14")).normalized).toBe(1)
    expect(python(withClassifiers(A, "Programming Language :: Python :: 3.12")).normalized).toBe(0.7)
    expect(
      python(withClassifiers({ ...A, pypi_requires_python: null }, "Programming Language :: Python :: 3.8")).normalized
    ).toBe(0.2)
    const py2 = score({ ...withClassifiers(A, "Programming Language :: Python :: 2.7"), pypi_requires_python: null })
    expect(component(py2, "compatibility", "python").normalized).toBe(0)
    expect(py2.flags.map((f) => f.key)).toEqual(["python2_only"])
    expect(score({ ...A, pypi_requires_python: "<3" }).flags.map((f) => f.key)).toEqual(["python2_only"])
  })

  it("Python: requires_python alone, invalid, excluding every supported version, or excluding the target (cap 0.75)", () => {
    expect(python(withClassifiers({ ...A, pypi_requires_python: ">=3.10" })).normalized).toBe(0.7)
    expect(python(withClassifiers({ ...A, pypi_requires_python: null }))).toMatchObject({
      normalized: 0.5,
      known: false
    })
    expect(python(withClassifiers({ ...A, pypi_requires_python: ">=3.6.*" })).reason).toContain(
      "invalid requires_python"
    )
    expect(python({ ...A, pypi_requires_python: ">=3.20" }).normalized).toBe(0)
    expect(
      python(withClassifiers({ ...A, pypi_requires_python: "<3.14" }, "Programming Language :: Python :: 3.14"))
        .normalized
    ).toBe(0.75)
  })

  it("a package that is not Django-specific has Python currency worth the whole 20", () => {
    const r = score({ ...A, is_django_specific: false, pypi_classifiers: ["Programming Language :: Python :: 3.14"] })
    expect(pillar(r, "compatibility").components.map((x) => [x.key, x.max, x.points])).toEqual([["python", 20, 20]])
  })
})

describe("packageScore: adoption, hygiene, community", () => {
  it("a source the directory does not collect is dropped and the pillar rescaled to 25", () => {
    const r = score(A, { downloads: false })
    const p = pillar(r, "adoption")
    expect(p.components.map((x) => x.key)).toEqual(["stars", "forks", "directory_users"])
    expect(p.components.reduce((s, x) => s + x.max * 10, 0)).toBe(250)
    expect(p.max).toBe(25)
  })

  it("downloads have a 300/month noise floor", () => {
    expect(component(score({ ...A, pypi_downloads: 300 }), "adoption", "downloads").points).toBe(0)
  })

  it("license: SPDX or OSI 1, free text 0.5, none or UNKNOWN 0", () => {
    const lic = (pypi_license: string | null, classifiers: ReadonlyArray<string> = []) =>
      component(score({ ...A, pypi_license, pypi_licenses: [], pypi_classifiers: classifiers }), "hygiene", "license")
        .normalized
    expect(lic("BSD-3-Clause OR (MIT AND Apache-2.0)")).toBe(1)
    expect(lic(null, ["License :: OSI Approved :: BSD License"])).toBe(1)
    expect(lic("Custom")).toBe(0.5)
    expect(lic("UNKNOWN")).toBe(0)
    expect(lic(null)).toBe(0)
  })

  it("development status: 5/6 1, 4 0.7, 3 0.4, 1–2 0.2, 7 0 and flagged Inactive, missing 0.5 unknown", () => {
    const st = (s: number | null) => score({ ...A, development_status: s, pypi_classifiers: [] })
    expect([6, 5, 4, 3, 2, 1, 7].map((s) => component(st(s), "hygiene", "development_status").normalized)).toEqual([
      1, 1, 0.7, 0.4, 0.2, 0.2, 0
    ])
    expect(st(7).flags.map((f) => f.key)).toEqual(["inactive"])
    expect(component(st(null), "hygiene", "development_status")).toMatchObject({ normalized: 0.5, known: false })
  })

  it("contributors follow the bus-factor curve; steadiness counts active quarters", () => {
    const r = score({ ...A, contributors: 3, commits_over_52w: weeks([0, 20]) })
    expect(component(r, "community", "contributors").normalized).toBe(0.5)
    expect(component(r, "community", "steadiness")).toMatchObject({ input: 2, normalized: 0.7 })
  })

  it("missing repository data (a monorepo) is unknown with priors, never 0, and lowers confidence", () => {
    const r = score({
      ...A,
      repo_watchers: null,
      repo_forks: null,
      contributors: null,
      commits_over_52w: [],
      last_commit_date: null
    })
    for (const [p, c, prior] of [
      ["adoption", "stars", 0.3],
      ["adoption", "forks", 0.3],
      ["community", "contributors", 0.3],
      ["community", "steadiness", 0.4],
      ["maintenance", "commit_activity", 0.3],
      ["maintenance", "last_commit", 0.3]
    ] as const)
      expect(component(r, p, c)).toMatchObject({ known: false, normalized: prior })
    expect(r.confidence.level).toBe("Medium")
    expect(r.confidence.notes[0]).toContain("scored with priors")
  })
})

describe("packageScore: flags", () => {
  it("lists every flag and applies only the strongest multiplier", () => {
    const r = score({ ...A, date_repo_archived: ago(10), date_deprecated: ago(5), development_status: 7 })
    expect(r.flags.map((f) => [f.key, f.multiplier, f.applied])).toEqual([
      ["deprecated", 0.2, true],
      ["archived", 0.3, false],
      ["inactive", 0.4, false]
    ])
    expect(r.score).toBe(Math.floor((Math.floor((r.total.subtotal_tenths * 20 + 50) / 100) + 5) / 10))
  })

  it("security: a known, not withdrawn advisory in the latest release ×0.5, naming ids and fixes", () => {
    const r = score({
      ...A,
      latest_version: "2.1.0",
      vulnerabilities: [
        { id: "GHSA-xxxx-yyyy-zzzz", fixed_in: ["2.1.1"] },
        { id: "PYSEC-2026-1", fixed_in: [], withdrawn: ago(3) }
      ]
    })
    expect(r.flags).toEqual([
      {
        key: "vulnerable",
        label: "Known vulnerability in the latest release",
        multiplier: 0.5,
        applied: true,
        reason: "GHSA-xxxx-yyyy-zzzz affects 2.1.0, fixed in 2.1.1",
        hint: "GHSA-xxxx-yyyy-zzzz affects 2.1.0, fixed in 2.1.1: release it"
      }
    ])
    expect(r.score).toBe(44)
    expect(r.improvements[0]).toMatchObject({ key: "flag.vulnerable", gain: 43.8 })
    expect(score({ ...A, vulnerabilities: [{ id: "X", fixed_in: [], withdrawn: ago(1) }] }).flags).toEqual([])
  })

  it("all releases yanked ×0.3; not on PyPI ×0.75 with PyPI facts unknown, not zero", () => {
    const yanked = score({ ...A, releases: (A.releases ?? []).map((r) => ({ ...r, yanked: true })) })
    expect(yanked.flags.map((f) => f.key)).toEqual(["all_yanked"])
    const github = score({
      ...A,
      on_pypi: false,
      latest_version: null,
      latest_release_date: null,
      pypi_classifiers: [],
      pypi_license: null,
      pypi_requires_python: null,
      pypi_downloads: null
    })
    expect(github.flags.map((f) => [f.key, f.multiplier])).toEqual([["not_on_pypi", 0.75]])
    expect(component(github, "hygiene", "license")).toMatchObject({ known: false, normalized: 0.5 })
    expect(component(github, "compatibility", "django")).toMatchObject({ known: false, normalized: 0.3 })
  })
})

describe("packageScore: report", () => {
  it("exact arithmetic: components + adjustments = pillar, pillars + flag + rounding = score × 10", () => {
    for (const r of [A, B, C, D].map((f) => score(f))) {
      for (const p of r.pillars)
        expect(p.components.reduce((s, c) => s + c.tenths, 0) + p.adjustments.reduce((s, a) => s + a.tenths, 0)).toBe(
          p.tenths
        )
      expect(r.pillars.reduce((s, p) => s + p.tenths, 0)).toBe(r.total.subtotal_tenths)
      expect(r.total.subtotal_tenths + r.total.flag_tenths + r.total.rounding_tenths).toBe(r.score * 10)
    }
  })

  it("is deterministic and independent of the order releases are given in", () => {
    const once = JSON.stringify(score(B))
    expect(JSON.stringify(score(B))).toBe(once)
    expect(JSON.stringify(score({ ...B, releases: [...(B.releases ?? [])].reverse() }))).toBe(once)
    expect(JSON.parse(once)).toMatchObject({ score_version: "dps-1", as_of: "2026-09-01T00:00:00Z" })
  })

  it("stale data lowers confidence one level without changing the score", () => {
    const fresh = score(A)
    const stale = score({ ...A, last_fetched: ago(45) })
    expect(stale.score).toBe(fresh.score)
    expect([fresh.confidence.level, stale.confidence.level]).toEqual(["High", "Medium"])
    expect(stale.confidence.notes).toContain("data may be stale: last refreshed 45 d ago")
    expect(score({ ...A, last_fetched: null }).confidence.notes).toContain("the data was never refreshed")
  })

  it("improvement hints come with the points they could gain, largest first", () => {
    const r = score(withClassifiers(A, "Framework :: Django :: 5.2"))
    expect(r.improvements[0]).toEqual({
      key: "compatibility.django",
      hint: "declare `Framework :: Django :: 6.0` after testing with it",
      gain: 3.5
    })
  })

  it("scores a hand-built minimal record (everything unknown) with low confidence", () => {
    const r = packageScore(scoringFacts(), { asOf: AS_OF })
    expect(r.score).toBeGreaterThan(0)
    expect(r.confidence.level).toBe("Low")
  })
})
