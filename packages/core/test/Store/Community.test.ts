import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import type { PackageId } from "../../src/Domain/Ids.ts"
import { Slug } from "../../src/Domain/Slug.ts"
import { Categories } from "../../src/Store/Categories.ts"
import { Community } from "../../src/Store/Community.ts"
import { Packages } from "../../src/Store/Packages.ts"
import { engines } from "../../src/Store/TestDatabase.ts"
import { useRuntime } from "./useRuntime.ts"

for (const engine of engines()) {
  describe(`Store.Community on ${engine.name}`, () => {
    const db = useRuntime(
      Layer.mergeAll(Community.Default, Packages.Default, Categories.Default).pipe(Layer.provideMerge(engine.layer))
    )
    const community = Effect.flatMap(Community, Effect.succeed)
    let pkg: PackageId
    let other: PackageId
    const users: Record<string, number> = {}

    beforeAll(async () => {
      const category = await db.run(
        Effect.flatMap(Categories, (c) => c.create({ slug: Slug.make("apps"), title: "App" }))
      )
      const create = (name: string) =>
        db.run(
          Effect.flatMap(Packages, (p) =>
            p.create({
              slug: Slug.make(name),
              title: name,
              category: category.id,
              repo_url: `https://github.com/o/${name}`
            })
          )
        )
      pkg = (await create("liked")).id
      other = (await create("other")).id
      for (const username of ["ada", "grace", "linus"]) {
        const [row] = await db.run(
          Effect.flatMap(
            SqlClient.SqlClient,
            (sql) =>
              sql<{
                id: number
              }>`INSERT INTO users (username, role, created) VALUES (${username}, ${"editor"}, ${0}) RETURNING id`
          )
        )
        users[username] = Number(row!.id)
      }
    })

    const counts = async (id: PackageId) => {
      const p = await db.run(Effect.flatMap(Packages, (s) => s.get({ id })))
      return { usage: p.usage_count, favorite: p.favorite_count }
    }
    const rows = (table: "usages" | "favorites", id: PackageId) =>
      db.run(
        Effect.flatMap(SqlClient.SqlClient, (sql) =>
          Effect.map(sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql(table)} WHERE package = ${id}`, ([r]) =>
            Number(r!.n)
          )
        )
      )

    it("sets usage on and off idempotently, keeping the package's count right", async () => {
      const set = (user: string, on: boolean) =>
        db.run(Effect.flatMap(community, (c) => c.setUsage(pkg, users[user]!, on)))
      expect(await set("ada", true)).toBe(1)
      expect(await set("ada", true)).toBe(1)
      expect(await set("grace", true)).toBe(2)
      expect(await counts(pkg)).toEqual({ usage: 2, favorite: 0 })
      expect(await rows("usages", pkg)).toBe(2)
      expect(await db.run(Effect.flatMap(community, (c) => c.usersOf(pkg)))).toEqual(["ada", "grace"])

      expect(await set("ada", false)).toBe(1)
      expect(await set("ada", false)).toBe(1)
      expect(await set("linus", false)).toBe(1)
      expect(await counts(pkg)).toEqual({ usage: 1, favorite: 0 })
      expect(await rows("usages", pkg)).toBe(1)
      expect(await counts(other)).toEqual({ usage: 0, favorite: 0 })
    })

    it("sets favourites on and off idempotently, independently of usage", async () => {
      const set = (user: string, on: boolean) =>
        db.run(Effect.flatMap(community, (c) => c.setFavorite(other, users[user]!, on)))
      expect(await set("linus", true)).toBe(1)
      expect(await set("linus", true)).toBe(1)
      expect(await set("ada", true)).toBe(2)
      expect(await set("linus", false)).toBe(1)
      expect(await counts(other)).toEqual({ usage: 0, favorite: 1 })
      expect(await rows("favorites", other)).toBe(1)
      expect(await db.run(Effect.flatMap(community, (c) => c.favoritedBy(other)))).toEqual(["ada"])
    })

    it("says NotFound for a missing package or user, and counts nothing", async () => {
      const before = await counts(pkg)
      const noPackage = await db.failure(Effect.flatMap(community, (c) => c.setUsage(987_654, users.ada!, true)))
      expect(noPackage).toMatchObject({ _tag: "NotFound", entity: "Package", key: 987_654 })
      const noUser = await db.failure(Effect.flatMap(community, (c) => c.setFavorite(pkg, 987_654, true)))
      expect(noUser).toMatchObject({ _tag: "NotFound", entity: "User", key: 987_654 })
      expect(await counts(pkg)).toEqual(before)
    })
  })
}
