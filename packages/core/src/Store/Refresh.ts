/**
 * The refresh engine's side of the store: which packages are stale, claims on them (so several workers
 * never fetch one package twice), what the adapters remember between runs, and each package's new facts
 * written in one transaction.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import type { Package } from "../Domain/Package.ts"
import type { Timestamp } from "../Domain/Timestamp.ts"
import { FetchState } from "../Refresh/RepoHost.ts"
import { now } from "./Clock.ts"
import { Packages } from "./Packages.ts"
import * as R from "./Rows.ts"
import { rescore } from "./Scores.ts"

/** Packages that failed this many times in a row wait `ERROR_BACKOFF_MICROS` before they are tried again. */
export const MAX_ERRORS = 5
const ERROR_BACKOFF_MICROS = 7 * 24 * 3600 * 1_000_000

export interface ClaimOptions {
  /** Who claims: a worker id unique per process (several may run at once, on several machines). */
  readonly worker: string
  readonly limit: number
  /** Packages fetched before this instant are stale. */
  readonly staleBefore: Timestamp
  /** How long a claim holds if its worker dies without releasing it. */
  readonly leaseMicros: number
  /** Only this package, stale or not. */
  readonly slug?: string | undefined
  /** Every package, stale or not (deprecated ones excepted). */
  readonly all?: boolean | undefined
}

export interface Stored {
  readonly repo: FetchState | null
  readonly pypi: FetchState | null
}

/** A claimed package with what its adapters remembered. */
export interface Claimed {
  readonly pkg: Package
  readonly state: Stored
}

/** The columns a refresh may set (all optional: a failed phase leaves its columns alone). */
export type FactsPatch = Partial<
  Pick<
    Package,
    | "repo_url"
    | "repo_watchers"
    | "repo_forks"
    | "repo_description"
    | "open_issues"
    | "participants"
    | "contributors"
    | "commit_count"
    | "last_commit_date"
    | "commits_over_52w"
    | "topics"
    | "date_repo_archived"
    | "date_deprecated"
    | "pypi_version"
    | "latest_release_date"
    | "pypi_classifiers"
    | "pypi_license"
    | "pypi_licenses"
    | "pypi_requires_python"
    | "supports_python3"
    | "documentation_url"
    | "score"
  >
> & {
  readonly development_status?: number
  readonly vulnerabilities?: ReadonlyArray<unknown>
  readonly search_weight?: number
  readonly package_score?: number
}

export interface ReleaseRow {
  readonly number: string
  readonly upload_time: Timestamp | null
  readonly yanked: boolean
  readonly licenses: ReadonlyArray<string>
  readonly development_status: number
  readonly requires_python: string | null
}

export interface Outcome {
  readonly patch: FactsPatch
  readonly releases: ReadonlyArray<ReleaseRow>
  readonly state: Partial<Stored>
  /** The failure to record, if a phase failed; the facts of the phases that worked are kept. */
  readonly error: string | null
  /** False when nothing was attempted (e.g. every host rate-limited): the package stays stale. */
  readonly attempted: boolean
  /**
   * A phase was put off (its host out of quota): the facts of the phases that ran are written, but
   * `last_fetched` and the error count stay as they were, so the package is still stale for the next run.
   */
  readonly keepStale?: boolean | undefined
}

const JSON_COLUMNS = new Set([
  "participants",
  "commits_over_52w",
  "topics",
  "pypi_classifiers",
  "pypi_licenses",
  "vulnerabilities"
])

const decodeState = Schema.decodeUnknownOption(Schema.parseJson(FetchState))

export class RefreshStore extends Effect.Service<RefreshStore>()("Store.Refresh", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const packages = yield* Packages
    const isPg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })

    /** How many packages a claim with these options would find now (for progress bars). */
    const countStale = (options: Omit<ClaimOptions, "worker" | "limit" | "leaseMicros">) =>
      R.mapReadError(
        Effect.gen(function* () {
          const at = yield* now
          const [row] = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM packages WHERE ${eligible(options, at)}`
          return R.num(row?.n ?? 0)
        })
      )

    const eligible = (options: Omit<ClaimOptions, "worker" | "limit" | "leaseMicros">, at: Timestamp) =>
      sql.and([
        sql`date_deprecated IS NULL`,
        sql`(claimed_until IS NULL OR claimed_until < ${at})`,
        options.slug !== undefined
          ? sql`slug = ${options.slug}`
          : sql.and([
              options.all === true ? sql`1 = 1` : sql`(last_fetched IS NULL OR last_fetched < ${options.staleBefore})`,
              sql`(last_exception_count <= ${MAX_ERRORS} OR last_exception_at < ${at - ERROR_BACKOFF_MICROS})`
            ])
      ])

    /**
     * Claims up to `limit` eligible packages, least recently fetched first, for `leaseMicros`. On
     * PostgreSQL rows locked by another worker's claim are skipped (`FOR UPDATE SKIP LOCKED`); SQLite
     * serialises writers, so the claim transaction alone is enough there.
     */
    const claim = (options: ClaimOptions) =>
      Effect.gen(function* () {
        const at = yield* now
        const lock = isPg ? sql`FOR UPDATE SKIP LOCKED` : sql``
        const claimed = yield* sql.withTransaction(
          sql<{ id: number }>`
            UPDATE packages SET claimed_by = ${options.worker}, claimed_until = ${at + options.leaseMicros}
            WHERE id IN (
              SELECT id FROM packages WHERE ${eligible(options, at)}
              ORDER BY last_fetched ASC NULLS FIRST, id ASC LIMIT ${options.limit} ${lock}
            )
            RETURNING id`
        )
        const ids = claimed.map((r) => R.num(r.id))
        if (ids.length === 0) return [] as Array<Claimed>
        const pkgs = yield* packages.getMany(ids)
        const states = yield* sql<R.Row>`SELECT * FROM fetch_state WHERE ${sql.in("package", ids)}`
        const byId = new Map(states.map((s) => [R.num(s.package), s]))
        const stateOf = (v: unknown) => (typeof v === "string" ? Option.getOrNull(decodeState(v)) : null)
        return pkgs
          .sort((a, b) => (a.last_fetched ?? -1) - (b.last_fetched ?? -1) || a.id - b.id)
          .map((pkg) => ({
            pkg,
            state: { repo: stateOf(byId.get(pkg.id)?.repo), pypi: stateOf(byId.get(pkg.id)?.pypi) }
          }))
      }).pipe(R.mapReadError)

    /** Gives a claim back without writing anything (the package stays as stale as it was). */
    const release = (id: number, worker: string) =>
      R.mapWriteError("Package")(
        Effect.asVoid(
          sql`UPDATE packages SET claimed_by = NULL, claimed_until = NULL WHERE id = ${id} AND claimed_by = ${worker}`
        )
      )

    /** Gives back every claim `worker` still holds (the end of its run, or its interruption). */
    const releaseAll = (worker: string) =>
      R.mapWriteError("Package")(
        Effect.asVoid(sql`UPDATE packages SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ${worker}`)
      )

    /**
     * Writes one package's refresh in one transaction: its new facts, releases and adapter state, the
     * error of a failed phase (keeping the last good facts), and the end of the claim.
     */
    const save = (id: number, worker: string, outcome: Outcome) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const at = yield* now
            const columns: Record<string, unknown> = {}
            for (const [key, value] of Object.entries(outcome.patch)) {
              if (value === undefined) continue
              columns[key] = JSON_COLUMNS.has(key)
                ? JSON.stringify(value)
                : key === "supports_python3"
                  ? R.flagOrNull(value as boolean | null)
                  : value
            }
            if (outcome.keepStale !== true) columns.last_fetched = at
            columns.claimed_by = null
            columns.claimed_until = null
            if (outcome.error === null) {
              if (outcome.keepStale !== true) columns.last_exception_count = 0
            } else {
              columns.last_exception = outcome.error.slice(0, 2000)
              columns.last_exception_at = at
            }
            // The claim must still be ours: after a lapsed lease another worker may own the package.
            const updated = yield* sql`UPDATE packages SET ${sql.update(columns)}, revision = revision + 1${
              outcome.error === null ? sql`` : sql`, last_exception_count = last_exception_count + 1`
            } WHERE id = ${id} AND claimed_by = ${worker} RETURNING id`
            if (updated.length === 0) return false
            if (outcome.releases.length > 0) {
              const rows = outcome.releases.map((r) => ({
                package: id,
                number: r.number,
                upload_time: r.upload_time,
                licenses: R.json(r.licenses),
                development_status: r.development_status,
                requires_python: r.requires_python,
                yanked: R.flag(r.yanked)
              }))
              for (let i = 0; i < rows.length; i += 200) {
                yield* sql`INSERT INTO releases ${sql.insert(rows.slice(i, i + 200))} ON CONFLICT (package, number) DO UPDATE SET
                  upload_time = excluded.upload_time, licenses = excluded.licenses, development_status = excluded.development_status,
                  requires_python = excluded.requires_python, yanked = excluded.yanked`
              }
            }
            if (outcome.state.repo !== undefined || outcome.state.pypi !== undefined) {
              const repo =
                outcome.state.repo === undefined
                  ? undefined
                  : outcome.state.repo === null
                    ? null
                    : JSON.stringify(outcome.state.repo)
              const pypi =
                outcome.state.pypi === undefined
                  ? undefined
                  : outcome.state.pypi === null
                    ? null
                    : JSON.stringify(outcome.state.pypi)
              yield* sql`INSERT INTO fetch_state (package, repo, pypi) VALUES (${id}, ${repo ?? null}, ${pypi ?? null})
                ON CONFLICT (package) DO UPDATE SET repo = ${repo === undefined ? sql`fetch_state.repo` : sql`excluded.repo`},
                pypi = ${pypi === undefined ? sql`fetch_state.pypi` : sql`excluded.pypi`}`
            }
            yield* Effect.provideService(rescore([id], at), SqlClient.SqlClient, sql)
            return true
          })
        )
        .pipe(R.mapWriteError("Package"))

    /** Whether another package already uses `repoUrl` (a moved repository must not take another's URL). */
    const repoUrlTaken = (repoUrl: string, id: number) =>
      R.mapReadError(
        Effect.map(sql`SELECT id FROM packages WHERE repo_url = ${repoUrl} AND id <> ${id}`, (rows) => rows.length > 0)
      )

    return { countStale, claim, release, releaseAll, save, repoUrlTaken } as const
  }),
  dependencies: [Packages.Default]
}) {}
