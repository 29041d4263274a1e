/**
 * One import of the demo catalogue into a fresh database, timed from a parsed file to a committed
 * transaction. `packgrid`: the real import (validation, chunked upserts, memberships). `baseline`: the
 * naive way, one INSERT per package row in one transaction with no validation, on the same driver.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import { readFileSync } from "node:fs"
import { CatalogueStore } from "@packgrid/core/Store/CatalogueStore"
import * as Database from "@packgrid/core/Store/Database"
import { migrate } from "@packgrid/core/Store/Migrations"
import { report } from "./harness.ts"

const [variant, url, file] = process.argv.slice(2) as [string, string, string]
const catalogue = JSON.parse(readFileSync(file, "utf8")) as {
  categories: Array<Record<string, unknown>>
  packages: Array<Record<string, unknown>>
}

const baseline = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const t = (s: unknown) => (typeof s === "string" ? Date.parse(s) * 1000 : null)
  yield* sql.withTransaction(
    Effect.gen(function* () {
      for (const c of catalogue.categories) {
        yield* sql`INSERT INTO categories (id, slug, title, created, modified) VALUES (${c.id as number}, ${c.slug as string}, ${c.title as string}, 0, 0)`
      }
      for (const p of catalogue.packages) {
        yield* sql`INSERT INTO packages (id, slug, title, category, repo_url, repo_watchers, repo_forks, participants, commits_over_52w, last_commit_date, created, modified)
          VALUES (${p.id as number}, ${p.slug as string}, ${p.title as string}, ${p.category as number}, ${p.repo_url as string},
                  ${p.repo_watchers as number}, ${p.repo_forks as number}, ${JSON.stringify(p.participants)}, ${JSON.stringify(p.commits_over_52)},
                  ${t(p.last_commit_date)}, ${t(p.created)!}, ${t(p.modified)!})`
        for (const g of p.grids as Array<number>) {
          yield* sql`INSERT INTO grids (id, slug, title, created, modified) VALUES (${g}, ${`g${g}`}, ${`g${g}`}, 0, 0) ON CONFLICT DO NOTHING`
          yield* sql`INSERT INTO grid_packages (grid, package) VALUES (${g}, ${p.id as number}) ON CONFLICT DO NOTHING`
        }
      }
    })
  )
})

const program = Effect.gen(function* () {
  yield* migrate
  const started = performance.now()
  if (variant === "baseline") yield* baseline
  else yield* Effect.flatMap(CatalogueStore, (s) => s.importCatalogue(catalogue))
  return performance.now() - started
})

const layer = CatalogueStore.Default.pipe(Layer.provideMerge(Database.layerFromUrl(url)))
Effect.runPromise(Effect.scoped(Layer.build(layer).pipe(Effect.flatMap((ctx) => Effect.provide(program, ctx)))))
  .then((ms) => report(ms, { packages: catalogue.packages.length }))
  .catch((e) => {
    console.error(e)
    process.exit(1)
  })
