import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parseCell } from "../../src/Catalogue/CellMarker.ts"
import { GRID_ORDERS, type GridOrder, gridView } from "../../src/Catalogue/GridView.ts"
import { Element, Feature, Grid } from "../../src/Domain/Grid.ts"
import type { CategoryId, ElementId, FeatureId, GridId, PackageId } from "../../src/Domain/Ids.ts"
import { Package } from "../../src/Domain/Package.ts"
import { Release } from "../../src/Domain/Release.ts"
import type { Slug } from "../../src/Domain/Slug.ts"
import type { Timestamp } from "../../src/Domain/Timestamp.ts"
import { storedScores } from "../../src/Scoring/Stored.ts"
import { at, daysBefore } from "../Scoring/at.ts"

const AS_OF = at("2026-09-01")
const ago = (days: number): Timestamp => daysBefore(AS_OF, days)
const GRID = 7 as GridId

const pkg = (id: number, over: Partial<ConstructorParameters<typeof Package>[0]> = {}) =>
  Package.make({
    id: id as PackageId,
    slug: `package-${id}` as Slug,
    title: `Package ${id}`,
    category: 1 as CategoryId,
    repo_url: `https://github.com/example/package-${id}`,
    repo_host: "github",
    repo_description: "A Django app",
    repo_watchers: 100,
    repo_forks: 10,
    pypi_url: `django-package-${id}`,
    pypi_version: "1.0.0",
    pypi_downloads: 1000,
    pypi_classifiers: ["Framework :: Django :: 5.2"],
    pypi_license: "MIT",
    pypi_licenses: ["MIT"],
    pypi_requires_python: ">=3.10",
    supports_python3: true,
    documentation_url: null,
    participants: [],
    commit_count: 10,
    commits_over_52w: [],
    last_commit_date: ago(30),
    latest_release_date: ago(60),
    open_issues: 3,
    contributors: 4,
    topics: [],
    usage_count: 0,
    favorite_count: 0,
    score: 0,
    date_deprecated: null,
    deprecated_by: null,
    deprecates_package: null,
    date_repo_archived: null,
    last_exception: null,
    last_exception_at: null,
    last_exception_count: 0,
    last_fetched: ago(1),
    created_by: null,
    last_modified_by: null,
    created: at("2020-01-01"),
    modified: at("2026-08-01"),
    revision: 1,
    grids: [GRID],
    ...over
  })

const grid = (
  members: ReadonlyArray<Package>,
  features: ReadonlyArray<string> = [],
  cells: ReadonlyArray<readonly [number, number, string]> = []
) =>
  Grid.make({
    id: GRID,
    slug: "forms" as Slug,
    title: "Forms",
    description: "",
    is_locked: false,
    header: false,
    created: at("2020-01-01"),
    modified: at("2020-01-01"),
    revision: 1,
    packages: members.map((p) => p.id),
    // Listed newest first, so the view must order them itself.
    features: features
      .map((title, i) => Feature.make({ id: (i + 1) as FeatureId, grid: GRID, title, description: "" }))
      .reverse(),
    elements: cells.map(([feature, pkgId, text], i) =>
      Element.make({
        id: (i + 1) as ElementId,
        grid: GRID,
        package: pkgId as PackageId,
        feature: feature as FeatureId,
        text
      })
    )
  })

describe("gridView", () => {
  const active = pkg(1, {
    title: "Crispy",
    repo_watchers: 5000,
    repo_forks: 900,
    contributors: 120,
    pypi_downloads: 900_000
  })
  const small = pkg(2, { title: "bootstrap forms", repo_watchers: 40, repo_forks: 3, contributors: 1 })
  const deprecated = pkg(3, { title: "Old forms", repo_watchers: 9000, date_deprecated: ago(100) })
  const archived = pkg(4, { title: "Archived forms", repo_watchers: 3000, date_repo_archived: ago(10) })
  const abandoned = pkg(5, {
    title: "Abandoned",
    repo_watchers: 7000,
    repo_forks: 800,
    last_commit_date: ago(2000),
    latest_release_date: ago(2200),
    pypi_classifiers: ["Framework :: Django :: 1.11"]
  })
  const members = [small, deprecated, abandoned, archived, active]
  const g = grid(
    members,
    ["Django 5 support", "Bootstrap 5", "Async"],
    [
      [1, 1, "Yes"],
      [1, 2, "no"],
      [2, 1, "+3"],
      [2, 2, "not needed"],
      [3, 1, "node.js only"],
      [3, 5, "- blocking"]
    ]
  )

  it("orders by our score by default and hides deprecated and archived packages", () => {
    const view = gridView(g, members, { asOf: AS_OF })
    expect(view.order).toBe("score")
    expect(view.columns.map((c) => c.package.slug)).toEqual(["package-1", "package-2", "package-5"])
    expect(view.columns.map((c) => c.rank)).toEqual([1, 2, 3])
    expect(view.hidden).toEqual([
      { id: 4, slug: "package-4", reason: "archived" },
      { id: 3, slug: "package-3", reason: "deprecated" }
    ])
    expect(view.total).toBe(5)
    const scores = view.columns.map((c) => c.scores.package_score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    // The abandoned star-rich package sinks below the small current one, unlike the legacy order.
    const abandonedColumn = view.columns.find((c) => c.package.id === abandoned.id)!
    expect(abandonedColumn.report.flags.map((f) => f.key)).toContain("likely_unmaintained")
  })

  it("shows deprecated and archived packages when asked, flagged and scored down", () => {
    const view = gridView(g, members, { asOf: AS_OF, includeDeprecated: true, includeArchived: true })
    expect(view.columns).toHaveLength(5)
    expect(view.hidden).toEqual([])
    const byId = new Map(view.columns.map((c) => [c.package.id as number, c]))
    expect(byId.get(3)).toMatchObject({ deprecated: true, archived: false })
    expect(byId.get(4)).toMatchObject({ deprecated: false, archived: true })
    expect(byId.get(3)!.report.flags.find((f) => f.applied)?.key).toBe("deprecated")
    expect(gridView(g, members, { asOf: AS_OF, includeArchived: true }).columns.map((c) => c.package.id)).toContain(4)
    expect(gridView(g, members, { asOf: AS_OF, includeDeprecated: true }).columns.map((c) => c.package.id)).toContain(3)
  })

  it("orders by the legacy score, by stars and by name", () => {
    const all = { asOf: AS_OF, includeDeprecated: true, includeArchived: true }
    const legacy = gridView(g, members, { ...all, order: "legacy" })
    const legacyScores = legacy.columns.map((c) => c.scores.score)
    expect(legacyScores).toEqual([...legacyScores].sort((a, b) => b - a))
    expect(gridView(g, members, { ...all, order: "stars" }).columns.map((c) => c.package.repo_watchers)).toEqual([
      9000, 7000, 5000, 3000, 40
    ])
    expect(gridView(g, members, { ...all, order: "name" }).columns.map((c) => c.package.title)).toEqual([
      "Abandoned",
      "Archived forms",
      "bootstrap forms",
      "Crispy",
      "Old forms"
    ])
  })

  it("gives every column one parsed cell per feature, features by id, missing cells as none", () => {
    const view = gridView(g, members, { asOf: AS_OF })
    expect(view.features.map((f) => f.title)).toEqual(["Django 5 support", "Bootstrap 5", "Async"])
    const cells = (id: number) => view.columns.find((c) => c.package.id === id)!.cells
    expect(cells(1).map((c) => [c.feature, c.marker, c.level, c.text])).toEqual([
      [1, "good", 1, ""],
      [2, "good", 3, ""],
      [3, "neutral", 0, "node.js only"]
    ])
    expect(cells(2).map((c) => [c.marker, c.text, c.raw])).toEqual([
      ["bad", "", "no"],
      ["neutral", "not needed", "not needed"],
      ["none", "", ""]
    ])
    expect(cells(2)[2]!.element).toBeNull()
    expect(cells(5).map((c) => c.marker)).toEqual(["none", "none", "bad"])
  })

  it("computes the scores the store keeps (storedScores), with the releases and advisories given", () => {
    const releases = [
      Release.make({
        package: 2 as PackageId,
        number: "1.0.0",
        upload_time: ago(60),
        licenses: ["MIT"],
        development_status: 5,
        requires_python: ">=3.10",
        yanked: false
      })
    ]
    const vulnerabilities = [{ id: "GHSA-1234", fixed_in: ["1.0.1"] }]
    const view = gridView(g, [active, { package: small, releases, vulnerabilities }], { asOf: AS_OF })
    const column = view.columns.find((c) => c.package.id === small.id)!
    expect(column.scores).toEqual(storedScores(small, AS_OF, releases, vulnerabilities))
    expect(column.report.flags.map((f) => f.key)).toContain("vulnerable")
    expect(view.columns.find((c) => c.package.id === active.id)!.scores).toEqual(storedScores(active, AS_OF))
  })

  it("ignores packages that are not members, and a member given twice", () => {
    const stranger = pkg(99, { grids: [] })
    const view = gridView(grid([active, small]), [active, stranger, small, active], { asOf: AS_OF })
    expect(view.columns.map((c) => c.package.id)).toEqual([1, 2])
    expect(view.total).toBe(2)
  })
})

describe("gridView: properties", () => {
  const member = (id: number) =>
    fc
      .record({
        stars: fc.integer({ min: 0, max: 50_000 }),
        forks: fc.integer({ min: 0, max: 5000 }),
        commitDays: fc.option(fc.integer({ min: 0, max: 4000 }), { nil: null }),
        releaseDays: fc.option(fc.integer({ min: 0, max: 4000 }), { nil: null }),
        deprecated: fc.boolean(),
        archived: fc.boolean(),
        title: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,12}$/)
      })
      .map((r) =>
        pkg(id, {
          title: r.title,
          repo_watchers: r.stars,
          repo_forks: r.forks,
          last_commit_date: r.commitDays === null ? null : ago(r.commitDays),
          latest_release_date: r.releaseDays === null ? null : ago(r.releaseDays),
          date_deprecated: r.deprecated ? ago(5) : null,
          date_repo_archived: r.archived ? ago(5) : null
        })
      )
  const members = fc
    .integer({ min: 0, max: 12 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => member(i + 1))))
    .map((ps): ReadonlyArray<Package> => ps)
  const texts = fc.array(fc.oneof(fc.constantFrom("yes", "no", "+2", "none", "node", "- slow", ""), fc.string()), {
    maxLength: 40
  })
  const order = fc.constantFrom<GridOrder>(...GRID_ORDERS)
  const flags = fc.record({ includeDeprecated: fc.boolean(), includeArchived: fc.boolean() })

  const build = (ps: ReadonlyArray<Package>, cellTexts: ReadonlyArray<string>) => {
    const cells = cellTexts.flatMap((text, i): Array<readonly [number, number, string]> => {
      const p = ps[i % Math.max(1, ps.length)]
      return p === undefined ? [] : [[(i % 3) + 1, p.id, text]]
    })
    const unique = new Map(cells.map((c) => [`${c[0]}/${c[1]}`, c]))
    return grid(ps, ["a", "b", "c"], [...unique.values()])
  }

  it("is a filtered permutation of the members, in a non-increasing order of the chosen key", () => {
    fc.assert(
      fc.property(members, texts, order, flags, fc.infiniteStream(fc.nat()), (ps, cellTexts, o, f, seeds) => {
        const g = build(ps, cellTexts)
        const view = gridView(g, ps, { asOf: AS_OF, order: o, ...f })
        const visible = ps.filter(
          (p) =>
            (f.includeDeprecated || p.date_deprecated === null) && (f.includeArchived || p.date_repo_archived === null)
        )
        expect(new Set(view.columns.map((c) => c.package.id))).toEqual(new Set(visible.map((p) => p.id)))
        expect(view.columns.length + view.hidden.length).toBe(ps.length)
        for (const c of view.columns) {
          if (!f.includeDeprecated) expect(c.deprecated).toBe(false)
          if (!f.includeArchived) expect(c.archived).toBe(false)
        }
        const key = (c: (typeof view.columns)[number]) =>
          o === "score"
            ? c.scores.package_score
            : o === "legacy"
              ? c.scores.score
              : o === "stars"
                ? c.package.repo_watchers
                : 0
        for (let i = 1; i < view.columns.length; i++) {
          const [a, b] = [view.columns[i - 1]!, view.columns[i]!]
          if (o === "name") expect(a.package.title.toLowerCase() <= b.package.title.toLowerCase()).toBe(true)
          else expect(key(a)).toBeGreaterThanOrEqual(key(b))
        }
        // The input order does not matter.
        const shuffled = [...ps].sort(() => (seeds.next().value % 3) - 1)
        expect(gridView(g, shuffled, { asOf: AS_OF, order: o, ...f }).columns.map((c) => c.package.id)).toEqual(
          view.columns.map((c) => c.package.id)
        )
      }),
      { numRuns: 80 }
    )
  })

  it("filtering only removes columns: the filtered order is the full order without the hidden ones", () => {
    fc.assert(
      fc.property(members, order, flags, (ps, o, f) => {
        const g = build(ps, [])
        const full = gridView(g, ps, { asOf: AS_OF, order: o, includeDeprecated: true, includeArchived: true })
        const filtered = gridView(g, ps, { asOf: AS_OF, order: o, ...f })
        const hidden = new Set(filtered.hidden.map((h) => h.id as number))
        expect(filtered.columns.map((c) => c.package.id)).toEqual(
          full.columns.map((c) => c.package.id).filter((id) => !hidden.has(id))
        )
      }),
      { numRuns: 80 }
    )
  })

  it("each cell is parseCell of its stored text, one per feature in feature order", () => {
    fc.assert(
      fc.property(members, texts, (ps, cellTexts) => {
        const g = build(ps, cellTexts)
        const view = gridView(g, ps, { asOf: AS_OF, includeDeprecated: true, includeArchived: true })
        const stored = new Map(g.elements.map((e) => [`${e.feature}/${e.package}`, e.text]))
        for (const c of view.columns) {
          expect(c.cells.map((x) => x.feature)).toEqual([1, 2, 3])
          for (const cell of c.cells) {
            const text = stored.get(`${cell.feature}/${c.package.id}`)
            expect(cell.raw).toBe(text ?? "")
            expect({ marker: cell.marker, level: cell.level, text: cell.text }).toEqual(parseCell(text ?? ""))
          }
        }
      }),
      { numRuns: 80 }
    )
  })
})
