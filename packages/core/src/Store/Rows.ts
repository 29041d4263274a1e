/**
 * Row ⇄ value conversions shared by the repositories: the storage conventions of Migrations.ts
 * (0/1 booleans, JSON lists, microsecond integers) in one place.
 */
import type { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { Effect, ParseResult } from "effect"
import { Conflict, type Entity, StoreUnavailable } from "../Domain/Errors.ts"
import { causeMessage } from "./Database.ts"

export type Row = Record<string, unknown>

export const bool = (v: unknown): boolean => v === true || v === 1 || v === "1" || v === "t"
export const boolOrNull = (v: unknown): boolean | null => (v === null || v === undefined ? null : bool(v))
export const num = (v: unknown): number => (typeof v === "number" ? v : Number(v))
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v))
export const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v))
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))
export const list = <A>(v: unknown): Array<A> =>
  typeof v === "string" ? (JSON.parse(v) as Array<A>) : Array.isArray(v) ? (v as Array<A>) : []
export const json = (v: ReadonlyArray<unknown>): string => JSON.stringify(v)
export const flag = (v: boolean): number => (v ? 1 : 0)
export const flagOrNull = (v: boolean | null): number | null => (v === null ? null : flag(v))

const UNIQUE_SQLITE = /UNIQUE constraint failed: (\w+)\.(\w+)/
const UNIQUE_PG = /Key \((\w+)\)=\((.*)\) already exists/

/** A unique violation, if `error` is one: the column and, where the engine says it, the value. */
export const uniqueViolation = (error: SqlError): { column: string; value: string } | undefined => {
  let cur: unknown = error.cause
  const s = causeMessage(error)
  const sqlite = UNIQUE_SQLITE.exec(s)
  if (sqlite) return { column: sqlite[2]!, value: "" }
  while (typeof cur === "object" && cur !== null) {
    const c = cur as { code?: string; detail?: string; cause?: unknown }
    if (c.code === "23505") {
      const m = UNIQUE_PG.exec(c.detail ?? "")
      return { column: m?.[1] ?? "", value: m?.[2] ?? "" }
    }
    cur = c.cause
  }
  return undefined
}

/**
 * Turns the SQL errors of a write into domain errors: a unique violation that a pre-check missed (a
 * concurrent writer on PostgreSQL) becomes a `Conflict`; anything else a `StoreUnavailable`.
 */
export const mapWriteError =
  (entity: Entity) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, Exclude<E, SqlError> | Conflict | StoreUnavailable, R> =>
    Effect.mapError(effect, (e) => {
      if (!(e instanceof SqlError)) return e as Exclude<E, SqlError>
      const unique = uniqueViolation(e)
      return unique !== undefined
        ? new Conflict({ entity, field: unique.column, value: unique.value })
        : new StoreUnavailable({ reason: causeMessage(e) })
    })

/** For reads: any SQL or decoding error is the store failing. */
export const mapReadError = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, SqlError | ParseResult.ParseError> | StoreUnavailable, R> =>
  Effect.mapError(effect, (e) =>
    e instanceof SqlError || ParseResult.isParseError(e)
      ? new StoreUnavailable({ reason: causeMessage(e) })
      : (e as Exclude<E, SqlError | ParseResult.ParseError>)
  )

/**
 * After rows were written with explicit ids: PostgreSQL's identity does not see them, so move it past
 * the largest id or the next default id would collide. SQLite's rowid needs nothing.
 */
export const resyncIdentity = (sql: SqlClient.SqlClient) => (table: "packages" | "categories" | "grids" | "features") =>
  sql.onDialectOrElse({
    pg: () =>
      Effect.asVoid(
        sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), GREATEST((SELECT MAX(id) FROM ${sql(table)}), 1))`
      ),
    orElse: () => Effect.void
  })

/** Groups `items` by `key` into lists of `value`, in input order (one pass, no copying). */
export const group = <T, K, V>(items: Iterable<T>, key: (t: T) => K, value: (t: T) => V): Map<K, Array<V>> => {
  const out = new Map<K, Array<V>>()
  for (const item of items) {
    const k = key(item)
    const list = out.get(k)
    if (list === undefined) out.set(k, [value(item)])
    else list.push(value(item))
  }
  return out
}
