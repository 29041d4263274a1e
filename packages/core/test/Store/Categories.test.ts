import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { Conflict, StillReferenced } from "../../src/Domain/Errors.ts"
import { Slug } from "../../src/Domain/Slug.ts"
import { Categories } from "../../src/Store/Categories.ts"
import { Packages } from "../../src/Store/Packages.ts"
import { engines } from "../../src/Store/TestDatabase.ts"
import { useRuntime } from "./useRuntime.ts"

for (const engine of engines()) {
  describe(`Store.Categories on ${engine.name}`, () => {
    const db = useRuntime(Layer.mergeAll(Categories.Default, Packages.Default).pipe(Layer.provideMerge(engine.layer)))
    const categories = Effect.flatMap(Categories, Effect.succeed)

    it("creates, reads, lists, updates and deletes a category", async () => {
      const created = await db.run(
        Effect.flatMap(categories, (c) =>
          c.create({ slug: Slug.make("apps"), title: "App", title_plural: "Apps", show_pypi: false })
        )
      )
      expect(created).toMatchObject({
        slug: "apps",
        title: "App",
        title_plural: "Apps",
        description: "",
        show_pypi: false
      })
      expect(created.id).toBeGreaterThan(0)
      expect(await db.run(Effect.flatMap(categories, (c) => c.get({ id: created.id })))).toEqual(created)
      expect(await db.run(Effect.flatMap(categories, (c) => c.get({ slug: "apps" })))).toEqual(created)

      const other = await db.run(
        Effect.flatMap(categories, (c) => c.create({ slug: Slug.make("frameworks"), title: "Framework" }))
      )
      expect(other.show_pypi).toBe(true)
      const page = await db.run(Effect.flatMap(categories, (c) => c.list({ limit: 10, offset: 0 })))
      expect(page.count).toBe(2)
      expect(page.results.map((c) => c.slug)).toEqual(["frameworks", "apps"])
      expect((await db.run(Effect.flatMap(categories, (c) => c.all))).map((c) => c.title)).toEqual(["App", "Framework"])

      const updated = await db.run(
        Effect.flatMap(categories, (c) => c.update(created.id, { description: "Installed apps.", show_pypi: true }))
      )
      expect(updated).toMatchObject({
        id: created.id,
        slug: "apps",
        description: "Installed apps.",
        show_pypi: true,
        created: created.created
      })
      expect(await db.run(Effect.flatMap(categories, (c) => c.get({ id: created.id })))).toEqual(updated)

      await db.run(Effect.flatMap(categories, (c) => c.remove(other.id)))
      expect((await db.failure(Effect.flatMap(categories, (c) => c.get({ id: other.id }))))._tag).toBe("NotFound")
    })

    it("refuses a slug another category has, on create and on update", async () => {
      const first = await db.run(
        Effect.flatMap(categories, (c) => c.create({ slug: Slug.make("taken"), title: "Taken" }))
      )
      const clash = await db.failure(
        Effect.flatMap(categories, (c) => c.create({ slug: Slug.make("taken"), title: "Again" }))
      )
      expect(clash).toBeInstanceOf(Conflict)
      expect(clash).toMatchObject({ entity: "Category", field: "slug", value: "taken" })

      const second = await db.run(
        Effect.flatMap(categories, (c) => c.create({ slug: Slug.make("free"), title: "Free" }))
      )
      const renamed = await db.failure(
        Effect.flatMap(categories, (c) => c.update(second.id, { slug: Slug.make("taken") }))
      )
      expect(renamed).toMatchObject({ _tag: "Conflict", field: "slug" })
      expect((await db.run(Effect.flatMap(categories, (c) => c.get({ id: first.id })))).title).toBe("Taken")
    })

    it("refuses invalid input per field", async () => {
      const error = await db.failure(
        Effect.flatMap(categories, (c) => c.create({ slug: "Bad Slug" as Slug, title: "" }))
      )
      expect(error).toMatchObject({ _tag: "Invalid" })
      expect(error._tag === "Invalid" && error.issues.map((i) => i.path).sort()).toEqual(["slug", "title"])
    })

    it("refuses to delete a category that has packages, and keeps it", async () => {
      const category = await db.run(
        Effect.flatMap(categories, (c) => c.create({ slug: Slug.make("in-use"), title: "In use" }))
      )
      await db.run(
        Effect.flatMap(Packages, (p) =>
          p.create({
            slug: Slug.make("member"),
            title: "Member",
            category: category.id,
            repo_url: "https://github.com/o/member"
          })
        )
      )
      const error = await db.failure(Effect.flatMap(categories, (c) => c.remove(category.id)))
      expect(error).toBeInstanceOf(StillReferenced)
      expect(error).toMatchObject({ entity: "Category", key: category.id, by: "1 package(s)" })
      expect(await db.run(Effect.flatMap(categories, (c) => c.get({ id: category.id })))).toEqual(category)
    })
  })
}
