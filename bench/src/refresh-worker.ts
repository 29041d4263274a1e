/**
 * One measurement of the refresh suite, in its own process (so its peak RSS is its own):
 *
 *   refresh-worker.ts seed     DATABASE_URL COUNT            import COUNT synthetic GitHub packages
 *   refresh-worker.ts packgrid DATABASE_URL ORIGIN [rerun]   one `Refresher.run` against the simulator at ORIGIN
 *   refresh-worker.ts baseline DATABASE_URL ORIGIN           the reference's request pattern, as a plain loop
 *
 * The baseline is a simple fetch loop, not our adapters: per package, one after the other, PyPI's JSON,
 * then GitHub's `/rate_limit` probe, the repository, every 100 contributors, the newest commit and the
 * participation statistics, all unconditional (what `package_updater2` with github3.py asks on every
 * run), then one UPDATE of the package. It keeps none of the reference's deliberate sleeps
 * (`--git-min-interval 0.5`, 60 a minute), which would cap it at 60 packages a minute whatever the network.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import * as Refresh from "@packgrid/core/Refresh/Layer"
import { Refresher } from "@packgrid/core/Refresh/Refresher"
import { SIM_HOSTS, type SimHost } from "@packgrid/core/Refresh/Simulator"
import { syntheticCatalogue } from "@packgrid/core/Refresh/SyntheticCatalogue"
import { CatalogueStore } from "@packgrid/core/Store/CatalogueStore"
import * as Database from "@packgrid/core/Store/Database"
import { migrate } from "@packgrid/core/Store/Migrations"
import { report } from "./harness.ts"

const [mode, url, arg, extra] = process.argv.slice(2) as [string, string, string, string | undefined]

const baseUrls = (origin: string) =>
  Object.fromEntries(Object.entries(SIM_HOSTS).map(([h, { prefix }]) => [h, `${origin}${prefix}`])) as Record<
    SimHost,
    string
  >

const seed = Effect.gen(function* () {
  yield* migrate
  yield* Effect.flatMap(CatalogueStore, (c) => c.importCatalogue(syntheticCatalogue(Number(arg))))
  return 0
})

const packgrid = (origin: string, rerun: boolean) =>
  Effect.gen(function* () {
    const started = performance.now()
    const summary = yield* Effect.flatMap(Refresher, (r) => r.run(rerun ? { all: true } : {}))
    const ms = performance.now() - started
    const requests = Object.values(summary.requests).reduce((a, b) => a + b, 0)
    const notModified = Object.values(summary.notModifiedReplies).reduce((a, b) => a + b, 0)
    return {
      ms,
      packages: summary.total,
      fetched: summary.fetched,
      notModified: summary.notModified,
      failed: Object.values(summary.failed).reduce((a, b) => a + b, 0),
      requests,
      replies304: notModified,
      requestsByHost: summary.requests
    }
  }).pipe(Effect.provide(Refresh.layerWith(Refresh.configFor(baseUrls(origin)))))

const baseline = (origin: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const urls = baseUrls(origin)
    const rows = yield* sql<{ id: number; repo_url: string; pypi_url: string }>`
      SELECT id, repo_url, pypi_url FROM packages ORDER BY id`
    let requests = 0
    let failed = 0
    const get = async (u: string) => {
      requests++
      const res = await fetch(u, { headers: { accept: "application/json", "user-agent": "baseline" } })
      const text = await res.text()
      return {
        status: res.status,
        link: res.headers.get("link") ?? "",
        body: res.ok ? JSON.parse(text) : null
      }
    }
    const started = performance.now()
    for (const row of rows) {
      const facts = yield* Effect.promise(async () => {
        try {
          const pypi = await get(`${urls.pypi}/pypi/${row.pypi_url}/json`)
          const path = new URL(row.repo_url).pathname.replace(/^\/|\/$/g, "")
          const api = `${urls.github}/repos/${path}`
          await get(`${urls.github}/rate_limit`)
          const repo = await get(api)
          const participants: Array<string> = []
          for (let page = 1; ; page++) {
            const c = await get(`${api}/contributors?per_page=100&page=${page}`)
            for (const x of (c.body ?? []) as Array<{ login: string }>) participants.push(x.login)
            if (!/rel="next"/.test(c.link)) break
          }
          const commits = await get(`${api}/commits?per_page=1`)
          const last = /[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(commits.link)
          const weeks = await get(`${api}/stats/participation`)
          return {
            stars: repo.body?.stargazers_count ?? 0,
            forks: repo.body?.forks_count ?? 0,
            version: pypi.body?.info?.version ?? null,
            participants,
            commitCount: last === null ? 0 : Number(last[1]),
            weeks: weeks.body?.all ?? []
          }
        } catch {
          failed++
          return null
        }
      })
      if (facts === null) continue
      yield* sql`UPDATE packages SET repo_watchers = ${facts.stars}, repo_forks = ${facts.forks},
        pypi_version = ${facts.version}, participants = ${JSON.stringify(facts.participants)},
        commit_count = ${facts.commitCount}, commits_over_52w = ${JSON.stringify(facts.weeks)},
        last_fetched = ${Date.now() * 1000} WHERE id = ${row.id}`
    }
    const ms = performance.now() - started
    return { ms, packages: rows.length, fetched: rows.length - failed, notModified: 0, failed, requests, replies304: 0 }
  })

const program: Effect.Effect<unknown, unknown, SqlClient.SqlClient | CatalogueStore> =
  mode === "seed"
    ? seed
    : mode === "packgrid"
      ? packgrid(arg, extra === "rerun")
      : mode === "baseline"
        ? baseline(arg)
        : Effect.die(new Error(`unknown mode ${mode}`))

const layer = CatalogueStore.Default.pipe(Layer.provideMerge(Database.layerFromUrl(url)))
Effect.runPromise(Effect.scoped(Layer.build(layer).pipe(Effect.flatMap((ctx) => Effect.provide(program, ctx)))))
  .then((result) => {
    if (mode === "seed") return report(0)
    const r = result as { ms: number; packages: number; requests: number } & Record<string, unknown>
    const { ms, ...rest } = r
    report(ms, {
      ...rest,
      perMinute: Math.round((r.packages / ms) * 60_000),
      requestsPerPackage: Math.round((r.requests / Math.max(1, r.packages)) * 100) / 100
    })
  })
  .catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
