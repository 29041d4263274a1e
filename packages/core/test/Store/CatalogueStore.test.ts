import { SqlClient } from "@effect/sql"
import { Effect, Either, Layer } from "effect"
import { readFileSync } from "node:fs"
import { beforeAll, describe, expect, it } from "vitest"
import { validateCatalogue } from "../../src/Catalogue/CatalogueFile.ts"
import { CatalogueInvalid } from "../../src/Domain/Errors.ts"
import { formatTimestamp, parseTimestamp } from "../../src/Domain/Timestamp.ts"
import { CatalogueStore } from "../../src/Store/CatalogueStore.ts"
import { Grids } from "../../src/Store/Grids.ts"
import { Packages } from "../../src/Store/Packages.ts"
import { engines } from "../../src/Store/TestDatabase.ts"
import { expectFailure, useRuntime } from "./useRuntime.ts"

type Json = Record<string, any>

const DEMO_PATH = new URL("../../../../data/demo/catalogue.json", import.meta.url)
const demoText = readFileSync(DEMO_PATH, "utf8")
/** A fresh, mutable copy of the demo catalogue. */
const demo = (): Json => JSON.parse(demoText)
const SNAPSHOT = "2026-02-16"

const TABLES = ["categories", "packages", "grids", "grid_packages", "features", "elements", "releases"] as const
const counts = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  Effect.all(
    Object.fromEntries(
      TABLES.map((t) => [t, Effect.map(sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql(t)}`, ([r]) => Number(r!.n))])
    ) as Record<(typeof TABLES)[number], Effect.Effect<number, unknown>>
  )
)

/**
 * Deep equality of two exports: a string comparison first (a deep `toEqual` of 4,000 packages takes
 * seconds), then, when they differ, `toEqual` on the first differing record for a readable diff.
 */
const expectSameCatalogue = (actual: Json, expected: Json) => {
  if (JSON.stringify(actual) === JSON.stringify(expected)) return
  const { categories: _c, packages: _p, grids: _g, ...envelope } = actual
  const { categories: _ce, packages: _pe, grids: _ge, ...expectedEnvelope } = expected
  expect(envelope).toEqual(expectedEnvelope)
  for (const section of ["categories", "packages", "grids"] as const) {
    const [a, e] = [actual[section] as Array<Json>, expected[section] as Array<Json>]
    expect(
      a.map((r) => r.id),
      `${section} ids`
    ).toEqual(e.map((r) => r.id))
    const i = a.findIndex((r, j) => JSON.stringify(r) !== JSON.stringify(e[j]))
    if (i >= 0) expect(a[i], `${section}[${i}]`).toEqual(e[i])
  }
}

const exported = Effect.flatMap(CatalogueStore, (s) => s.exportCatalogue(SNAPSHOT))
const importing = (catalogue: unknown) => Effect.flatMap(CatalogueStore, (s) => s.importCatalogue(catalogue))

for (const engine of engines()) {
  describe(`Store.CatalogueStore on ${engine.name}`, () => {
    const services = Layer.mergeAll(CatalogueStore.Default, Packages.Default, Grids.Default)
    const db = useRuntime(services.pipe(Layer.provideMerge(engine.layer)))
    let first: Json
    let summary: Json

    beforeAll(async () => {
      expect(await db.run(Effect.flatMap(CatalogueStore, (s) => s.isEmpty))).toBe(true)
      summary = await db.run(importing(demo()))
      first = await db.run(exported)
    })

    it("imports the demo catalogue: 4231 packages, 4 categories, 347 grids", async () => {
      const d = demo()
      const memberships = new Set<string>()
      for (const p of d.packages) for (const g of p.grids) memberships.add(`${g}/${p.id}`)
      for (const g of d.grids) for (const p of g.packages) memberships.add(`${g.id}/${p}`)
      expect(summary).toEqual({ categories: 4, packages: 4231, grids: 347, memberships: memberships.size, releases: 0 })
      expect(await db.run(counts)).toEqual({
        categories: 4,
        packages: 4231,
        grids: 347,
        grid_packages: memberships.size,
        features: 0,
        elements: 0,
        releases: 0
      })
      expect(await db.run(Effect.flatMap(CatalogueStore, (s) => s.isEmpty))).toBe(false)
      expect(first.packages).toHaveLength(4231)
      expect(first.packages.map((p: Json) => p.id)).toEqual(
        d.packages.map((p: Json) => p.id).sort((a: number, b: number) => a - b)
      )
    })

    it("keeps dj-stripe (2012): its grids in joining order and its microsecond timestamps", async () => {
      const pkg = await db.run(Effect.flatMap(Packages, (p) => p.get({ slug: "dj-stripe" })))
      expect(pkg).toMatchObject({
        id: 2012,
        title: "dj-stripe",
        category: 1,
        repo_host: "github",
        repo_watchers: 1778,
        repo_forks: 513,
        usage_count: 27
      })
      expect(pkg.grids).toEqual([216, 5])
      expect(pkg.created).toBe(Either.getOrThrow(parseTimestamp("2013-09-01T13:55:38.132750-04:00")))
      expect(pkg.created % 1_000_000).toBe(132_750)
      expect(formatTimestamp(pkg.created, "America/New_York")).toBe("2013-09-01T13:55:38.132750-04:00")
      expect(formatTimestamp(pkg.modified, "America/New_York")).toBe("2026-01-28T14:02:42.047580-05:00")
      expect(formatTimestamp(pkg.last_fetched!, "America/New_York")).toBe("2026-02-15T17:06:05.465218-05:00")
      expect(formatTimestamp(pkg.last_commit_date!, "America/New_York")).toBe("2026-01-05T15:45:59-05:00")

      const record = first.packages.find((p: Json) => p.id === 2012)
      expect(record).toMatchObject({
        slug: "dj-stripe",
        grids: [216, 5],
        created: "2013-09-01T17:55:38.132750Z",
        modified: "2026-01-28T19:02:42.047580Z",
        last_fetched: "2026-02-15T22:06:05.465218Z",
        last_commit_date: "2026-01-05T20:45:59Z"
      })
      const stripeGrid = await db.run(Effect.flatMap(Grids, (g) => g.get({ id: 216 })))
      expect(stripeGrid.packages).toContain(2012)
    })

    it("exports what validates as a catalogue, and imports into a fresh database to the same export", async () => {
      const file = JSON.parse(JSON.stringify(first))
      expect(Either.isRight(validateCatalogue(file))).toBe(true)
      const again = await Effect.runPromise(
        Effect.zipRight(importing(file), exported).pipe(Effect.provide(services.pipe(Layer.provideMerge(engine.layer))))
      )
      expectSameCatalogue(again, first)
    })

    it("is idempotent: importing the demo again changes nothing but the revisions", async () => {
      const before = await db.run(counts)
      const revision = (await db.run(Effect.flatMap(Packages, (p) => p.get({ id: 2012 })))).revision
      await db.run(importing(demo()))
      expect(await db.run(counts)).toEqual(before)
      expectSameCatalogue(await db.run(exported), first)
      expect((await db.run(Effect.flatMap(Packages, (p) => p.get({ id: 2012 })))).revision).toBe(revision + 1)
    })

    describe("refuses a corrupted catalogue, naming the record, field and reason, and writes nothing", () => {
      /**
       * A small catalogue that would change the database if any of it were written (a renamed package,
       * a new one), plus `bad`, the record under test, at index 2.
       */
      const corrupted = (bad: (d: Json) => Json): Json => {
        const d = demo()
        const stripe = {
          ...d.packages.find((p: Json) => p.id === 2012),
          title: "dj-stripe (renamed)",
          repo_watchers: 1
        }
        const fresh = {
          ...stripe,
          id: 990_001,
          slug: "fresh-package",
          repo_url: "https://github.com/packgrid-test/fresh",
          grids: [5]
        }
        return { ...d, packages: [stripe, fresh, bad(d)], grids: [], categories: [] }
      }
      const badPackage = (d: Json, changes: Json): Json => ({
        ...d.packages.find((p: Json) => p.id === 2012),
        id: 990_002,
        slug: "bad-package",
        repo_url: "https://github.com/packgrid-test/bad",
        ...changes
      })

      const refused = async (catalogue: Json) => {
        const before = await db.run(counts)
        const error = await db.run(expectFailure(importing(catalogue)))
        expect(error).toBeInstanceOf(CatalogueInvalid)
        expect(await db.run(counts)).toEqual(before)
        expectSameCatalogue(await db.run(exported), first)
        expect((await db.run(Effect.flatMap(Packages, (p) => p.get({ id: 2012 })))).title).toBe("dj-stripe")
        return (error as CatalogueInvalid).problems
      }

      it("(a) a value of the wrong type", async () => {
        const problems = await refused(corrupted((d) => badPackage(d, { repo_watchers: "many" })))
        expect(problems).toEqual([
          {
            record: `packages[2] (slug "bad-package")`,
            field: "repo_watchers",
            reason: `Expected number, actual "many"`
          }
        ])
      })

      it("(b) a slug twice in the file", async () => {
        const problems = await refused(corrupted((d) => badPackage(d, { slug: "fresh-package" })))
        expect(problems).toEqual([
          {
            record: `packages[2] (slug "fresh-package")`,
            field: "slug",
            reason: `duplicate slug "fresh-package" (also packages[1])`
          }
        ])
      })

      it("(c) an unknown category", async () => {
        const problems = await refused(corrupted((d) => badPackage(d, { category: 99 })))
        expect(problems).toEqual([
          { record: `packages[2] (slug "bad-package")`, field: "category", reason: "unknown category 99" }
        ])
      })

      it("(d) a slug that belongs to another id in the database", async () => {
        const owner = { id: 906, slug: "django-debug-toolbar" }
        expect(first.packages.find((p: Json) => p.slug === owner.slug)?.id).toBe(owner.id)
        const problems = await refused(corrupted((d) => badPackage(d, { slug: owner.slug })))
        expect(problems).toEqual([
          {
            record: `packages[2] (slug "${owner.slug}")`,
            field: "slug",
            reason: `slug "${owner.slug}" already belongs to package ${owner.id} in the database`
          }
        ])
      })

      it("(d') a category slug that belongs to another id in the database", async () => {
        const problems = await refused({
          ...corrupted((d) => badPackage(d, {})),
          categories: [{ id: 77, slug: "apps", title: "Apps again" }]
        })
        expect(problems).toEqual([
          {
            record: `categories[0] (slug "apps")`,
            field: "slug",
            reason: `slug "apps" already belongs to category 1 in the database`
          }
        ])
      })

      it("(e) a repository URL that names no repository", async () => {
        const problems = await refused(
          corrupted((d) => badPackage(d, { repo_url: "https://github.com/only-an-owner" }))
        )
        expect(problems).toEqual([
          {
            record: `packages[2] (slug "bad-package")`,
            field: "repo_url",
            reason: `"https://github.com/only-an-owner" does not name a repository: expected https://host/owner/repo.`
          }
        ])
      })

      it("a file that is not a catalogue at all", async () => {
        const problems = await refused({ format: "something-else/2", packages: [] })
        expect(problems.map((p) => p.field).sort()).toEqual(["categories", "format", "grids"])
        expect(problems.every((p) => p.record === "catalogue")).toBe(true)
      })

      // Last: it changes the database the tests above compare against.
      it("control: the same catalogue without a fault imports and changes the database", async () => {
        const before = await db.run(counts)
        const summary = await db.run(importing(corrupted((d) => badPackage(d, {}))))
        expect(summary).toMatchObject({ categories: 0, packages: 3, grids: 0 })
        expect((await db.run(counts)).packages).toBe(before.packages + 2)
        expect((await db.run(Effect.flatMap(Packages, (p) => p.get({ id: 2012 })))).title).toBe("dj-stripe (renamed)")
        expect((await db.run(Effect.flatMap(Packages, (p) => p.get({ slug: "fresh-package" })))).grids).toEqual([5])
      })
    })
  })
}
