/**
 * Refreshes packages: PyPI, then the repository host, then the scores, written in one transaction per
 * package (as the reference's `package_updater2`, §3.6). The CLI, the server's scheduler and the API's
 * "refresh this package" all run `run` or `refreshOne` from here.
 *
 * Frugal and safe: a host that reports its quota low is stopped for the rest of the run (its packages
 * stay stale for the next run, nothing is recorded against them); a failed phase keeps the last good
 * facts and records the error; each package's claim is released by its own write, so a crash leaves
 * every package either fully refreshed or untouched, and claims lapse after their lease. Packages put off
 * (a host out of quota, out of time) keep their claim until the run ends, so this run does not take them
 * again, and the end of the run gives every remaining claim back, interrupted or not.
 */
import { Clock, Effect, Option, Ref } from "effect"
import { randomUUID } from "node:crypto"
import type { Package } from "../Domain/Package.ts"
import type { Timestamp } from "../Domain/Timestamp.ts"
import { now } from "../Store/Clock.ts"
import {
  type Claimed,
  type FactsPatch,
  type Outcome,
  RefreshStore,
  type ReleaseRow,
  type Stored
} from "../Store/Refresh.ts"
import type { PypiFacts, RepoFacts } from "./Facts.ts"
import { Http, UpstreamFailed, type UpstreamError } from "./Http.ts"
import { PyPI } from "./PyPI.ts"
import { RepoHosts, weeksAt } from "./RepoHost.ts"

export interface RunOptions {
  readonly limit?: number | undefined
  readonly slug?: string | undefined
  readonly all?: boolean | undefined
  /** Packages fetched longer ago than this are stale (the reference: 24 hours). */
  readonly staleHours?: number | undefined
  /** Stop claiming new packages after this long (the current ones finish). */
  readonly timeBudgetMillis?: number | undefined
  readonly skipPypi?: boolean | undefined
  readonly skipRepo?: boolean | undefined
  /** Packages fetched at once (each host also has its own concurrency limit in Http). */
  readonly concurrency?: number | undefined
  /** A name for this worker in the claims (a random suffix keeps two processes of one name apart). */
  readonly worker?: string | undefined
  /** How long a claim holds if this worker dies without writing or releasing it (default 15 minutes). */
  readonly leaseMillis?: number | undefined
  /** Called after each package, for progress displays. */
  readonly onPackage?: ((event: PackageEvent) => void) | undefined
}

/**
 * What became of one package: `fetched` (new facts written), `not_modified` (every upstream said 304, or
 * there was nothing to ask: the scores and `last_fetched` are written), `failed` (a phase failed: its
 * error is recorded, the other phase's facts written), `deferred` (a host was out of quota: the package
 * stays stale for the next run, nothing is recorded against it), `skipped` (nothing to do with these
 * options, or the claim lapsed before the write).
 */
export type Status = "fetched" | "not_modified" | "failed" | "deferred" | "skipped"

export interface PackageEvent {
  readonly slug: string
  readonly status: Status
  readonly reason: string | null
  readonly done: number
  readonly total: number
}

export interface RunSummary {
  /** The claim token of the run (`<name>/<random>`). */
  readonly worker: string
  /** Packages handled (every status). */
  readonly total: number
  readonly fetched: number
  readonly notModified: number
  readonly deferred: number
  readonly skipped: number
  /** Failed packages by reason (`github UpstreamFailed 500`, `pypi MalformedResponse`, …). */
  readonly failed: Readonly<Record<string, number>>
  /** Requests sent by host during the run (retries included). */
  readonly requests: Readonly<Record<string, number>>
  /** Of those, the conditional requests answered 304 Not Modified, by host. */
  readonly notModifiedReplies: Readonly<Record<string, number>>
  /** Hosts that reported a quota: what is left and when it resets. */
  readonly quota: Readonly<Record<string, { remaining: number | null; resetAt: Timestamp | null }>>
  /** Hosts stopped for the rest of the run (out of quota). */
  readonly stopped: ReadonlyArray<string>
  /** True when the time budget ended the run with stale packages left. */
  readonly outOfTime: boolean
  readonly millis: number
}

const BATCH = 50
const LEASE_MILLIS = 15 * 60 * 1000
const HOSTS = ["github", "gitlab", "bitbucket", "codeberg", "forgejo", "pypi"] as const

/** A short, stable reason for a failure: the error's tag and status, for the summary's "failed by reason". */
const reasonOf = (e: UpstreamError): string => (e._tag === "UpstreamFailed" ? `UpstreamFailed ${e.status}` : e._tag)

const describe = (phase: string, e: UpstreamError) => `${phase}: ${e._tag}: ${e.message}`

const repoPatch = (pkg: Package, facts: RepoFacts, at: Timestamp): FactsPatch => ({
  repo_watchers: facts.stars,
  repo_forks: facts.forks,
  ...(facts.description.trim() === "" ? {} : { repo_description: facts.description.slice(0, 500) }),
  open_issues: facts.open_issues,
  participants: facts.participants,
  contributors: facts.contributors,
  commit_count: facts.commit_count,
  last_commit_date: facts.last_commit_date,
  ...(facts.commits_over_52w === null ? {} : { commits_over_52w: facts.commits_over_52w }),
  ...(facts.topics.length > 0 ? { topics: facts.topics } : {}),
  // Archived is sticky, as in the reference; the host's own date when it gives one.
  ...(facts.archived && pkg.date_repo_archived === null ? { date_repo_archived: facts.archived_at ?? at } : {})
})

const pypiPatch = (pkg: Package, facts: PypiFacts): FactsPatch => ({
  pypi_version: facts.version,
  latest_release_date: facts.upload_time,
  pypi_classifiers: facts.classifiers,
  pypi_license: facts.license,
  pypi_licenses: facts.licenses,
  pypi_requires_python: facts.requires_python,
  // "Cannot tell" keeps what is stored (the reference's rule), but never turns a known answer into null.
  ...(facts.supports_python3 === null ? {} : { supports_python3: facts.supports_python3 }),
  // The reference overwrites an editor's documentation URL with PyPI's; we only fill an empty one.
  ...(pkg.documentation_url === null || pkg.documentation_url === ""
    ? { documentation_url: facts.documentation_url }
    : {}),
  development_status: facts.development_status,
  vulnerabilities: facts.vulnerabilities.map((v) => ({ ...v }))
})

const releaseRows = (facts: PypiFacts): Array<ReleaseRow> =>
  facts.releases.map((r) => ({
    number: r.number,
    upload_time: r.upload_time,
    yanked: r.yanked,
    licenses: r.number === facts.version ? facts.licenses : [],
    development_status: r.number === facts.version ? facts.development_status : 0,
    requires_python: r.number === facts.version ? facts.requires_python : null
  }))

/** A defect in an adapter (a bug, not an upstream failure) fails that package's phase, not the whole run. */
const containDefects = <A>(host: string, url: string, fetch: Effect.Effect<A, UpstreamError>) =>
  Effect.catchAllDefect(fetch, (defect) =>
    Effect.fail(new UpstreamFailed({ host, url, status: null, message: `unexpected: ${String(defect)}` }))
  )

interface PackageResult {
  readonly status: Status
  readonly reason: string | null
}

export class Refresher extends Effect.Service<Refresher>()("Refresh.Refresher", {
  effect: Effect.gen(function* () {
    const store = yield* RefreshStore
    const pypi = yield* PyPI
    const hosts = yield* RepoHosts
    const http = yield* Http

    /** One package: both phases, then its scores, then one write. `stopped` holds hosts out of quota. */
    const refreshOne = (claimed: Claimed, worker: string, options: RunOptions, stopped: Ref.Ref<ReadonlySet<string>>) =>
      Effect.gen(function* () {
        const { pkg, state } = claimed
        const at = yield* now
        let patch: FactsPatch = {}
        let releases: Array<ReleaseRow> = []
        const newState: { -readonly [K in keyof Stored]?: Stored[K] } = {}
        const errors: Array<string> = []
        const reasons: Array<string> = []
        let attempted = false
        let changed = false
        let putOff = false

        const halted = (host: string) => Effect.map(Ref.get(stopped), (s) => s.has(host))
        const stop = (host: string) => Ref.update(stopped, (s) => new Set([...s, host]))

        const adapter = hosts.forHost(pkg.repo_host)
        const wantsPypi = options.skipPypi !== true && pkg.pypi_url.trim() !== ""
        const wantsRepo = options.skipRepo !== true && Option.isSome(adapter)
        if (!wantsPypi && !wantsRepo && (options.skipPypi === true || options.skipRepo === true)) {
          return { status: "skipped", reason: "nothing to fetch with these options" } satisfies PackageResult
        }
        // The repository host is out of quota: ask nothing at all, the package waits for the next run.
        if (wantsRepo && (yield* halted(pkg.repo_host))) {
          return { status: "deferred", reason: `${pkg.repo_host} RateLimited` } satisfies PackageResult
        }

        if (wantsPypi && (yield* halted("pypi"))) putOff = true
        else if (wantsPypi) {
          attempted = true
          const result = yield* Effect.either(
            containDefects("pypi", pkg.pypi_url, pypi.fetch(pkg.pypi_url, state.pypi))
          )
          if (result._tag === "Right") {
            newState.pypi = result.right.state
            if (result.right._tag === "Fetched") {
              changed = true
              patch = { ...patch, ...pypiPatch(pkg, result.right.facts) }
              releases = releaseRows(result.right.facts)
            }
          } else if (result.left._tag === "RateLimited") {
            yield* stop("pypi")
            putOff = true
            reasons.push("pypi RateLimited")
          } else {
            errors.push(describe("PyPI", result.left))
            reasons.push(`pypi ${reasonOf(result.left)}`)
          }
        }

        if (wantsRepo && Option.isSome(adapter)) {
          attempted = true
          const result = yield* Effect.either(
            containDefects(pkg.repo_host, pkg.repo_url, adapter.value.fetch(pkg.repo_url, state.repo))
          )
          if (result._tag === "Right") {
            newState.repo = result.right.state
            if (result.right._tag === "Fetched") {
              changed = true
              const facts = result.right.facts
              patch = { ...patch, ...repoPatch(pkg, facts, at) }
              if (
                facts.moved_to !== null &&
                facts.moved_to !== pkg.repo_url &&
                !(yield* store.repoUrlTaken(facts.moved_to, pkg.id))
              ) {
                patch = { ...patch, repo_url: facts.moved_to }
              }
            } else {
              // Not modified: the weeks still move on.
              const weeks = weeksAt(result.right.state, at)
              if (weeks !== null) patch = { ...patch, commits_over_52w: weeks }
            }
          } else {
            const e = result.left
            if (e._tag === "RateLimited") {
              yield* stop(pkg.repo_host)
              putOff = true
              reasons.push(`${pkg.repo_host} RateLimited`)
            } else {
              errors.push(describe(pkg.repo_host, e))
              reasons.push(`${pkg.repo_host} ${reasonOf(e)}`)
              // The reference deprecates a package whose repository is gone (GitHub 404).
              if (e._tag === "UpstreamNotFound" && pkg.date_deprecated === null)
                patch = { ...patch, date_deprecated: at }
            }
          }
        }

        if (!attempted && putOff)
          return { status: "deferred", reason: reasons[0] ?? "RateLimited" } satisfies PackageResult
        // The scores are recomputed by the store's write, from the stored releases and advisories,
        // in the same transaction: one computation for refreshes, edits and the daily run.
        const outcome: Outcome = {
          patch,
          releases,
          state: newState,
          error: errors.length === 0 ? null : errors.join("; "),
          attempted,
          keepStale: putOff
        }
        const saved = yield* store.save(pkg.id, worker, outcome)
        // Our lease lapsed and another worker took the package: nothing of ours was written.
        if (!saved) return { status: "skipped", reason: "claim lapsed" } satisfies PackageResult
        const status: Status = errors.length > 0 ? "failed" : putOff ? "deferred" : changed ? "fetched" : "not_modified"
        return {
          status,
          reason: status === "not_modified" && !attempted ? "nothing to fetch" : (reasons[0] ?? null)
        } satisfies PackageResult
      })

    /** Refreshes what is stale (or what the options name), in batches of claims, until done or out of time. */
    const run = (options: RunOptions = {}) =>
      Effect.gen(function* () {
        const worker = `${options.worker ?? "worker"}/${randomUUID().slice(0, 8)}`
        const started = yield* Clock.currentTimeMillis
        const at = yield* now
        const staleBefore = (at - (options.staleHours ?? 24) * 3600 * 1_000_000) as Timestamp
        const selection = { staleBefore, slug: options.slug, all: options.all }
        const leaseMicros = (options.leaseMillis ?? LEASE_MILLIS) * 1000
        const concurrency = Math.max(1, options.concurrency ?? 8)
        const total = Math.min(yield* store.countStale(selection), options.limit ?? Number.POSITIVE_INFINITY)
        const before = yield* Effect.forEach(HOSTS, (h) => Effect.map(http.stats(h), (s) => [h, s] as const))
        const stopped = yield* Ref.make<ReadonlySet<string>>(new Set())
        const counts = { fetched: 0, notModified: 0, deferred: 0, skipped: 0, done: 0 }
        const failed: Record<string, number> = {}
        const seen = new Set<number>()
        let outOfTime = false
        const timeIsUp = Effect.map(Clock.currentTimeMillis, (t) => {
          if (options.timeBudgetMillis !== undefined && t - started >= options.timeBudgetMillis) outOfTime = true
          return outOfTime
        })
        const work = Effect.gen(function* () {
          while (counts.done < total) {
            if (yield* timeIsUp) break
            const claimed = yield* store.claim({
              worker,
              limit: Math.min(Math.max(BATCH, concurrency * 2), total - counts.done),
              leaseMicros,
              ...selection
            })
            // Deferred and skipped packages keep their claim until the run ends, so that they are not
            // claimed again in this run; one claimed again after a lapsed lease is not done twice.
            const fresh = claimed.filter((c) => !seen.has(c.pkg.id))
            if (fresh.length === 0) break
            for (const c of fresh) seen.add(c.pkg.id)
            yield* Effect.forEach(
              fresh,
              (c) =>
                // Out of time: the packages not started yet keep their claim until the run's end releases it.
                Effect.flatMap(timeIsUp, (late) =>
                  late
                    ? Effect.void
                    : Effect.tap(refreshOne(c, worker, options, stopped), (r) =>
                        Effect.sync(() => {
                          counts.done += 1
                          if (r.status === "fetched") counts.fetched += 1
                          else if (r.status === "not_modified") counts.notModified += 1
                          else if (r.status === "deferred") counts.deferred += 1
                          else if (r.status === "skipped") counts.skipped += 1
                          else failed[r.reason ?? "unknown"] = (failed[r.reason ?? "unknown"] ?? 0) + 1
                          options.onPackage?.({
                            slug: c.pkg.slug,
                            status: r.status,
                            reason: r.reason,
                            done: counts.done,
                            total
                          })
                        })
                      )
                ),
              { concurrency, discard: true }
            )
          }
        })
        // Whatever ends the run (done, out of time, interrupted, the database gone), the claims still
        // held are given back; if even that fails, they lapse with their lease.
        yield* Effect.ensuring(work, Effect.ignore(store.releaseAll(worker)))
        const requests: Record<string, number> = {}
        const notModifiedReplies: Record<string, number> = {}
        const quota: Record<string, { remaining: number | null; resetAt: Timestamp | null }> = {}
        for (const [host, was] of before) {
          const after = yield* http.stats(host)
          if (after.requests - was.requests > 0) requests[host] = after.requests - was.requests
          if (after.notModified - was.notModified > 0) notModifiedReplies[host] = after.notModified - was.notModified
          const q = yield* http.quota(host)
          if (q.remaining !== null) quota[host] = { remaining: q.remaining, resetAt: q.resetAt }
        }
        return {
          worker,
          total: counts.done,
          fetched: counts.fetched,
          notModified: counts.notModified,
          deferred: counts.deferred,
          skipped: counts.skipped,
          failed,
          requests,
          notModifiedReplies,
          quota,
          stopped: [...(yield* Ref.get(stopped))].sort(),
          outOfTime,
          millis: (yield* Clock.currentTimeMillis) - started
        } satisfies RunSummary
      }).pipe(Effect.withSpan("Refresh.Refresher.run"))

    return { run, refreshOne } as const
  })
}) {}
