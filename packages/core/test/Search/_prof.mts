import { SqlClient } from "@effect/sql"
import { Effect, Layer, ManagedRuntime } from "effect"
import * as Database from "../../src/Store/Database.ts"
import { Search } from "../../src/Store/Search.ts"
const url = process.argv[2]!
const rt = ManagedRuntime.make(Search.Default.pipe(Layer.provideMerge(Database.layerFromUrl(url))))
const t = async (label: string, eff: Effect.Effect<any, any, any>) => {
  await rt.runPromise(eff as any)
  const s = performance.now()
  for (let i = 0; i < 20; i++) await rt.runPromise(eff as any)
  console.log(label, ((performance.now() - s) / 20).toFixed(2), "ms")
}
await t("noop sql", Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1`))
await t("text stripe", Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT x.id, x.title, -bm25(packages_fts, 10.0,4.0,2.0,1.0) AS raw FROM packages_fts JOIN packages x ON x.id = packages_fts.rowid WHERE packages_fts MATCH ${'("stripe" OR "stripe"*)'}`))
for (const q of ["stripe", "rest", "django", "djnago-filter", "zzzz"]) await t(`search ${q}`, Effect.flatMap(Search, (s) => s.search({ q, limit: 20, offset: 0 })))
await rt.dispose()
const rt2 = ManagedRuntime.make(Database.layerFromUrl(url))
const s0 = performance.now()
await rt2.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) => Effect.forEach(Array.from({ length: 200 }), () => sql`SELECT 1`)))
console.log("200 statements in one effect", (performance.now() - s0).toFixed(1), "ms")
const s1 = performance.now()
await rt2.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) => Effect.forEach(Array.from({ length: 200 }), () => sql`SELECT 1`)))
console.log("200 statements in one effect", (performance.now() - s1).toFixed(1), "ms")
const s2 = performance.now()
await rt2.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) => Effect.forEach(Array.from({ length: 200 }), () => sql`SELECT 1`.withoutTransform)))
console.log("200 statements in one effect", (performance.now() - s2).toFixed(1), "ms")
await rt2.dispose()
