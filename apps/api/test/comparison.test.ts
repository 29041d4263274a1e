/** packgrid's own v4 reads: a package's scores explained, and a grid as a comparison table. */
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parseCell } from "@packgrid/core/Catalogue/CellMarker"
import { fromMillis } from "@packgrid/core/Domain/Timestamp"
import { Grids } from "@packgrid/core/Store/Grids"
import { Packages } from "@packgrid/core/Store/Packages"
import { engines } from "@packgrid/core/Store/TestDatabase"
import { parseComparisonQuery } from "../src/v4/comparison.ts"
import { call } from "./clients.ts"
import { startServer, type TestServer } from "./support.ts"

type Json = Record<string, any>

describe("the comparison's query", () => {
  it("defaults to order=score with both kinds hidden, and reads DRF's booleans", () => {
    expect(parseComparisonQuery({})).toEqual({ order: "score", includeDeprecated: false, includeArchived: false })
    expect(parseComparisonQuery({ order: "stars", include_deprecated: "1", include_archived: "True" })).toEqual({
      order: "stars",
      includeDeprecated: true,
      includeArchived: true
    })
    // The last of repeated values, as Django's QueryDict.get.
    expect(parseComparisonQuery({ order: ["name", "legacy"], include_archived: ["1", "0"] })).toMatchObject({
      order: "legacy",
      includeArchived: false
    })
  })

  it("answers bad values with each field's message", () => {
    expect(parseComparisonQuery({ order: "random", include_deprecated: "maybe" })).toEqual({
      errors: {
        include_deprecated: ["Must be a valid boolean."],
        order: ['"random" is not a valid choice: use score, legacy, stars, name.']
      }
    })
  })
})

for (const engine of engines()) {
  describe(`GET /api/v4/…/score/ and /comparison/ on ${engine.name}`, () => {
    let server: TestServer
    const get = (path: string) => call(server, "GET", path)
    const store = <A>(effect: Effect.Effect<A, unknown, Packages | Grids>) => server.runtime.runPromise(effect)

    beforeAll(async () => {
      server = await startServer(engine)
    })
    afterAll(() => server.close())

    it("explains a package's scores by slug or id, with the stored ones and their history", async () => {
      const bySlug = await get("/api/v4/packages/dj-stripe/score/")
      expect(bySlug.status).toBe(200)
      expect(bySlug.headers.get("allow")).toBe("GET, HEAD, OPTIONS")
      const body = bySlug.body as Json
      expect(body.package).toEqual({
        id: 2012,
        slug: "dj-stripe",
        title: "dj-stripe",
        url: `${server.url}/api/v4/packages/2012/`
      })
      expect(body.package_score.score_version).toBe("dps-1")
      expect(body.package_score.pillars.map((p: Json) => p.key)).toEqual([
        "maintenance",
        "compatibility",
        "adoption",
        "hygiene",
        "community"
      ])
      expect(body.scores).toEqual({
        score: body.legacy.score,
        search_weight: body.search_weight.total_score,
        package_score: body.package_score.score
      })
      // Seeding scored the catalogue: the stored scores are today's, with one history day.
      expect(body.stored).toEqual(body.scores)
      expect(body.history).toEqual([{ day: body.as_of.slice(0, 10), ...body.scores, score_version: "dps-1" }])
      expect(body.legacy.stars).toBe(1778)
      expect(body.search_weight.breakdown).toHaveLength(8)

      const byId = await get("/api/v4/packages/2012/score/")
      expect({ ...(byId.body as Json), as_of: "" }).toEqual({
        ...body,
        as_of: "",
        package_score: { ...body.package_score, as_of: (byId.body as Json).package_score.as_of }
      })
      expect((await get("/api/v4/packages/no-such-package/score/")).status).toBe(404)
      expect((await call(server, "POST", "/api/v4/packages/2012/score/", { json: {} })).status).toBe(405)
      const page = await call(server, "GET", "/api/v4/packages/2012/score/?format=api")
      expect(page.status).toBe(200)
      expect(page.headers.get("content-type")).toContain("text/html")
      expect(page.text).toContain("Package Score")
    })

    it("orders a grid's packages by score, hiding deprecated and archived ones unless asked", async () => {
      const answer = await get("/api/v4/grids/payment-processing/comparison/")
      expect(answer.status).toBe(200)
      const body = answer.body as Json
      expect(body.grid).toMatchObject({ id: 5, slug: "payment-processing", url: `${server.url}/api/v4/grids/5/` })
      expect(body).toMatchObject({ order: "score", include_deprecated: false, include_archived: false, hidden: [] })
      const scores = (body.packages as Array<Json>).map((p) => p.scores.package_score)
      expect(scores).toEqual([...scores].sort((a, b) => b - a))
      expect(body.packages.map((p: Json) => p.rank)).toEqual(scores.map((_, i) => i + 1))
      expect(body.total).toBe(body.packages.length)
      const ids = (body.packages as Array<Json>).map((p) => p.id as number)
      expect(ids).toContain(2012)

      // The first two go: one deprecated, one archived.
      const [first, second] = ids as [number, number]
      const at = fromMillis(Date.now())
      await store(Effect.flatMap(Packages, (p) => p.update({ id: first }, { date_deprecated: at })))
      await store(Effect.flatMap(Packages, (p) => p.update({ id: second }, { date_repo_archived: at })))
      try {
        const filtered = (await get("/api/v4/grids/5/comparison/")).body as Json
        expect(filtered.packages.map((p: Json) => p.id)).toEqual(ids.slice(2))
        expect(filtered.hidden).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ id: first, reason: "deprecated" }),
            expect.objectContaining({ id: second, reason: "archived" })
          ])
        )
        const all = (await get("/api/v4/grids/5/comparison/?include_deprecated=1&include_archived=true")).body as Json
        expect(all.packages).toHaveLength(ids.length)
        const deprecated = all.packages.find((p: Json) => p.id === first)
        expect(deprecated).toMatchObject({ deprecated: true, archived: false })
        expect(deprecated.flags.find((f: Json) => f.applied).key).toBe("deprecated")
        expect(all.packages.find((p: Json) => p.id === second)).toMatchObject({ archived: true })
        const onlyArchived = (await get("/api/v4/grids/5/comparison/?include_archived=1")).body as Json
        expect(onlyArchived.packages.map((p: Json) => p.id)).toContain(second)
        expect(onlyArchived.packages.map((p: Json) => p.id)).not.toContain(first)
      } finally {
        await store(Effect.flatMap(Packages, (p) => p.update({ id: first }, { date_deprecated: null })))
        await store(Effect.flatMap(Packages, (p) => p.update({ id: second }, { date_repo_archived: null })))
      }
    })

    it("orders by the legacy score, stars or name when asked", async () => {
      const packages = async (order: string) =>
        ((await get(`/api/v4/grids/5/comparison/?order=${order}`)).body as Json).packages as Array<Json>
      const legacy = (await packages("legacy")).map((p) => p.scores.score)
      expect(legacy).toEqual([...legacy].sort((a, b) => b - a))
      const stars = (await packages("stars")).map((p) => p.repo_watchers)
      expect(stars).toEqual([...stars].sort((a, b) => b - a))
      const titles = (await packages("name")).map((p) => (p.title as string).toLowerCase())
      expect(titles).toEqual([...titles].sort())
      const bad = await get("/api/v4/grids/5/comparison/?order=downloads&include_deprecated=perhaps")
      expect(bad.status).toBe(400)
      expect(Object.keys(bad.body as Json).sort()).toEqual(["include_deprecated", "order"])
      expect((await get("/api/v4/grids/no-such-grid/comparison/")).status).toBe(404)
    })

    it("gives every package one parsed cell per feature, without the reference's 'no…' crosses", async () => {
      const grid = await store(Effect.flatMap(Grids, (g) => g.get({ id: 5 })))
      const members = grid.packages.slice(0, 3)
      await store(Effect.flatMap(Grids, (g) => g.addFeature({ id: 5 }, { title: "Webhooks" })))
      await store(Effect.flatMap(Grids, (g) => g.addFeature({ id: 5 }, { title: "Connect" })))
      const features = (await store(Effect.flatMap(Grids, (g) => g.get({ id: 5 })))).features.slice(-2)
      const texts: Array<readonly [number, number, string]> = [
        [features[0]!.id, members[0]!, "Yes, signed"],
        [features[0]!.id, members[1]!, "node.js only"],
        [features[1]!.id, members[0]!, "no"],
        [features[1]!.id, members[2]!, "+++"]
      ]
      for (const [feature, pkg, text] of texts)
        await store(Effect.flatMap(Grids, (g) => g.setElement({ id: 5 }, { package: pkg, feature, text })))

      const body = (await get("/api/v4/grids/5/comparison/")).body as Json
      expect(body.features.slice(-2).map((f: Json) => f.title)).toEqual(["Webhooks", "Connect"])
      for (const p of body.packages as Array<Json>) {
        expect(p.cells.map((c: Json) => c.feature)).toEqual(body.features.map((f: Json) => f.id))
        for (const c of p.cells as Array<Json>) {
          const stored = texts.find(([f, id]) => f === c.feature && id === p.id)?.[2] ?? ""
          expect(c).toEqual({ feature: c.feature, raw: stored, ...parseCell(stored) })
        }
      }
      const cell = (pkg: number, feature: number) =>
        (body.packages as Array<Json>).find((p) => p.id === pkg)!.cells.find((c: Json) => c.feature === feature)
      expect(cell(members[0]!, features[0]!.id)).toMatchObject({ marker: "good", level: 1, text: "signed" })
      expect(cell(members[1]!, features[0]!.id)).toMatchObject({ marker: "neutral", text: "node.js only" })
      expect(cell(members[0]!, features[1]!.id)).toMatchObject({ marker: "bad", level: 1, text: "" })
      expect(cell(members[2]!, features[1]!.id)).toMatchObject({ marker: "good", level: 3 })
      expect(cell(members[1]!, features[1]!.id)).toMatchObject({ marker: "none", raw: "" })
    })
  })
}
