/**
 * Forgejo and Gitea hosts, Codeberg first among them: repository facts from the API v1.
 *
 * Stars are `stars_count`. The reference stored `watchers_count` as the stars of Codeberg and Forgejo
 * packages (watchers are people subscribed to notifications, a much smaller number), which is one reason
 * packages there scored low (§9).
 *
 * Requests per package: first fetch 2–3 — the repository, the newest commit of the default branch
 * (`limit=1`; its `X-Total-Count` is the commit count) and, when that commit falls inside the last 52
 * weeks, the commits since then, 50 a page. Re-run: 1 when the repository is unchanged (a 304, or the
 * same `updated_at`); otherwise the newest commit and only the commits since the last run.
 */
import { Config, Effect, Layer, Option, Schema } from "effect"
import { repoPath } from "../Domain/RepoUrl.ts"
import type { Timestamp } from "../Domain/Timestamp.ts"
import { RepoFacts } from "./Facts.ts"
import { type Fresh, Http, UpstreamFailed, UpstreamNotFound, type UpstreamError } from "./Http.ts"
import {
  cachedValue,
  countOf,
  countOrNull,
  currentTimestamp,
  decodeBody,
  entryOf,
  type FetchState,
  historyEntries,
  isoOf,
  movedTo,
  previousEntry,
  type RepoFetch,
  RepoHost,
  type RepoHostService,
  timestampOrNull,
  validatorsOf,
  WeeksSnapshot
} from "./RepoHost.ts"
import { addCommits, planWeeks, shiftWeeks } from "./Weeks.ts"

export interface ForgejoConfig {
  /** Codeberg's API root, `https://codeberg.org/api/v1` unless PACKGRID_CODEBERG_API says otherwise. */
  readonly codebergUrl: string
  /** API roots of other Forgejo/Gitea instances by host name; otherwise `https://<host>/api/v1`. */
  readonly instances?: Readonly<Record<string, string>>
}

export const ForgejoConfig: Config.Config<ForgejoConfig> = Config.all({
  codebergUrl: Config.string("PACKGRID_CODEBERG_API").pipe(Config.withDefault("https://codeberg.org/api/v1"))
})

const SOURCE = "forgejo"
const MAX_COMMIT_PAGES = 40
const MAX_PARTICIPANTS = 100
// Gitea's default cap on page size (MAX_RESPONSE_ITEMS).
const PAGE = 50
// Leave out what Gitea computes per commit and we do not read.
const LEAN = "stat=false&verification=false&files=false"

const Repository = Schema.Struct({
  full_name: Schema.String,
  html_url: Schema.String,
  description: Schema.NullishOr(Schema.String),
  stars_count: Schema.NullishOr(Schema.Number),
  forks_count: Schema.NullishOr(Schema.Number),
  open_issues_count: Schema.NullishOr(Schema.Number),
  archived: Schema.optional(Schema.Boolean),
  archived_at: Schema.optional(Schema.NullOr(Schema.String)),
  default_branch: Schema.optional(Schema.NullOr(Schema.String)),
  topics: Schema.optional(Schema.NullOr(Schema.Array(Schema.String))),
  updated_at: Schema.optional(Schema.NullOr(Schema.String))
})
const Commits = Schema.Array(
  Schema.Struct({
    created: Schema.optional(Schema.String),
    commit: Schema.optional(
      Schema.Struct({
        author: Schema.optional(
          Schema.NullOr(Schema.Struct({ name: Schema.optional(Schema.String), date: Schema.optional(Schema.String) }))
        ),
        committer: Schema.optional(Schema.NullOr(Schema.Struct({ date: Schema.optional(Schema.String) })))
      })
    ),
    author: Schema.optional(Schema.NullOr(Schema.Struct({ login: Schema.optional(Schema.String) })))
  })
)
type Commit = (typeof Commits.Type)[number]

const RepoSeen = Schema.Struct({ updated_at: Schema.NullOr(Schema.String) })
const HistorySeen = Schema.Struct({
  count: Schema.Number,
  last: Schema.NullOr(Schema.Number),
  participants: Schema.Array(Schema.String)
})

const dateOf = (c: Commit) => timestampOrNull(c.commit?.committer?.date ?? c.commit?.author?.date ?? c.created)
const authorOf = (c: Commit) => c.author?.login ?? c.commit?.author?.name

/** A Forgejo/Gitea adapter (Codeberg and any other instance). */
export const make = (config: ForgejoConfig): Effect.Effect<RepoHostService, never, Http> =>
  Effect.gen(function* () {
    const http = yield* Http

    const apiFor = (repoUrl: string) => {
      const host = new URL(repoUrl).hostname
      if (host === "codeberg.org") return { base: config.codebergUrl.replace(/\/+$/, ""), key: "codeberg" }
      const base = config.instances?.[host] ?? `https://${host}/api/v1`
      return { base: base.replace(/\/+$/, ""), key: `forgejo:${host}` }
    }

    const fetch = (repoUrl: string, previous: FetchState | null): Effect.Effect<RepoFetch, UpstreamError> =>
      Effect.gen(function* () {
        const asOf = yield* currentTimestamp
        const { base, key: host } = apiFor(repoUrl)
        const [owner, name] = repoPath(repoUrl).split("/")
        if (owner === undefined || name === undefined) return yield* new UpstreamNotFound({ host, url: repoUrl })
        const url = `${base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`
        const prior = previousEntry(previous, SOURCE, "repo", url)
        // A renamed repository answers 301 to its new API path: follow it once and report the new address.
        const reply = yield* http
          .get(host, url, { validators: validatorsOf(prior) })
          .pipe(
            Effect.catchTag("RepoMoved", (moved) =>
              http.getFresh(host, moved.location).pipe(Effect.catchAll(() => Effect.fail(moved)))
            )
          )
        if (reply._tag === "NotModified" && previous !== null) return { _tag: "NotModified", state: previous } as const
        if (reply._tag === "NotModified") {
          return yield* new UpstreamFailed({ host, url, status: 304, message: "304 without a cached answer" })
        }
        const repo = yield* decodeBody(Repository, host, url)(reply.body)
        const api = `${base}/repos/${repo.full_name.split("/").map(encodeURIComponent).join("/")}`
        const updatedAt = repo.updated_at ?? null
        const branch = repo.default_branch ?? null
        const commitsUrl = `${api}/commits?${branch === null ? "" : `sha=${encodeURIComponent(branch)}&`}${LEAN}`

        const cachedHistory = cachedValue(previousEntry(previous, SOURCE, "history", commitsUrl), HistorySeen)
        const cachedWeeks = cachedValue(previousEntry(previous, SOURCE, "weeks", commitsUrl), WeeksSnapshot).pipe(
          Option.filter((w) => w.weeks !== null)
        )
        const unchanged = cachedValue(prior, RepoSeen).pipe(
          Option.exists((seen) => seen.updated_at === updatedAt && updatedAt !== null)
        )

        let history: typeof HistorySeen.Type
        let weeks: ReadonlyArray<number>
        if (unchanged && Option.isSome(cachedHistory) && Option.isSome(cachedWeeks)) {
          history = cachedHistory.value
          weeks = shiftWeeks(cachedWeeks.value.weeks!, cachedWeeks.value.asOf as Timestamp, asOf)
        } else {
          const plan = planWeeks(
            Option.match(cachedWeeks, {
              onNone: () => null,
              onSome: (w) => ({ weeks: w.weeks!, asOf: w.asOf as Timestamp })
            }),
            asOf
          )
          const head = yield* http.getFresh(host, `${commitsUrl}&limit=1`)
          const newest = (yield* decodeBody(Commits, host, head.url)(head.body))[0]
          const total = Number(head.headers["x-total-count"])
          const last = newest === undefined ? null : dateOf(newest)
          let recent: ReadonlyArray<Commit> = []
          if (last !== null && last >= plan.since) {
            const pages: Array<Fresh> = yield* http.getAll(
              host,
              `${commitsUrl}&since=${encodeURIComponent(isoOf(plan.since))}&limit=${PAGE}`,
              {
                maxPages: MAX_COMMIT_PAGES
              }
            )
            recent = (yield* Effect.forEach(pages, (p) => decodeBody(Commits, host, p.url)(p.body))).flat()
          }
          const dates = recent.flatMap((c) => {
            const t = dateOf(c)
            return t === null ? [] : [t]
          })
          const authors = recent.flatMap((c) => {
            const a = authorOf(c)
            return a === undefined || a === "" ? [] : [a]
          })
          const before = Option.getOrNull(cachedHistory)
          history = {
            count: Number.isFinite(total) ? total : (before?.count ?? (newest === undefined ? 0 : 1)),
            last,
            // Forgejo has no contributors list: the authors of the commits we read, newest first, then earlier ones.
            participants: [...new Set([...authors, ...(plan.incremental ? (before?.participants ?? []) : [])])].slice(
              0,
              MAX_PARTICIPANTS
            )
          }
          weeks = addCommits(plan.base, dates, asOf, plan.since)
        }

        // Gitea reports "never archived" as the Unix epoch (in the server's zone).
        const archivedAt = timestampOrNull(repo.archived_at)
        const facts = new RepoFacts({
          host: new URL(repoUrl).hostname === "codeberg.org" ? "codeberg" : "forgejo",
          repo_url: repo.html_url,
          stars: countOf(repo.stars_count),
          forks: countOf(repo.forks_count),
          description: repo.description ?? "",
          archived: repo.archived ?? false,
          archived_at: archivedAt !== null && archivedAt > 0 ? archivedAt : null,
          open_issues: countOrNull(repo.open_issues_count),
          participants: history.participants,
          contributors: null,
          commit_count: countOf(history.count),
          last_commit_date: history.last as Timestamp | null,
          commits_over_52w: weeks,
          default_branch: branch,
          topics: repo.topics ?? [],
          moved_to: movedTo(repoUrl, repo.html_url)
        })
        const state: FetchState = {
          source: SOURCE,
          fetchedAt: asOf,
          entries: {
            repo: entryOf(url, reply.validators, { updated_at: updatedAt }),
            ...historyEntries(commitsUrl, HistorySeen, history, weeks, asOf)
          }
        }
        return { _tag: "Fetched", facts, state } as const
      }).pipe(Effect.withSpan("Refresh.Forgejo.fetch", { attributes: { repoUrl } }))

    return { name: SOURCE, fetch } satisfies RepoHostService
  })

/** The Forgejo adapter with an explicit configuration. */
export const layerWith = (config: ForgejoConfig): Layer.Layer<RepoHost, never, Http> =>
  Layer.effect(RepoHost, make(config))
