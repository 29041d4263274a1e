/**
 * Test support for whole refresh runs: one database per describe block (an engine of TestDatabase) with
 * the synthetic packages imported, and runs of the `Refresher` against the file's simulator, each with a
 * fresh `Http` (its own quotas and counters), as each run of the CLI would have.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import type { HttpSettingsShape } from "../../src/Refresh/Http.ts"
import * as Refresh from "../../src/Refresh/Layer.ts"
import { Refresher, type RunOptions, type RunSummary } from "../../src/Refresh/Refresher.ts"
import type { Simulator } from "../../src/Refresh/Simulator.ts"
import { syntheticCatalogue, type SyntheticOptions } from "../../src/Refresh/SyntheticCatalogue.ts"
import { CatalogueStore } from "../../src/Store/CatalogueStore.ts"
import { Packages } from "../../src/Store/Packages.ts"
import * as Store from "../../src/Store/Store.ts"
import type { TestEngine } from "../../src/Store/TestDatabase.ts"
import { useRuntime } from "../Store/useRuntime.ts"
import { testSettings } from "./support.ts"

/** A package's row as stored, with the columns the domain model leaves out (scores, claims). */
export interface StoredRow {
  readonly id: number
  readonly slug: string
  readonly repo_url: string
  readonly repo_watchers: number
  readonly repo_forks: number
  readonly commit_count: number
  readonly contributors: number | null
  readonly pypi_version: string | null
  readonly supports_python3: boolean | null
  readonly score: number
  readonly search_weight: number
  readonly package_score: number
  readonly last_fetched: number | null
  readonly last_exception: string | null
  readonly last_exception_at: number | null
  readonly last_exception_count: number
  readonly date_deprecated: number | null
  readonly claimed_by: string | null
  readonly fetch_repo: string | null
  readonly fetch_pypi: string | null
}

const n = (v: unknown) => (v === null || v === undefined ? null : Number(v))

/** A database on `engine` for the describe block, and refresh runs against `sim`. */
export const useRefreshDatabase = (engine: TestEngine, sim: () => Simulator) => {
  const { run } = useRuntime(Store.repositories.pipe(Layer.provideMerge(engine.layer)))

  /** Imports `count` synthetic packages (ids from `options.firstId`, default 1). */
  const seed = (count: number, options: SyntheticOptions = {}) =>
    run(Effect.flatMap(CatalogueStore, (c) => c.importCatalogue(syntheticCatalogue(count, options))))

  /** One run of the refresher with a fresh Http (test policies unless `settings` says otherwise). */
  const refresh = (options: RunOptions = {}, settings: HttpSettingsShape = testSettings()): Promise<RunSummary> =>
    run(
      Effect.flatMap(Refresher, (r) => r.run(options)).pipe(
        Effect.provide(Refresh.layerWith(Refresh.configFor(sim().baseUrls, settings)))
      )
    )

  /** Every package row, by slug, with its fetch state. */
  const rows = () =>
    run(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const all = yield* sql<Record<string, unknown>>`
          SELECT p.*, f.repo AS fetch_repo, f.pypi AS fetch_pypi
          FROM packages p LEFT JOIN fetch_state f ON f.package = p.id ORDER BY p.id`
        return new Map(
          all.map((r): [string, StoredRow] => [
            String(r.slug),
            {
              id: Number(r.id),
              slug: String(r.slug),
              repo_url: String(r.repo_url),
              repo_watchers: Number(r.repo_watchers),
              repo_forks: Number(r.repo_forks),
              commit_count: Number(r.commit_count),
              contributors: n(r.contributors),
              pypi_version: r.pypi_version === null ? null : String(r.pypi_version),
              supports_python3:
                r.supports_python3 === null ? null : r.supports_python3 === 1 || r.supports_python3 === true,
              score: Number(r.score),
              search_weight: Number(r.search_weight),
              package_score: Number(r.package_score),
              last_fetched: n(r.last_fetched),
              last_exception: r.last_exception === null ? null : String(r.last_exception),
              last_exception_at: n(r.last_exception_at),
              last_exception_count: Number(r.last_exception_count),
              date_deprecated: n(r.date_deprecated),
              claimed_by: r.claimed_by === null ? null : String(r.claimed_by),
              fetch_repo: r.fetch_repo === null ? null : String(r.fetch_repo),
              fetch_pypi: r.fetch_pypi === null ? null : String(r.fetch_pypi)
            }
          ])
        )
      })
    )

  const row = async (slug: string) => {
    const r = (await rows()).get(slug)
    if (r === undefined) throw new Error(`no package ${slug}`)
    return r
  }

  /** The domain model of one package. */
  const pkg = (slug: string) => run(Effect.flatMap(Packages, (p) => p.get({ slug })))

  /** Raw SQL on the test database. */
  const query = <A extends object = Record<string, unknown>>(
    f: (sql: SqlClient.SqlClient) => Effect.Effect<ReadonlyArray<A>, unknown>
  ) => run(Effect.flatMap(SqlClient.SqlClient, f))

  return { run, seed, refresh, rows, row, pkg, query }
}

/** Microseconds now. */
export const nowMicros = () => Date.now() * 1000

/** A regular expression for every GitHub request about `synthetic-n`'s repository. */
export const githubPaths = (n: number) => new RegExp(`^/repos/synthetic/synthetic-${n}(?:[/?]|$)`)
