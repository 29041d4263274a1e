import { SqlClient } from "@effect/sql"
import { Effect, Layer, ManagedRuntime } from "effect"
import * as Database from "../../src/Store/Database.ts"
const url = process.argv[2]!
const rt = ManagedRuntime.make(Database.layerFromUrl(url))
const t = async (label: string, eff: Effect.Effect<any, any, any>) => {
  await rt.runPromise(eff as any)
  const s = performance.now()
  let r: any
  for (let i = 0; i < 5; i++) r = await rt.runPromise(eff as any)
  console.log(label, ((performance.now() - s) / 5).toFixed(2), "ms", r.length)
}
const any = '"django" OR "django"*'
await t("text only", Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT x.id, x.title, -bm25(packages_fts, 10.0,4.0,2.0,1.0) AS raw FROM packages_fts JOIN packages x ON x.id = packages_fts.rowid WHERE packages_fts MATCH ${'("django" OR "django"*)'}`))
await t("text+cov", Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT x.id, x.title, x.slug, x.package_score, x.repo_watchers, x.last_commit_date, x.latest_release_date, -bm25(packages_fts, 10.0,4.0,2.0,1.0) AS raw,
 x.id IN (SELECT rowid FROM packages_fts WHERE packages_fts MATCH ${`title : (${any})`}) t, x.id IN (SELECT rowid FROM packages_fts WHERE packages_fts MATCH ${`slug : (${any})`}) s,
 x.id IN (SELECT rowid FROM packages_fts WHERE packages_fts MATCH ${`description : (${any})`}) d, x.id IN (SELECT rowid FROM packages_fts WHERE packages_fts MATCH ${`topics : (${any})`}) tp
 FROM packages_fts JOIN packages x ON x.id = packages_fts.rowid WHERE packages_fts MATCH ${'("django" OR "django"*)'}`))
await t("text+cov raw-unsafe", Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT x.id, x.title, x.slug, x.package_score, x.repo_watchers, x.last_commit_date, x.latest_release_date, -bm25(packages_fts, 10.0,4.0,2.0,1.0) AS raw,
 x.id IN (SELECT rowid FROM packages_fts WHERE packages_fts MATCH ${`title : (${any})`}) t, x.id IN (SELECT rowid FROM packages_fts WHERE packages_fts MATCH ${`slug : (${any})`}) s,
 x.id IN (SELECT rowid FROM packages_fts WHERE packages_fts MATCH ${`description : (${any})`}) d, x.id IN (SELECT rowid FROM packages_fts WHERE packages_fts MATCH ${`topics : (${any})`}) tp
 FROM packages_fts JOIN packages x ON x.id = packages_fts.rowid WHERE packages_fts MATCH ${'("django" OR "django"*)'}`.withoutTransform))
await rt.dispose()
