/**
 * The engines a store test runs on: always SQLite (a file in a scoped temp directory), plus PostgreSQL
 * when `PACKGRID_TEST_DATABASE_URL` names a server. Every build of an engine's layer is a fresh, migrated
 * database that is removed when the layer's scope closes, so a suite may build one per `describe` (a
 * `ManagedRuntime` in `beforeAll`) or one per test (`Effect.provide(engine.layer)`).
 *
 *     for (const engine of engines()) {
 *       describe(`Store.Packages on ${engine.name}`, () => { … })
 *     }
 */
import { SqlClient } from "@effect/sql"
import type { MigrationError } from "@effect/sql/Migrator"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Layer } from "effect"
import { randomBytes } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { StoreUnavailable } from "../Domain/Errors.ts"
import * as Database from "./Database.ts"
import { migrate } from "./Migrations.ts"

export const TEST_DATABASE_URL_VARIABLE = "PACKGRID_TEST_DATABASE_URL"

export type EngineName = "sqlite" | "postgres"

/** A database engine under test: each build of `layer` is a fresh, migrated, throw-away database. */
export interface TestEngine {
  readonly name: EngineName
  readonly layer: Layer.Layer<SqlClient.SqlClient, StoreUnavailable | MigrationError | SqlError>
}

const migrated = <E>(database: Layer.Layer<SqlClient.SqlClient, E>) =>
  Layer.effectDiscard(migrate).pipe(Layer.provideMerge(database))

const tempDirectory = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "packgrid-test-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

/** A migrated SQLite file in a temp directory, removed with the directory when the scope closes. */
export const sqliteLayer: TestEngine["layer"] = migrated(
  Layer.unwrapScoped(
    Effect.map(tempDirectory, (dir) => Database.layer({ _tag: "Sqlite", filename: join(dir, "packgrid.sqlite") }))
  )
)

/** `serverUrl` with its database name replaced. */
export const withDatabaseName = (serverUrl: string, name: string): string => {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

const onServer = <A, E>(serverUrl: string, f: (sql: SqlClient.SqlClient) => Effect.Effect<A, E>) =>
  Effect.provide(Effect.flatMap(SqlClient.SqlClient, f), Database.layerFromUrl(serverUrl))

/**
 * A migrated PostgreSQL database `packgrid_test_<random>` created through `serverUrl`, dropped (with
 * `FORCE`, so a leaked connection cannot keep it alive) when the scope closes.
 */
export const postgresLayer = (serverUrl: string): TestEngine["layer"] =>
  migrated(
    Layer.unwrapScoped(
      Effect.gen(function* () {
        const name = `packgrid_test_${randomBytes(6).toString("hex")}`
        yield* Effect.acquireRelease(
          onServer(serverUrl, (sql) => sql`CREATE DATABASE ${sql(name)}`),
          () => Effect.orDie(onServer(serverUrl, (sql) => sql`DROP DATABASE IF EXISTS ${sql(name)} WITH (FORCE)`))
        )
        return Database.layerFromUrl(withDatabaseName(serverUrl, name))
      })
    )
  )

/** The engines `env` asks for: SQLite always, PostgreSQL when it names a server in `PACKGRID_TEST_DATABASE_URL`. */
export const enginesFrom = (env: Record<string, string | undefined>): ReadonlyArray<TestEngine> => {
  const serverUrl = env[TEST_DATABASE_URL_VARIABLE]?.trim()
  const sqlite: TestEngine = { name: "sqlite", layer: sqliteLayer }
  return serverUrl === undefined || serverUrl === ""
    ? [sqlite]
    : [sqlite, { name: "postgres", layer: postgresLayer(serverUrl) }]
}

/** One line naming the engines the store suites of a run cover, for the top of its output. */
export const enginesLine = (env: Record<string, string | undefined>): string => {
  const names = enginesFrom(env).map((e) => e.name)
  return names.includes("postgres")
    ? `[packgrid] store tests run on: ${names.join(", ")} (postgres: a fresh database on ${TEST_DATABASE_URL_VARIABLE}'s server per suite)`
    : `[packgrid] store tests run on: sqlite only (set ${TEST_DATABASE_URL_VARIABLE}, e.g. postgres://postgres@127.0.0.1:5432/test, to add postgres)`
}

/** The engines to run store tests on, from the process environment (the run's first line names them). */
export const engines = (): ReadonlyArray<TestEngine> => enginesFrom(process.env)
