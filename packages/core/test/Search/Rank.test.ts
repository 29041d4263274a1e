import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  compare,
  coverage,
  gridScore,
  gridSearchWeight,
  normalise,
  rank,
  RANKING,
  relevance,
  type Signals,
  type Sortable,
  SORTS
} from "../../src/Search/Rank.ts"

const fields = fc.record({
  name: fc.double({ min: 0, max: 1, noNaN: true }),
  description: fc.boolean(),
  topics: fc.option(fc.boolean(), { nil: undefined })
})
const signals: fc.Arbitrary<Signals> = fc.record({
  fields,
  engine: fc.double({ min: 0, max: 1, noNaN: true }),
  substring: fc.boolean(),
  similarity: fc.double({ min: 0, max: 1, noNaN: true }),
  exact: fc.boolean(),
  score: fc.integer({ min: 0, max: 100 })
})

const match = (over: Partial<Signals> = {}): Signals => ({
  fields: { name: 1, description: false, topics: false },
  engine: 1,
  substring: false,
  similarity: 0,
  exact: false,
  score: 50,
  ...over
})

describe("Search/Rank", () => {
  it("documents constants that keep relevance first and an exact name above everything", () => {
    expect(RANKING.exact).toBeGreaterThan(RANKING.relevance + RANKING.score)
    expect(RANKING.score).toBeLessThan(RANKING.relevance)
    expect(RANKING.fuzzy).toBeLessThan(1)
  })

  it("weighs where a query matched: the name (title and slug) by its share of the query, then description, then topics", () => {
    expect(coverage({ name: 1, description: true, topics: true })).toBe(1)
    expect(coverage({ name: 1, description: true })).toBe(1)
    expect(coverage({ name: 1, description: false, topics: false })).toBeCloseTo(1.4 / 1.7)
    expect(coverage({ name: 0.5, description: false, topics: false })).toBeCloseTo(0.7 / 1.7)
    expect(coverage({ name: 0, description: true, topics: false })).toBeCloseTo(0.2 / 1.7)
    expect(coverage({ name: 0, description: false })).toBe(0)
    // A name holding the whole query outweighs one holding half of it plus the description and topics.
    expect(coverage({ name: 1, description: false, topics: false })).toBeGreaterThan(
      coverage({ name: 0.5, description: true, topics: true })
    )
    expect(normalise(2, 4)).toBe(0.5)
    expect(normalise(1, 0)).toBe(0)
  })

  it("keeps relevance in 0..1 whatever the evidence", () => {
    fc.assert(
      fc.property(signals, (s) => {
        const r = relevance(s)
        expect(r).toBeGreaterThanOrEqual(0)
        expect(r).toBeLessThanOrEqual(1)
        expect(rank(s)).toBeLessThanOrEqual(RANKING.exact + RANKING.relevance + RANKING.score)
      })
    )
    expect(relevance(match({ engine: Number.NaN, similarity: 7 }))).toBeLessThanOrEqual(1)
  })

  it("is monotone in the score at equal relevance", () => {
    fc.assert(
      fc.property(signals, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (s, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        expect(rank({ ...s, score: hi })).toBeGreaterThanOrEqual(rank({ ...s, score: lo }))
        if (hi > lo) expect(rank({ ...s, score: hi })).toBeGreaterThan(rank({ ...s, score: lo }))
      })
    )
  })

  it("is monotone in each kind of evidence at equal score", () => {
    fc.assert(
      fc.property(signals, (s) => {
        expect(rank({ ...s, fields: { ...s.fields, name: 1 } })).toBeGreaterThanOrEqual(rank(s))
        expect(rank({ ...s, fields: { ...s.fields, description: true } })).toBeGreaterThanOrEqual(rank(s))
        expect(rank({ ...s, substring: true })).toBeGreaterThanOrEqual(rank(s))
        expect(rank({ ...s, engine: 1 })).toBeGreaterThanOrEqual(rank(s))
        expect(rank({ ...s, exact: true })).toBeGreaterThan(rank({ ...s, exact: false }))
      })
    )
  })

  it("puts an exact name first, whatever the other's relevance and score", () => {
    fc.assert(
      fc.property(signals, signals, (a, b) => {
        expect(rank({ ...a, exact: true, score: 0 })).toBeGreaterThan(rank({ ...b, exact: false }))
      })
    )
  })

  it("ranks a relevant healthy package above an equally relevant abandoned one, and above a weaker match", () => {
    expect(rank(match({ score: 85 }))).toBeGreaterThan(rank(match({ score: 12 })))
    // Title and slug with a good score beats all four fields with no score…
    expect(rank(match({ score: 80 }))).toBeGreaterThan(
      rank(match({ fields: { name: 1, description: true, topics: true }, score: 0 }))
    )
    // …but a description-only match does not beat a name match, however good its score.
    expect(rank(match({ score: 0 }))).toBeGreaterThan(
      rank(match({ fields: { name: 0, description: true, topics: false }, score: 100 }))
    )
  })

  it("counts a typo only from pg_trgm's threshold on, below a real match", () => {
    const none = { fields: { name: 0, description: false }, engine: 0 }
    expect(relevance(match({ ...none, similarity: 0.29 }))).toBe(0)
    expect(relevance(match({ ...none, similarity: 0.5 }))).toBeCloseTo(0.3)
    expect(relevance(match({ ...none, similarity: 1 }))).toBeLessThan(relevance(match()))
    expect(relevance(match({ ...none, substring: true }))).toBe(RANKING.substring)
  })

  it("derives grid scores and the reference's grid weight", () => {
    expect(gridScore(90)).toBe(60)
    expect(gridScore(null)).toBe(0)
    expect(gridSearchWeight({ maxPackageWeight: 100, isLocked: false, header: true, packages: 3 })).toBe(66)
    expect(gridSearchWeight({ maxPackageWeight: 90, isLocked: true, header: true, packages: 3 })).toBe(75)
    expect(gridSearchWeight({ maxPackageWeight: null, isLocked: false, header: false, packages: 0 })).toBe(33)
  })
})

describe("Search/Rank.compare", () => {
  const item = (o: Partial<Sortable> & { id: number }): Sortable => ({
    item_type: "package",
    title: `t${o.id}`,
    rank: 1,
    package_score: 0,
    repo_watchers: 0,
    last_committed: null,
    last_released: null,
    ...o
  })
  const items = [
    item({ id: 1, title: "Beta", rank: 0.9, package_score: 40, repo_watchers: 10, last_committed: 300 }),
    item({ id: 2, title: "alpha", rank: 0.5, package_score: 90, repo_watchers: 5, last_released: 100 }),
    item({ id: 3, title: "Gamma", rank: 0.7, package_score: 10, repo_watchers: 99, last_committed: 500 }),
    item({ id: 4, title: "delta", rank: 0.7, package_score: 10, repo_watchers: 99, item_type: "grid" })
  ]
  const ids = (sort: (typeof SORTS)[number]) => [...items].sort(compare(sort)).map((i) => i.id)

  it("orders by each sort, falling back to rank, score, stars, name and id", () => {
    expect(ids("relevance")).toEqual([1, 4, 3, 2])
    expect(ids("score")).toEqual([2, 1, 4, 3])
    expect(ids("stars")).toEqual([4, 3, 1, 2])
    expect(ids("last_commit")).toEqual([3, 1, 4, 2])
    expect(ids("last_release")).toEqual([2, 1, 4, 3])
    expect(ids("name")).toEqual([2, 1, 4, 3])
  })

  it("is a total order: antisymmetric and deterministic for any items", () => {
    const sortable = fc.record({
      item_type: fc.constantFrom("package" as const, "grid" as const),
      id: fc.integer({ min: 1, max: 50 }),
      title: fc.string({ maxLength: 4 }),
      rank: fc.constantFrom(0, 0.5, 1),
      package_score: fc.integer({ min: 0, max: 3 }),
      repo_watchers: fc.integer({ min: 0, max: 3 }),
      last_committed: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
      last_released: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null })
    })
    fc.assert(
      fc.property(fc.constantFrom(...SORTS), sortable, sortable, (sort, a, b) => {
        const cmp = compare(sort)
        expect(Math.sign(cmp(a, b))).toBe(-Math.sign(cmp(b, a)))
        if (cmp(a, b) === 0) expect([a.item_type, a.id]).toEqual([b.item_type, b.id])
      })
    )
  })
})
