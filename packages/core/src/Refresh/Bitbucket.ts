/**
 * Bitbucket Cloud: repository facts from the 2.0 API.
 *
 * The reference counted forks and watchers as the length of the first page (so at most 10); here they
 * are the collections' `size`, or, when a host leaves it out, the values of every page following `next`.
 * Bitbucket has no stars: watchers stand in for them, as in the reference.
 *
 * Requests per package: first fetch 3 + one per 100 commits of the default branch (the reference
 * walked every commit too, for the count). Re-run: the repository, forks and watchers conditionally
 * (watching does not change the repository's ETag, so a 304 there is not enough); when all three are
 * 304 nothing else is asked. Otherwise only the commits newer than the newest one seen last time are
 * paged through (newest first, stopping at it).
 */
import { Config, Effect, Layer, Option, Schema } from "effect"
import { repoPath } from "../Domain/RepoUrl.ts"
import type { Timestamp } from "../Domain/Timestamp.ts"
import { RepoFacts } from "./Facts.ts"
import { type Fresh, Http, UpstreamFailed, UpstreamNotFound, type UpstreamError } from "./Http.ts"
import {
  cachedValue,
  currentTimestamp,
  decodeBody,
  entryOf,
  type FetchEntry,
  type FetchState,
  historyEntries,
  movedTo,
  previousEntry,
  type RepoFetch,
  RepoHost,
  type RepoHostService,
  timestampOrNull,
  validatorsOf,
  WeeksSnapshot
} from "./RepoHost.ts"
import { addCommits, bucketWeeks, planWeeks, shiftWeeks } from "./Weeks.ts"

export interface BitbucketConfig {
  /** `https://api.bitbucket.org/2.0` unless PACKGRID_BITBUCKET_API says otherwise. */
  readonly baseUrl: string
}

export const BitbucketConfig: Config.Config<BitbucketConfig> = Config.all({
  baseUrl: Config.string("PACKGRID_BITBUCKET_API").pipe(Config.withDefault("https://api.bitbucket.org/2.0"))
})

const HOST = "bitbucket"
const SOURCE = "bitbucket"
const MAX_COMMIT_PAGES = 50
const MAX_PARTICIPANTS = 100

const Repository = Schema.Struct({
  full_name: Schema.String,
  description: Schema.NullishOr(Schema.String),
  links: Schema.optional(Schema.Struct({ html: Schema.optional(Schema.Struct({ href: Schema.String })) })),
  mainbranch: Schema.optional(Schema.NullOr(Schema.Struct({ name: Schema.String }))),
  updated_on: Schema.optional(Schema.NullOr(Schema.String))
})
const Envelope = Schema.Struct({
  values: Schema.Array(Schema.Unknown),
  size: Schema.optional(Schema.Number),
  next: Schema.optional(Schema.String)
})
const Commit = Schema.Struct({
  hash: Schema.String,
  date: Schema.optional(Schema.String),
  author: Schema.optional(
    Schema.Struct({
      raw: Schema.optional(Schema.String),
      user: Schema.optional(Schema.NullOr(Schema.Struct({ nickname: Schema.optional(Schema.String) })))
    })
  )
})
const CommitPage = Schema.Struct({ values: Schema.Array(Commit), next: Schema.optional(Schema.String) })

const RepoSeen = Schema.Struct({ updated_on: Schema.NullOr(Schema.String) })
const CountSeen = Schema.Struct({ count: Schema.Number })
const HistorySeen = Schema.Struct({
  head: Schema.NullOr(Schema.String),
  count: Schema.Number,
  last: Schema.NullOr(Schema.Number),
  participants: Schema.Array(Schema.String)
})

// A commit author's Bitbucket nickname, else the name part of the raw "Name <email>" (never the email).
const authorOf = (c: typeof Commit.Type): string | undefined =>
  c.author?.user?.nickname ?? c.author?.raw?.replace(/\s*<[^>]*>\s*$/, "").trim() ?? undefined

/** A Bitbucket Cloud adapter. */
export const make = (config: BitbucketConfig): Effect.Effect<RepoHostService, never, Http> =>
  Effect.gen(function* () {
    const http = yield* Http
    const base = config.baseUrl.replace(/\/+$/, "")

    // A collection's size: `size` when given, else every page counted.
    const sizeOf = (previous: FetchState | null, key: string, url: string) =>
      Effect.gen(function* () {
        const prior = previousEntry(previous, SOURCE, key, url)
        const cached = cachedValue(prior, CountSeen)
        const reply = yield* http.get(HOST, url, {
          validators: Option.isSome(cached) ? validatorsOf(prior) : undefined
        })
        if (reply._tag === "NotModified" && Option.isSome(cached) && prior !== undefined) {
          return { count: cached.value.count, entry: prior, changed: false }
        }
        if (reply._tag === "NotModified") {
          return yield* new UpstreamFailed({ host: HOST, url, status: 304, message: "304 without a cached answer" })
        }
        const first = yield* decodeBody(Envelope, HOST, url)(reply.body)
        let count = first.size
        if (count === undefined) {
          const rest: Array<Fresh> =
            first.next === undefined ? [] : yield* http.getAll(HOST, first.next, { next: (p) => (p.body as any)?.next })
          count = first.values.length
          for (const page of rest) count += (yield* decodeBody(Envelope, HOST, page.url)(page.body)).values.length
        }
        return { count, entry: entryOf<{ count: number }>(url, reply.validators, { count }), changed: true }
      })

    const fetch = (repoUrl: string, previous: FetchState | null): Effect.Effect<RepoFetch, UpstreamError> =>
      Effect.gen(function* () {
        const asOf = yield* currentTimestamp
        const [workspace, slug] = repoPath(repoUrl).split("/")
        if (workspace === undefined || slug === undefined)
          return yield* new UpstreamNotFound({ host: HOST, url: repoUrl })
        const api = `${base}/repositories/${encodeURIComponent(workspace)}/${encodeURIComponent(slug)}`
        const prior = previousEntry(previous, SOURCE, "repo", api)
        const cachedRepo = cachedValue(prior, RepoSeen)

        const [repoReply, forks, watchers] = yield* Effect.all(
          [
            http.get(HOST, api, { validators: Option.isSome(cachedRepo) ? validatorsOf(prior) : undefined }),
            sizeOf(previous, "forks", `${api}/forks`),
            sizeOf(previous, "watchers", `${api}/watchers`)
          ],
          { concurrency: 3 }
        )
        if (repoReply._tag === "NotModified" && !forks.changed && !watchers.changed && previous !== null) {
          return { _tag: "NotModified", state: previous } as const
        }
        let repo: typeof Repository.Type
        let repoEntry: FetchEntry
        if (repoReply._tag === "NotModified") {
          // The repository is unchanged but its forks or watchers moved: the stored description still holds.
          const seen = previous?.entries["repo_body"]
          const body = yield* decodeBody(Repository, HOST, api)(seen?.value)
          repo = body
          repoEntry = prior!
        } else {
          repo = yield* decodeBody(Repository, HOST, api)(repoReply.body)
          repoEntry = entryOf(api, repoReply.validators, { updated_on: repo.updated_on ?? null })
        }
        const updatedOn = repo.updated_on ?? null

        const branch = repo.mainbranch?.name ?? null
        const commitsUrl = `${api}/commits${branch === null ? "" : `/${encodeURIComponent(branch)}`}`
        const cachedHistory = cachedValue(previousEntry(previous, SOURCE, "history", commitsUrl), HistorySeen)
        const cachedWeeks = cachedValue(previousEntry(previous, SOURCE, "weeks", commitsUrl), WeeksSnapshot).pipe(
          Option.filter((w) => w.weeks !== null)
        )
        const quiet =
          repoReply._tag === "NotModified" ||
          cachedRepo.pipe(Option.exists((seen) => seen.updated_on === updatedOn && updatedOn !== null))

        let history: typeof HistorySeen.Type
        let weeks: ReadonlyArray<number>
        if (quiet && Option.isSome(cachedHistory) && Option.isSome(cachedWeeks)) {
          history = cachedHistory.value
          weeks = shiftWeeks(cachedWeeks.value.weeks!, cachedWeeks.value.asOf as Timestamp, asOf)
        } else {
          const previousHistory = Option.getOrNull(cachedHistory)
          const plan = planWeeks(
            Option.match(cachedWeeks, {
              onNone: () => null,
              onSome: (w) => ({ weeks: w.weeks!, asOf: w.asOf as Timestamp })
            }),
            asOf
          )
          // Newest first. When the last count is recent, stop at the newest commit seen then (Bitbucket
          // ignores `since`) and add what is new; otherwise walk the whole history, which the count needs.
          const stopAt = plan.incremental ? (previousHistory?.head ?? null) : null
          const fresh: Array<typeof Commit.Type> = []
          let reachedKnown = false
          let url: string | undefined = `${commitsUrl}?pagelen=100`
          for (let pages = 0; url !== undefined && pages < MAX_COMMIT_PAGES && !reachedKnown; pages++) {
            const reply: Fresh = yield* http.getFresh(HOST, url)
            const page: typeof CommitPage.Type = yield* decodeBody(CommitPage, HOST, url)(reply.body)
            for (const c of page.values) {
              if (c.hash === stopAt) {
                reachedKnown = true
                break
              }
              fresh.push(c)
            }
            url = page.next === undefined ? undefined : new URL(page.next, url).href
          }
          const dates = fresh.flatMap((c) => {
            const t = timestampOrNull(c.date)
            return t === null ? [] : [t]
          })
          const authors = fresh.flatMap((c) => {
            const a = authorOf(c)
            return a === undefined || a === "" ? [] : [a]
          })
          const known = reachedKnown ? previousHistory : null
          history = {
            head: fresh[0]?.hash ?? known?.head ?? null,
            // A history longer than the page cap gives a lower bound.
            count: (known?.count ?? 0) + fresh.length,
            last: dates.length > 0 ? Math.max(...dates) : (known?.last ?? null),
            participants: [...new Set([...authors, ...(known?.participants ?? [])])].slice(0, MAX_PARTICIPANTS)
          }
          // New commits count in their own week even when dated before the last run (pushed later).
          weeks = known !== null ? addCommits(plan.base, dates, asOf) : bucketWeeks(dates, asOf)
        }

        const html = repo.links?.html?.href ?? repoUrl
        const facts = new RepoFacts({
          host: "bitbucket",
          repo_url: html,
          stars: Math.max(0, watchers.count),
          forks: Math.max(0, forks.count),
          description: repo.description ?? "",
          archived: false,
          archived_at: null,
          open_issues: null,
          participants: history.participants.length > 0 ? history.participants : [workspace],
          contributors: null,
          commit_count: history.count,
          last_commit_date: history.last as Timestamp | null,
          commits_over_52w: weeks,
          default_branch: branch,
          topics: [],
          moved_to: movedTo(repoUrl, html)
        })
        const state: FetchState = {
          source: SOURCE,
          fetchedAt: asOf,
          entries: {
            repo: repoEntry,
            repo_body: { url: api, value: Schema.encodeSync(Repository)(repo) },
            forks: forks.entry,
            watchers: watchers.entry,
            ...historyEntries(commitsUrl, HistorySeen, history, weeks, asOf)
          }
        }
        return { _tag: "Fetched", facts, state } as const
      }).pipe(Effect.withSpan("Refresh.Bitbucket.fetch", { attributes: { repoUrl } }))

    return { name: SOURCE, fetch } satisfies RepoHostService
  })

/** The Bitbucket adapter with an explicit configuration. */
export const layerWith = (config: BitbucketConfig): Layer.Layer<RepoHost, never, Http> =>
  Layer.effect(RepoHost, make(config))
