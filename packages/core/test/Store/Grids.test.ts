import { Effect, Layer } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { Conflict, NotFound, PreconditionFailed } from "../../src/Domain/Errors.ts"
import type { Grid } from "../../src/Domain/Grid.ts"
import type { PackageId } from "../../src/Domain/Ids.ts"
import { Slug } from "../../src/Domain/Slug.ts"
import { Categories } from "../../src/Store/Categories.ts"
import { Grids } from "../../src/Store/Grids.ts"
import { Packages } from "../../src/Store/Packages.ts"
import { engines } from "../../src/Store/TestDatabase.ts"
import { useRuntime } from "./useRuntime.ts"

for (const engine of engines()) {
  describe(`Store.Grids on ${engine.name}`, () => {
    const db = useRuntime(
      Layer.mergeAll(Grids.Default, Packages.Default, Categories.Default).pipe(Layer.provideMerge(engine.layer))
    )
    const grids = Effect.flatMap(Grids, Effect.succeed)
    const ids: Array<PackageId> = []

    beforeAll(async () => {
      const category = await db.run(
        Effect.flatMap(Categories, (c) => c.create({ slug: Slug.make("apps"), title: "App" }))
      )
      for (const name of ["zeta", "alpha", "mid"]) {
        const pkg = await db.run(
          Effect.flatMap(Packages, (p) =>
            p.create({
              slug: Slug.make(name),
              title: name,
              category: category.id,
              repo_url: `https://github.com/o/${name}`
            })
          )
        )
        ids.push(pkg.id)
      }
    })

    let sequence = 0
    const newGrid = () => {
      sequence += 1
      return db.run(
        Effect.flatMap(grids, (g) => g.create({ slug: Slug.make(`grid-${sequence}`), title: `Grid ${sequence}` }))
      )
    }
    const get = (grid: Grid) => db.run(Effect.flatMap(grids, (g) => g.get({ id: grid.id })))
    const member = (i: number) => () => ids[i]!
    const [zeta, alpha, mid] = [member(0), member(1), member(2)]

    it("creates a grid and reads it by id and slug; a taken slug is a Conflict", async () => {
      const grid = await db.run(
        Effect.flatMap(grids, (g) =>
          g.create({ slug: Slug.make("payments"), title: "Payments", description: "Take money." })
        )
      )
      expect(grid).toMatchObject({
        slug: "payments",
        title: "Payments",
        description: "Take money.",
        is_locked: false,
        revision: 1,
        packages: [],
        features: [],
        elements: []
      })
      expect(await db.run(Effect.flatMap(grids, (g) => g.get({ slug: "payments" })))).toEqual(grid)
      const clash = await db.failure(
        Effect.flatMap(grids, (g) => g.create({ slug: Slug.make("payments"), title: "Again" }))
      )
      expect(clash).toBeInstanceOf(Conflict)
      expect(clash).toMatchObject({ entity: "Grid", field: "slug" })
    })

    it("adds members in joining order, idempotently, and removes them", async () => {
      const grid = await newGrid()
      await db.run(Effect.flatMap(grids, (g) => g.addPackage({ id: grid.id }, zeta())))
      await db.run(Effect.flatMap(grids, (g) => g.addPackage({ id: grid.id }, alpha())))
      const again = await db.run(Effect.flatMap(grids, (g) => g.addPackage({ id: grid.id }, zeta())))
      expect(again.packages).toEqual([zeta(), alpha()])
      expect((await db.run(Effect.flatMap(Packages, (p) => p.get({ id: zeta() })))).grids).toContain(grid.id)
      expect((await db.run(Effect.flatMap(Packages, (p) => p.idsInGrids([grid.id])))).get(grid.id)).toEqual([
        alpha(),
        zeta()
      ])

      const missing = await db.failure(Effect.flatMap(grids, (g) => g.addPackage({ id: grid.id }, 987_654)))
      expect(missing).toMatchObject({ _tag: "NotFound", entity: "Package", key: 987_654 })

      const removed = await db.run(Effect.flatMap(grids, (g) => g.removePackage({ id: grid.id }, zeta())))
      expect(removed.packages).toEqual([alpha()])
      const notMember = await db.failure(Effect.flatMap(grids, (g) => g.removePackage({ id: grid.id }, zeta())))
      expect(notMember).toBeInstanceOf(NotFound)
      expect((await get(grid)).packages).toEqual([alpha()])
    })

    it("adds, updates and removes features", async () => {
      const grid = await newGrid()
      const withOne = await db.run(Effect.flatMap(grids, (g) => g.addFeature({ id: grid.id }, { title: "Webhooks" })))
      const withTwo = await db.run(
        Effect.flatMap(grids, (g) => g.addFeature({ id: grid.id }, { title: "Refunds", description: "Partial too" }))
      )
      expect(withOne.features.map((f) => f.title)).toEqual(["Webhooks"])
      expect(withTwo.features.map((f) => [f.title, f.description])).toEqual([
        ["Webhooks", ""],
        ["Refunds", "Partial too"]
      ])
      const [webhooks, refunds] = withTwo.features
      const updated = await db.run(
        Effect.flatMap(grids, (g) => g.updateFeature({ id: grid.id }, webhooks!.id, { description: "Signed" }))
      )
      expect(updated.features.find((f) => f.id === webhooks!.id)).toMatchObject({
        title: "Webhooks",
        description: "Signed"
      })
      const removed = await db.run(Effect.flatMap(grids, (g) => g.removeFeature({ id: grid.id }, refunds!.id)))
      expect(removed.features.map((f) => f.id)).toEqual([webhooks!.id])
      const gone = await db.failure(
        Effect.flatMap(grids, (g) => g.updateFeature({ id: grid.id }, refunds!.id, { title: "x" }))
      )
      expect(gone).toMatchObject({ _tag: "NotFound", entity: "Feature", key: refunds!.id })
      const blank = await db.failure(Effect.flatMap(grids, (g) => g.addFeature({ id: grid.id }, { title: "" })))
      expect(blank).toMatchObject({ _tag: "Invalid", issues: [{ path: "title" }] })
    })

    it("sets one cell per package and feature, refuses a cell for a non-member, and drops cells with the member", async () => {
      const grid = await newGrid()
      await db.run(Effect.flatMap(grids, (g) => g.addPackage({ id: grid.id }, mid())))
      const withFeature = await db.run(
        Effect.flatMap(grids, (g) => g.addFeature({ id: grid.id }, { title: "Python 3" }))
      )
      const feature = withFeature.features[0]!.id

      await db.run(
        Effect.flatMap(grids, (g) => g.setElement({ id: grid.id }, { package: mid(), feature, text: "yes" }))
      )
      const upserted = await db.run(
        Effect.flatMap(grids, (g) => g.setElement({ id: grid.id }, { package: mid(), feature, text: "yes, 3.8+" }))
      )
      expect(upserted.elements.map((e) => [e.package, e.feature, e.text])).toEqual([[mid(), feature, "yes, 3.8+"]])

      const outsider = await db.failure(
        Effect.flatMap(grids, (g) => g.setElement({ id: grid.id }, { package: alpha(), feature, text: "no" }))
      )
      expect(outsider).toMatchObject({ _tag: "NotFound", entity: "Package", key: alpha() })
      const otherFeature = await db.failure(
        Effect.flatMap(grids, (g) => g.setElement({ id: grid.id }, { package: mid(), feature: 987_654, text: "no" }))
      )
      expect(otherFeature).toMatchObject({ _tag: "NotFound", entity: "Feature" })
      expect((await get(grid)).elements).toHaveLength(1)

      await db.run(Effect.flatMap(grids, (g) => g.removePackage({ id: grid.id }, mid())))
      expect((await get(grid)).elements).toEqual([])
    })

    it("bumps the revision on every change and refuses a stale ifRevision, changing nothing", async () => {
      const grid = await newGrid()
      const one = await db.run(Effect.flatMap(grids, (g) => g.update({ id: grid.id }, { title: "Renamed" }, 1)))
      expect(one).toMatchObject({ title: "Renamed", revision: 2 })
      const two = await db.run(Effect.flatMap(grids, (g) => g.addPackage({ id: grid.id }, alpha(), 2)))
      expect(two.revision).toBe(3)
      const stale = await db.failure(Effect.flatMap(grids, (g) => g.update({ id: grid.id }, { title: "Lost" }, 2)))
      expect(stale).toBeInstanceOf(PreconditionFailed)
      const staleMember = await db.failure(Effect.flatMap(grids, (g) => g.addPackage({ id: grid.id }, zeta(), 1)))
      expect(staleMember).toMatchObject({ _tag: "PreconditionFailed", entity: "Grid", key: grid.id })
      expect(await get(grid)).toEqual(two)
    })

    it("deletes a grid with its members, features and cells, keeping the packages", async () => {
      const grid = await newGrid()
      await db.run(Effect.flatMap(grids, (g) => g.addPackage({ id: grid.id }, mid())))
      const withFeature = await db.run(Effect.flatMap(grids, (g) => g.addFeature({ id: grid.id }, { title: "F" })))
      await db.run(
        Effect.flatMap(grids, (g) =>
          g.setElement({ id: grid.id }, { package: mid(), feature: withFeature.features[0]!.id, text: "x" })
        )
      )
      await db.run(Effect.flatMap(grids, (g) => g.remove({ id: grid.id })))
      expect((await db.failure(Effect.flatMap(grids, (g) => g.get({ id: grid.id }))))._tag).toBe("NotFound")
      expect((await db.run(Effect.flatMap(Packages, (p) => p.get({ id: mid() })))).grids).not.toContain(grid.id)
    })
  })
}
