/** "I use this" and favourites; each keeps the package's denormalised count in the same transaction. */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { NotFound } from "../Domain/Errors.ts"
import { now } from "./Clock.ts"
import * as R from "./Rows.ts"
import { rescore } from "./Scores.ts"

type Kind = { readonly table: "usages" | "favorites"; readonly counter: "usage_count" | "favorite_count" }
const USAGE: Kind = { table: "usages", counter: "usage_count" }
const FAVORITE: Kind = { table: "favorites", counter: "favorite_count" }

export class Community extends Effect.Service<Community>()("Store.Community", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const exists = (table: "packages" | "users", id: number) =>
      Effect.flatMap(sql`SELECT id FROM ${sql(table)} WHERE id = ${id}`, (rows) =>
        rows.length === 0
          ? Effect.fail(new NotFound({ entity: table === "packages" ? "Package" : "User", key: id }))
          : Effect.void
      )

    /** Marks (on) or unmarks (off) `user`'s relation to `pkg`; repeating either changes nothing. Returns the new count. */
    const set = (kind: Kind) => (pkg: number, user: number, on: boolean) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            yield* exists("packages", pkg)
            yield* exists("users", user)
            const changed = on
              ? yield* sql`INSERT INTO ${sql(kind.table)} (package, user_id, created) VALUES (${pkg}, ${user}, ${yield* now}) ON CONFLICT DO NOTHING RETURNING package`
              : yield* sql`DELETE FROM ${sql(kind.table)} WHERE package = ${pkg} AND user_id = ${user} RETURNING package`
            if (changed.length > 0) {
              yield* sql`UPDATE packages SET ${sql(kind.counter)} = ${sql(kind.counter)} + ${on ? 1 : -1} WHERE id = ${pkg}`
              // Users and favourites count in the scores (Adoption, the search weight's usage rule).
              yield* Effect.provideService(rescore([pkg], yield* now), SqlClient.SqlClient, sql)
            }
            const [row] = yield* sql<R.Row>`SELECT ${sql(kind.counter)} AS n FROM packages WHERE id = ${pkg}`
            return R.num(row?.n ?? 0)
          })
        )
        .pipe(R.mapWriteError("Package"))

    const usersOf = (kind: Kind) => (pkg: number) =>
      R.mapReadError(
        Effect.map(
          sql<{
            username: string
          }>`SELECT u.username FROM ${sql(kind.table)} k JOIN users u ON u.id = k.user_id WHERE k.package = ${pkg} ORDER BY k.created`,
          (rows) => rows.map((r) => r.username)
        )
      )

    return {
      setUsage: set(USAGE),
      setFavorite: set(FAVORITE),
      usersOf: usersOf(USAGE),
      favoritedBy: usersOf(FAVORITE)
    } as const
  })
}) {}
