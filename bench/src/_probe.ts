/**
 * `score`: every package of a synthetic catalogue through the three scores (packgrid) or through the
 * reference's grid score alone (baseline: what the reference computes per package).
 * `search`: 200 realistic queries on the demo catalogue, or on it grown to SIZE packages, through Search
 * (packgrid) or the reference's old LIKE search over title, slug and description (baseline). Only the
 * queries are timed: the import and the first scoring are set-up.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import { readFileSync } from "node:fs"
import type { Timestamp } from "@packgrid/core/Domain/Timestamp"
import { legacyScore, packageScore, scoringFacts, searchWeight } from "@packgrid/core/Scoring"
import { prepare } from "@packgrid/core/Store/Bootstrap"
import * as Store from "@packgrid/core/Store/Store"
import { Search } from "@packgrid/core/Store/Search"
import { report } from "./harness.ts"
import { type Catalogue, scaledCatalogue } from "./scaled-catalogue.ts"

const [mode, variant, arg, file, size] = process.argv.slice(2) as [string, string, string, string, string?]
const DAY = 86_400_000_000
const asOf = (Date.UTC(2026, 11, 1) * 1000) as Timestamp

if (mode === "score") {
  const n = Number(arg)
  const facts = Array.from({ length: n }, (_, i) =>
    scoringFacts({
      repo_watchers: (i * 7919) % 20000,
      repo_forks: (i * 131) % 3000,
      contributors: (i * 17) % 400,
      open_issues: (i * 13) % 500,
      pypi_downloads: (i * 104729) % 5_000_000,
      last_commit_date: (asOf - ((i * 37) % 2000) * DAY) as Timestamp,
      latest_release_date: (asOf - ((i * 53) % 3000) * DAY) as Timestamp,
      supports_python3: i % 5 === 0 ? null : i % 7 !== 0,
      repo_description: i % 3 === 0 ? "" : "A reusable Django app",
      usage_count: i % 30
    })
  )
  const started = performance.now()
  let sink = 0
  for (const f of facts) {
    sink += legacyScore(f, asOf)
    if (variant === "packgrid") sink += searchWeight(f, asOf).total_score + packageScore(f, { asOf }).score
  }
  report(performance.now() - started, { packages: n, sink: sink % 7 })
} else {
  const demo = JSON.parse(readFileSync(file, "utf8")) as Catalogue
  const catalogue = size === undefined ? demo : scaledCatalogue(demo, Number(size))
  // Realistic queries: words people type (from titles), prefixes being typed, and a few typos.
  const words = [
    ...new Set(
      demo.packages
        .flatMap((p) => p.title.toLowerCase().split(/[^a-z0-9]+/))
        .filter((w) => w.length > 3 && w !== "django")
    )
  ]
  const queries = Array.from({ length: 200 }, (_, i) => {
    const w = words[(i * 7919) % words.length]!
    return i % 10 === 0
      ? w.slice(0, 3)
      : i % 10 === 1
        ? `${w.slice(0, 2)}${w[3]}${w[2]}${w.slice(4)}`
        : i % 10 === 2
          ? `django ${w}`
          : w
  })
  const program = Effect.gen(function* () {
    yield* prepare(Effect.succeed(catalogue))
    const sql = yield* SqlClient.SqlClient
    const search = yield* Search
    const times: Array<number> = []
    for (const q of queries) {
      const t = performance.now()
      if (variant === "packgrid") yield* search.search({ q, limit: 20, offset: 0 })
      else {
        const like = `%${q}%`
        yield* sql`SELECT id FROM packages WHERE title LIKE ${like} OR slug LIKE ${like} OR repo_description LIKE ${like} ORDER BY search_weight DESC LIMIT 20`
      }
      times.push(performance.now() - t); (globalThis as any).slow ??= []; (globalThis as any).slow.push([performance.now() - t, q])
    }
    times.sort((a, b) => a - b)
    return times
  })
  Effect.runPromise(Effect.scoped(Effect.flatMap(Layer.build(Store.layer(arg)), (ctx) => Effect.provide(program, ctx))))
    .then((times) => {
      console.error(((globalThis as any).slow as Array<[number,string]>).sort((a,b)=>b[0]-a[0]).slice(0,12).map(([t,q])=>`${t.toFixed(1)} ${q}`).join('\n'))
      const p = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 100) / 100
      report(
        times.reduce((a, b) => a + b, 0),
        { packages: catalogue.packages.length, queries: times.length, medianMs: p(0.5), p99Ms: p(0.99) }
      )
    })
    .catch((e) => {
      console.error(e)
      process.exit(1)
    })
}
