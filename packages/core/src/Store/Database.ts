/**
 * The database, chosen by `PACKGRID_DATABASE_URL`: `file:PATH` (or a bare path, or `:memory:`) for an
 * embedded SQLite file in WAL mode, `postgres://…` for PostgreSQL. Everything above this module names
 * only `SqlClient`; the few dialect differences live in `Store/`.
 */
import { SqlClient } from "@effect/sql"
import { Cause, Config, Effect, Layer, Option, Redacted } from "effect"
import { mkdirSync } from "node:fs"
import { dirname, resolve } from "node:path"
import * as PgTypes from "pg-types"
import { StoreUnavailable } from "../Domain/Errors.ts"

export const DEFAULT_DATABASE_URL = "file:./data/packgrid.sqlite"

export type DatabaseTarget =
  { readonly _tag: "Sqlite"; readonly filename: string } | { readonly _tag: "Postgres"; readonly url: string }

/** Reads a database URL; a bad one is a message naming the accepted forms. */
export const parseDatabaseUrl = (url: string): DatabaseTarget | string => {
  const u = url.trim()
  if (/^postgres(ql)?:\/\//i.test(u)) return { _tag: "Postgres", url: u }
  if (u === ":memory:" || u === "file::memory:") return { _tag: "Sqlite", filename: ":memory:" }
  if (u.startsWith("file:")) {
    const path = u.slice("file:".length).replace(/^\/\/(?=\/)/, "")
    return path === "" ? "file: needs a path, e.g. file:./data/packgrid.sqlite" : { _tag: "Sqlite", filename: path }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    return `unsupported database URL "${u.replace(/\/\/[^@/]*@/, "//***@")}": use file:PATH (SQLite) or postgres://… (PostgreSQL)`
  }
  return u === "" ? "the database URL is empty" : { _tag: "Sqlite", filename: u }
}

/** Redacts credentials from a database URL for logs and messages. */
export const describeDatabase = (target: DatabaseTarget): string =>
  target._tag === "Sqlite" ? `SQLite ${target.filename}` : `PostgreSQL ${target.url.replace(/\/\/[^@/]*@/, "//***@")}`

// int8 (BIGINT, our microsecond timestamps and ids) and int4 counts as numbers: both fit a double here.
const pgTypes = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === 20
      ? (v: string) => Number(v)
      : format === "binary"
        ? PgTypes.getTypeParser(oid, "binary")
        : PgTypes.getTypeParser(oid, "text")
}

/**
 * Makes every SQLite transaction take the write lock as it begins, as `BEGIN IMMEDIATE` does (the driver
 * only issues a deferred `BEGIN`). A deferred transaction that reads before it writes (every write here
 * does: the pre-checks, and FTS5 reading its configuration when a search trigger fires) cannot wait for
 * another process's lock: SQLite answers SQLITE_BUSY at once, whatever the busy timeout, and an API
 * write failed while the CLI refreshed the same file. Taken first, the lock is waited for like any
 * other. Every transaction here writes, so none holds the lock for nothing.
 * The client is this layer's own, so it is changed in place: a copy would have to rebuild the tagged
 * template function it is.
 */
const beginImmediately = (sql: SqlClient.SqlClient) => {
  const deferred = sql.withTransaction
  // Nothing has run since the driver's BEGIN, so ending it and beginning again immediately loses
  // nothing. When the lock is not had in time, a deferred transaction is opened again for the driver's
  // ROLLBACK to end, and the SQLITE_BUSY error is what the caller sees.
  const lock = Effect.uninterruptible(
    Effect.zipRight(
      sql.unsafe("ROLLBACK"),
      Effect.tapError(sql.unsafe("BEGIN IMMEDIATE"), () => sql.unsafe("BEGIN"))
    )
  )
  const withTransaction: SqlClient.SqlClient["withTransaction"] = (effect) =>
    Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (outer) =>
      deferred(Option.isSome(outer) ? effect : Effect.zipRight(lock, effect))
    )
  ;(sql as { withTransaction: SqlClient.SqlClient["withTransaction"] }).withTransaction = withTransaction
}

const sqliteLayer = (filename: string) =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      // One connection per process: foreign keys are per connection, and other processes (the CLI while
      // the server runs) must wait for the write lock rather than fail at once.
      yield* sql`PRAGMA foreign_keys = ON`
      yield* sql`PRAGMA busy_timeout = 10000`
      yield* sql`PRAGMA synchronous = NORMAL`
      beginImmediately(sql)
    })
  ).pipe(
    Layer.provideMerge(
      Layer.unwrapEffect(
        Effect.map(
          Effect.promise(() => import("@effect/sql-sqlite-node")),
          ({ SqliteClient }) => {
            if (filename !== ":memory:") mkdirSync(dirname(resolve(filename)), { recursive: true })
            return SqliteClient.layer({ filename })
          }
        )
      )
    )
  )

// Drivers load on demand: a SQLite process never loads pg, and the reverse.
const pgLayer = (url: string) =>
  Layer.unwrapEffect(
    Effect.map(
      Effect.promise(() => import("@effect/sql-pg")),
      ({ PgClient }) =>
        PgClient.layer({
          url: Redacted.make(url),
          types: pgTypes as never,
          maxConnections: 10,
          connectTimeout: "5 seconds",
          applicationName: "packgrid"
        })
    )
  )

/**
 * A `SqlClient` for `target`. Every way of failing to open it (an unreachable server, a folder that
 * cannot be created, a file that is not a database: the drivers throw some of these) becomes
 * `StoreUnavailable` with a readable reason.
 */
export const layer = (target: DatabaseTarget): Layer.Layer<SqlClient.SqlClient, StoreUnavailable> =>
  (target._tag === "Sqlite" ? sqliteLayer(target.filename) : pgLayer(target.url)).pipe(
    Layer.catchAllCause((cause) => {
      const failure = Cause.failureOption(cause)
      const error = failure._tag === "Some" ? failure.value : Cause.squash(cause)
      return Layer.fail(new StoreUnavailable({ reason: `${describeDatabase(target)}: ${causeMessage(error)}` }))
    })
  ) as Layer.Layer<SqlClient.SqlClient, StoreUnavailable>

/** Like `layer`, from a URL string. */
export const layerFromUrl = (url: string) => {
  const target = parseDatabaseUrl(url)
  return typeof target === "string" ? Layer.fail(new StoreUnavailable({ reason: target })) : layer(target)
}

/** The database named by `PACKGRID_DATABASE_URL` (default: the embedded SQLite file). */
export const layerFromEnv = Layer.unwrapEffect(
  Effect.map(
    Config.string("PACKGRID_DATABASE_URL").pipe(Config.withDefault(DEFAULT_DATABASE_URL), Effect.orDie),
    layerFromUrl
  )
)

/** The innermost readable message of a driver error (SqlError wraps the driver's cause). */
export const causeMessage = (e: unknown): string => {
  let cur: unknown = e
  for (let i = 0; i < 5 && typeof cur === "object" && cur !== null && "cause" in cur && cur.cause !== undefined; i++) {
    cur = cur.cause
  }
  if (cur instanceof Error) return cur.message
  if (typeof cur === "object" && cur !== null && "message" in cur) return String(cur.message)
  return String(cur)
}
