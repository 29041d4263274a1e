/** SCORING.md §8.10's invariants, as properties over generated packages and dates. */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Timestamp } from "../../src/Domain/Timestamp.ts"
import {
  packageScore,
  type PillarKey,
  type ReleaseFact,
  RELEASE_TABLES,
  type ScoreReport,
  scoringFacts,
  type ScoringFacts,
  supportedAt,
  resolveReleaseTable
} from "../../src/Scoring.ts"
import { DAY } from "../../src/Scoring/internal/Calendar.ts"
import { at } from "./at.ts"

const RUNS = { numRuns: 300 }
const WEEK = 7 * DAY

const DJANGO = ["1.11", "2.2", "3.2", "4.2", "5.0", "5.1", "5.2", "6.0", "6.1"].map(
  (v) => `Framework :: Django :: ${v}`
)
const PYTHON = ["2.7", "3.6", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"].map(
  (v) => `Programming Language :: Python :: ${v}`
)
const CLASSIFIERS = [
  "Framework :: Django",
  "Framework :: Django :: 5",
  ...DJANGO,
  ...PYTHON,
  "Programming Language :: Python :: 3",
  "Programming Language :: Python :: 2",
  "License :: OSI Approved :: MIT License",
  "License :: Other/Proprietary License",
  "Development Status :: 3 - Alpha",
  "Development Status :: 5 - Production/Stable"
]
/** requires_python values whose lower bounds were all released by 2024 (see the time property). */
const REQUIRES = [
  null,
  "",
  ">=3.8",
  ">=3.10",
  ">=3.12",
  "<3.12",
  "==3.*",
  "~=3.9",
  ">=2.7,!=3.0.*",
  "<3",
  ">=3.6.*",
  ">=3.9,<3.14"
]
const LICENSES = [null, "MIT", "UNKNOWN", "Custom", "BSD-3-Clause OR MIT", "Apache License 2.0"]

const version = fc
  .tuple(
    fc.nat({ max: 3 }),
    fc.nat({ max: 12 }),
    fc.nat({ max: 6 }),
    fc.constantFrom("", "", "", "a1", "rc2", ".dev0", ".post1")
  )
  .map(([a, b, c, suffix]) => `${a}.${b}.${c}${suffix}`)

const yankedRelease = fc.record({
  version,
  ago: fc.integer({ min: -20, max: 4000 }),
  yanked: fc.constantFrom(false, false, false, true)
})

const optionalNat = (max: number) => fc.option(fc.nat({ max }), { nil: null, freq: 6 })

/** A generated package, with dates as days before `asOf`. */
const scenario = fc.record({
  asOfDay: fc.integer({ min: 16_800, max: 21_900 }), // 2016 .. 2029
  asOfMicros: fc.integer({ min: 0, max: 86_399_999_999 }),
  stars: optionalNat(200_000),
  forks: optionalNat(20_000),
  contributors: optionalNat(500),
  openIssues: optionalNat(2_000),
  commits: fc.oneof(
    fc.constant<ReadonlyArray<number>>([]),
    fc.array(fc.constantFrom(0, 0, 0, 1, 4), { minLength: 52, maxLength: 52 })
  ),
  lastCommitAgo: fc.option(fc.integer({ min: -30, max: 4000 }), { nil: null, freq: 6 }),
  releases: fc.option(fc.uniqueArray(yankedRelease, { maxLength: 14, selector: (r) => r.version }), {
    nil: undefined,
    freq: 4
  }),
  latestAgo: fc.option(fc.integer({ min: -20, max: 4000 }), { nil: null, freq: 6 }),
  latestVersion: fc.option(version, { nil: null, freq: 6 }),
  downloads: optionalNat(5_000_000),
  classifiers: fc.subarray(CLASSIFIERS),
  requires: fc.constantFrom(...REQUIRES),
  license: fc.constantFrom(...LICENSES),
  status: fc.option(fc.integer({ min: 1, max: 7 }), { nil: null, freq: 3 }),
  docs: fc.boolean(),
  description: fc.boolean(),
  usage: fc.nat({ max: 200 }),
  favorites: fc.nat({ max: 50 }),
  deprecated: fc.constantFrom(false, false, false, false, true),
  archived: fc.constantFrom(false, false, false, false, true),
  onPypi: fc.constantFrom(true, true, true, true, false),
  django: fc.constantFrom(true, true, true, false),
  py3: fc.constantFrom(true, false, null),
  vulnerable: fc.constantFrom(false, false, false, true),
  fetchedAgo: fc.option(fc.nat({ max: 90 }), { nil: null, freq: 6 })
})

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never

const build = (s: Scenario): { facts: ScoringFacts; asOf: Timestamp } => {
  const asOf = s.asOfDay * DAY + s.asOfMicros
  const ago = (d: number) => (asOf - d * DAY) as Timestamp
  const releases: ReadonlyArray<ReleaseFact> | undefined = s.releases?.map((r) => ({
    version: r.version,
    upload_time: ago(r.ago),
    yanked: r.yanked
  }))
  const newest = releases?.filter((r) => !r.yanked).sort((a, b) => (b.upload_time ?? 0) - (a.upload_time ?? 0))[0]
  const facts = scoringFacts({
    repo_watchers: s.stars,
    repo_forks: s.forks,
    contributors: s.contributors,
    open_issues: s.openIssues,
    commits_over_52w: s.commits,
    last_commit_date: s.lastCommitAgo === null ? null : ago(s.lastCommitAgo),
    date_repo_archived: s.archived ? ago(1) : null,
    repo_description: s.description ? "A package" : "",
    on_pypi: s.onPypi,
    latest_version: newest?.version ?? s.latestVersion,
    latest_release_date: newest?.upload_time ?? (s.latestAgo === null ? null : ago(s.latestAgo)),
    ...(releases !== undefined ? { releases } : {}),
    pypi_downloads: s.downloads,
    pypi_classifiers: s.classifiers,
    pypi_requires_python: s.requires,
    pypi_license: s.license,
    supports_python3: s.py3,
    development_status: s.status,
    documentation_url: s.docs ? "https://docs.example" : null,
    usage_count: s.usage,
    favorite_count: s.favorites,
    date_deprecated: s.deprecated ? ago(2) : null,
    is_django_specific: s.django,
    ...(s.vulnerable ? { vulnerabilities: [{ id: "GHSA-test", fixed_in: ["9.9.9"] }] } : {}),
    last_fetched: s.fetchedAgo === null ? null : ago(s.fetchedAgo)
  })
  return { facts, asOf: asOf as Timestamp }
}

const score = (facts: ScoringFacts, asOf: Timestamp) => packageScore(facts, { asOf })
const pillarTenths = (r: ScoreReport, key: PillarKey) => r.pillars.find((p) => p.key === key)?.tenths ?? NaN

describe("§8.10 invariants (fast-check)", () => {
  it("boundedness: the score is in [0, 100], every pillar and component within [0, max]", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { facts, asOf } = build(s)
        const r = score(facts, asOf)
        expect(Number.isInteger(r.score)).toBe(true)
        expect(r.score).toBeGreaterThanOrEqual(0)
        expect(r.score).toBeLessThanOrEqual(100)
        for (const p of r.pillars) {
          expect(p.tenths).toBeGreaterThanOrEqual(0)
          expect(p.tenths).toBeLessThanOrEqual(p.max * 10)
          for (const c of p.components) {
            expect(c.tenths).toBeGreaterThanOrEqual(0)
            expect(c.tenths).toBeLessThanOrEqual(Math.round(c.max * 10))
            expect(c.normalized).toBeGreaterThanOrEqual(0)
            expect(c.normalized).toBeLessThanOrEqual(1)
          }
        }
        expect(r.pillars.reduce((s2, p) => s2 + p.max, 0)).toBe(100)
      }),
      RUNS
    )
  })

  it("exact sums: components + adjustments = pillar; pillars + flag + rounding = score; displayed decimals agree", () => {
    fc.assert(
      fc.property(scenario, fc.boolean(), fc.boolean(), (s, downloads, directoryUsers) => {
        const { facts, asOf } = build(s)
        const r = packageScore(facts, { asOf, collected: { downloads, directoryUsers } })
        let subtotal = 0
        for (const p of r.pillars) {
          const sum = p.components.reduce((a, c) => a + c.tenths, 0) + p.adjustments.reduce((a, x) => a + x.tenths, 0)
          expect(sum).toBe(p.tenths)
          expect(p.points).toBe(p.tenths / 10)
          for (const c of p.components) expect(c.points).toBe(c.tenths / 10)
          // The one-decimal numbers shown add up too (summed as decimals, i.e. in tenths).
          const shown = [...p.components.map((c) => c.points), ...p.adjustments.map((x) => x.points)]
          expect(shown.reduce((a, x) => a + Math.round(x * 10), 0)).toBe(Math.round(p.points * 10))
          expect(p.components.reduce((a, c) => a + Math.round(c.max * 10), 0)).toBe(p.max * 10)
          subtotal += p.tenths
        }
        expect(r.total.subtotal_tenths).toBe(subtotal)
        expect(r.total.subtotal_tenths + r.total.flag_tenths + r.total.rounding_tenths).toBe(r.score * 10)
        expect(Math.abs(r.total.rounding_tenths)).toBeLessThanOrEqual(5)
      }),
      RUNS
    )
  })

  it("flags only lower: the score never exceeds the unflagged subtotal, and only the strongest flag applies", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { facts, asOf } = build(s)
        const r = score(facts, asOf)
        expect(r.total.flag_tenths).toBeLessThanOrEqual(0)
        expect(r.score * 10).toBeLessThanOrEqual(r.total.subtotal_tenths + 5)
        const applied = r.flags.filter((f) => f.applied)
        expect(applied.length).toBe(r.flags.length > 0 ? 1 : 0)
        if (applied[0] !== undefined) {
          expect(applied[0].multiplier).toBe(Math.min(...r.flags.map((f) => f.multiplier)))
          expect(r.total.multiplier).toBe(applied[0].multiplier)
        }
      }),
      RUNS
    )
  })

  it("adding a flag (deprecated, archived, a known vulnerability, Inactive status) never raises the score", () => {
    const flagging: ReadonlyArray<(f: ScoringFacts, asOf: Timestamp) => ScoringFacts> = [
      (f, asOf) => ({ ...f, date_deprecated: asOf }),
      (f, asOf) => ({ ...f, date_repo_archived: asOf }),
      (f) => ({ ...f, vulnerabilities: [...(f.vulnerabilities ?? []), { id: "PYSEC-1", fixed_in: [] }] }),
      (f) => ({ ...f, development_status: 7 })
    ]
    fc.assert(
      fc.property(scenario, fc.nat({ max: flagging.length - 1 }), (s, i) => {
        const { facts, asOf } = build(s)
        const add = flagging[i] as (f: ScoringFacts, asOf: Timestamp) => ScoringFacts
        expect(score(add(facts, asOf), asOf).score).toBeLessThanOrEqual(score(facts, asOf).score)
      }),
      RUNS
    )
  })

  it("monotone: more stars, forks, downloads or contributors never lower the score", () => {
    const fields = ["repo_watchers", "repo_forks", "pypi_downloads", "contributors"] as const
    fc.assert(
      fc.property(scenario, fc.constantFrom(...fields), fc.integer({ min: 1, max: 100_000 }), (s, field, more) => {
        const { facts, asOf } = build(s)
        const base = facts[field] ?? 0
        const before = { ...facts, [field]: base }
        const after = { ...facts, [field]: base + more }
        expect(score(after, asOf).score).toBeGreaterThanOrEqual(score(before, asOf).score)
        expect(pillarTenths(score(after, asOf), "adoption")).toBeGreaterThanOrEqual(
          pillarTenths(score(before, asOf), "adoption")
        )
      }),
      RUNS
    )
  })

  it("monotone: a newer latest release date never lowers Maintenance", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 3000 }), (s, later) => {
        const { facts, asOf } = build(s)
        const live = (facts.releases ?? []).filter((r) => !r.yanked && r.upload_time !== null)
        let moved: ScoringFacts
        if (facts.releases === undefined || facts.releases.length === 0) {
          if (facts.latest_release_date === null) return
          moved = { ...facts, latest_release_date: (facts.latest_release_date + later * DAY) as Timestamp }
        } else {
          // The newest release, alone in its week, moved to a later week (see the note below).
          const newest = [...live].sort((a, b) => (b.upload_time ?? 0) - (a.upload_time ?? 0))[0]
          if (newest === undefined || newest.upload_time === null) return
          const week = Math.floor((Math.floor(newest.upload_time / DAY) + 3) / 7)
          const sameWeek = live.filter((r) => Math.floor((Math.floor((r.upload_time ?? 0) / DAY) + 3) / 7) === week)
          if (sameWeek.length > 1) return
          const t = (newest.upload_time + later * WEEK) as Timestamp
          moved = {
            ...facts,
            latest_release_date: t,
            releases: facts.releases.map((r) => (r === newest ? { ...r, upload_time: t } : r))
          }
        }
        expect(pillarTenths(score(moved, asOf), "maintenance")).toBeGreaterThanOrEqual(
          pillarTenths(score(facts, asOf), "maintenance")
        )
      }),
      RUNS
    )
  })

  it("monotone: the same release history, whole weeks more recent, never lowers Maintenance", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 300 }), (s, weeks) => {
        const { facts, asOf } = build(s)
        const shift = (t: Timestamp | null) => (t === null ? null : ((t + weeks * WEEK) as Timestamp))
        const moved: ScoringFacts = {
          ...facts,
          latest_release_date: shift(facts.latest_release_date),
          ...(facts.releases
            ? { releases: facts.releases.map((r) => ({ ...r, upload_time: shift(r.upload_time) })) }
            : {})
        }
        expect(pillarTenths(score(moved, asOf), "maintenance")).toBeGreaterThanOrEqual(
          pillarTenths(score(facts, asOf), "maintenance")
        )
      }),
      RUNS
    )
  })

  it("monotone: declaring a newer supported Django never lowers Compatibility", () => {
    const django = resolveReleaseTable(RELEASE_TABLES.django)
    fc.assert(
      fc.property(scenario, fc.nat(), (s, pick) => {
        const { facts, asOf } = build(s)
        const supported = supportedAt(django, asOf)
        const v = supported[pick % Math.max(1, supported.length)]
        if (v === undefined) return
        const declared = {
          ...facts,
          pypi_classifiers: [...facts.pypi_classifiers, `Framework :: Django :: ${v.version}`]
        }
        expect(pillarTenths(score(declared, asOf), "compatibility")).toBeGreaterThanOrEqual(
          pillarTenths(score(facts, asOf), "compatibility")
        )
      }),
      RUNS
    )
  })

  it("time: advancing as_of never raises Maintenance or Compatibility when the inputs stay the same", () => {
    // Between mid-2024, when every lower bound in REQUIRES names a released Python (a requires_python that
    // admits only unreleased Pythons scores 0 until one is released, by §8.4 B), and 2030, the horizon the
    // release tables cover (past it no Python is "supported" and the requires_python rules go vacuous).
    const from = Math.floor(at("2024-06-01") / DAY)
    const until = at("2030-01-01")
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 2000 }), (s, days) => {
        const { facts, asOf } = build({ ...s, asOfDay: Math.min(Math.max(s.asOfDay, from), 21_900) })
        const later = Math.min(asOf + days * DAY, until) as Timestamp
        if (later <= asOf) return
        const before = score(facts, asOf)
        const after = score(facts, later)
        expect(pillarTenths(after, "maintenance")).toBeLessThanOrEqual(pillarTenths(before, "maintenance"))
        expect(pillarTenths(after, "compatibility")).toBeLessThanOrEqual(pillarTenths(before, "compatibility"))
      }),
      RUNS
    )
  })

  it("determinism: identical JSON for equal inputs, whatever the order of the release list", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { facts, asOf } = build(s)
        const json = JSON.stringify(score(facts, asOf))
        expect(JSON.stringify(score(structuredClone(facts), asOf))).toBe(json)
        if (facts.releases !== undefined)
          expect(JSON.stringify(score({ ...facts, releases: [...facts.releases].reverse() }, asOf))).toBe(json)
      }),
      RUNS
    )
  })
})
