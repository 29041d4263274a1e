import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer } from "effect"
import { existsSync } from "node:fs"
import { dirname } from "node:path"
import { describe, expect, it } from "vitest"
import * as Database from "../../src/Store/Database.ts"
import { migrations as allMigrations } from "../../src/Store/Migrations.ts"
import {
  engines,
  enginesFrom,
  enginesLine,
  TEST_DATABASE_URL_VARIABLE,
  withDatabaseName
} from "../../src/Store/TestDatabase.ts"

describe("enginesFrom", () => {
  it("always has sqlite, and postgres only when the variable names a server", () => {
    expect(enginesFrom({}).map((e) => e.name)).toEqual(["sqlite"])
    expect(enginesFrom({ [TEST_DATABASE_URL_VARIABLE]: " " }).map((e) => e.name)).toEqual(["sqlite"])
    expect(
      enginesFrom({ [TEST_DATABASE_URL_VARIABLE]: "postgres://postgres@127.0.0.1:5432/test" }).map((e) => e.name)
    ).toEqual(["sqlite", "postgres"])
  })

  it("names the engines a run covers, and how to add postgres when it is left out", () => {
    expect(enginesLine({})).toContain("sqlite only")
    expect(enginesLine({})).toContain(TEST_DATABASE_URL_VARIABLE)
    expect(enginesLine({ [TEST_DATABASE_URL_VARIABLE]: "postgres://postgres@127.0.0.1:5432/test" })).toMatch(
      /run on: sqlite, postgres/
    )
  })

  it("swaps the database name of a server URL, keeping credentials and options", () => {
    expect(withDatabaseName("postgres://u:p@db.example:6543/test?sslmode=disable", "packgrid_test_1")).toBe(
      "postgres://u:p@db.example:6543/packgrid_test_1?sslmode=disable"
    )
  })
})

for (const engine of engines()) {
  describe(`TestDatabase on ${engine.name}`, () => {
    /** Where the database lives: the SQLite file, or the PostgreSQL database name. */
    const location = (sql: SqlClient.SqlClient) =>
      sql.onDialectOrElse({
        pg: () => Effect.map(sql<{ name: string }>`SELECT current_database() AS name`, ([r]) => r!.name),
        orElse: () =>
          Effect.map(sql<{ file: string }>`SELECT file FROM pragma_database_list WHERE name = 'main'`, ([r]) => r!.file)
      })

    it("gives a migrated, empty database, and removes it when the scope closes", async () => {
      const where = await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const sql = Context.get(yield* Layer.build(engine.layer), SqlClient.SqlClient)
            const migrations = yield* sql<{ name: string }>`SELECT name FROM packgrid_migrations`
            expect(migrations.map((m) => m.name)).toEqual(
              Object.keys(allMigrations).map((key) => key.replace(/^\d+_/, ""))
            )
            const [packages] = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM packages`
            expect(Number(packages!.n)).toBe(0)
            return yield* location(sql)
          })
        )
      )
      if (engine.name === "sqlite") {
        expect(where).toMatch(/packgrid-test-[^/\\]+[/\\]packgrid\.sqlite$/)
        expect(existsSync(dirname(where))).toBe(false)
      } else {
        expect(where).toMatch(/^packgrid_test_[0-9a-f]{12}$/)
        const server = process.env[TEST_DATABASE_URL_VARIABLE]!
        const left = await Effect.runPromise(
          Effect.provide(
            Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT datname FROM pg_database WHERE datname = ${where}`),
            Database.layerFromUrl(server)
          )
        )
        expect(left).toEqual([])
        expect(withDatabaseName(server, where)).toContain(`/${where}`)
      }
    })

    it("gives a separate database on every build", async () => {
      const [a, b] = await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const first = Context.get(yield* Layer.build(engine.layer), SqlClient.SqlClient)
            const second = Context.get(yield* Layer.build(engine.layer), SqlClient.SqlClient)
            yield* first`INSERT INTO categories (slug, title, created, modified) VALUES ('apps', 'App', 0, 0)`
            const count = (sql: SqlClient.SqlClient) =>
              Effect.map(sql<{ n: number }>`SELECT COUNT(*) AS n FROM categories`, ([r]) => Number(r!.n))
            return [yield* count(first), yield* count(second)] as const
          })
        )
      )
      expect([a, b]).toEqual([1, 0])
    })
  })
}
