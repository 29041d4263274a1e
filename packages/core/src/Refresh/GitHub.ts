/**
 * GitHub: repository facts from the REST API.
 *
 * Requests per package (what the quota pays for):
 * - first fetch: 4 — the repository, `contributors?per_page=100`, `commits?per_page=1` (the newest commit,
 *   and the total from the `rel="last"` page number) and `stats/participation` (52 weeks); one more, the
 *   last contributors page, to count contributors exactly when there are more than 100;
 * - re-run, repository unchanged: 1 conditional request answered 304, which GitHub does not count against
 *   the quota when authenticated — so 0 quota;
 * - re-run, metadata changed (stars, description) but no push (`pushed_at` unchanged): 1; contributors,
 *   commits and participation are reused and the weeks shifted locally;
 * - re-run after a push: 4, the three sub-resources conditional (a 304 among them is free);
 * - re-run after GitHub answered 202 ("statistics being computed") for the weeks: 2, the repository (304)
 *   and the statistics again; the weeks stay null ("keep what you have") until GitHub has them.
 * The reference spent a `/rate_limit` probe, the repository, one request per 100 contributors, the newest
 * commit and the statistics on every run, whether anything had changed or not.
 */
import { Config, Effect, Layer, Option, Redacted, Schema } from "effect"
import { repoPath } from "../Domain/RepoUrl.ts"
import type { Timestamp } from "../Domain/Timestamp.ts"
import { RepoFacts, Weeks52 } from "./Facts.ts"
import { type Fresh, Http, UpstreamFailed, UpstreamNotFound, type UpstreamError } from "./Http.ts"
import {
  cachedValue,
  countOf,
  countOrNull,
  currentTimestamp,
  decodeBody,
  entryOf,
  type FetchEntry,
  type FetchState,
  movedTo,
  previousEntry,
  type RepoFetch,
  RepoHost,
  type RepoHostService,
  timestampOrNull,
  validatorsOf,
  WeeksSnapshot
} from "./RepoHost.ts"
import { shiftWeeks } from "./Weeks.ts"

export interface GitHubConfig {
  /** The API root, `https://api.github.com` unless PACKGRID_GITHUB_API says otherwise. */
  readonly baseUrl: string
  /** GITHUB_TOKEN: 5,000 requests/h instead of 60, and 304s become free. Never logged. */
  readonly token: Option.Option<Redacted.Redacted>
}

/** Read from PACKGRID_GITHUB_API and GITHUB_TOKEN. */
export const GitHubConfig: Config.Config<GitHubConfig> = Config.all({
  baseUrl: Config.string("PACKGRID_GITHUB_API").pipe(Config.withDefault("https://api.github.com")),
  token: Config.option(Config.redacted("GITHUB_TOKEN"))
})

const HOST = "github"
const SOURCE = "github"

const Repository = Schema.Struct({
  full_name: Schema.String,
  html_url: Schema.String,
  description: Schema.NullishOr(Schema.String),
  stargazers_count: Schema.Number,
  forks_count: Schema.Number,
  open_issues_count: Schema.optional(Schema.NullOr(Schema.Number)),
  archived: Schema.optional(Schema.Boolean),
  default_branch: Schema.optional(Schema.NullOr(Schema.String)),
  topics: Schema.optional(Schema.Array(Schema.String)),
  pushed_at: Schema.optional(Schema.NullOr(Schema.String))
})

const Contributors = Schema.Array(Schema.Struct({ login: Schema.optional(Schema.String) }))
const Commits = Schema.Array(
  Schema.Struct({
    commit: Schema.Struct({
      committer: Schema.optional(Schema.NullOr(Schema.Struct({ date: Schema.optional(Schema.String) }))),
      author: Schema.optional(Schema.NullOr(Schema.Struct({ date: Schema.optional(Schema.String) })))
    })
  })
)
const Participation = Schema.Struct({ all: Weeks52 })

// What the state keeps of each resource.
const ContributorsSeen = Schema.Struct({ logins: Schema.Array(Schema.String), count: Schema.Number })
const CommitsSeen = Schema.Struct({ count: Schema.Number, last: Schema.NullOr(Schema.Number) })

const pageNumber = (url: string | undefined): number | null => {
  if (url === undefined) return null
  const page = new URL(url).searchParams.get("page")
  return page === null || !/^\d+$/.test(page) ? null : Number(page)
}

/** A GitHub adapter talking to `config.baseUrl`. */
export const make = (config: GitHubConfig): Effect.Effect<RepoHostService, never, Http> =>
  Effect.gen(function* () {
    const http = yield* Http
    const base = config.baseUrl.replace(/\/+$/, "")
    const apiOf = (fullName: string) => `${base}/repos/${fullName.split("/").map(encodeURIComponent).join("/")}`
    const headers: Record<string, string> = {
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
      ...Option.match(config.token, {
        onNone: () => ({}),
        onSome: (token) => ({ authorization: `Bearer ${Redacted.value(token)}` })
      })
    }

    // One resource, conditional when the previous state has a value to fall back on.
    const resource = <A, I>(
      previous: FetchState | null,
      key: string,
      url: string,
      seen: Schema.Schema<A, I>,
      read: (reply: Fresh) => Effect.Effect<A, UpstreamError>
    ): Effect.Effect<{ readonly value: A; readonly entry: FetchEntry }, UpstreamError> =>
      Effect.gen(function* () {
        const prior = previousEntry(previous, SOURCE, key, url)
        const cached = cachedValue(prior, seen)
        const reply = yield* http.get(HOST, url, {
          headers,
          validators: Option.isSome(cached) ? validatorsOf(prior) : undefined
        })
        if (reply._tag === "NotModified" && Option.isSome(cached) && prior !== undefined) {
          return { value: cached.value, entry: prior }
        }
        if (reply._tag === "NotModified") {
          return yield* new UpstreamFailed({ host: HOST, url, status: 304, message: "304 without a cached answer" })
        }
        const value = yield* read(reply)
        return { value, entry: entryOf(url, reply.validators, Schema.encodeSync(seen)(value)) }
      })

    const contributors = (previous: FetchState | null, api: string) => {
      const url = `${api}/contributors?per_page=100`
      return resource(previous, "contributors", url, ContributorsSeen, (reply) =>
        Effect.gen(function* () {
          const page = reply.status === 204 ? [] : yield* decodeBody(Contributors, HOST, url)(reply.body)
          // The reference keeps every login in GitHub's order (most contributions first); we keep the first
          // 100 and count the rest from the last page instead of walking every page.
          const logins = [...new Set(page.flatMap((c) => (c.login === undefined ? [] : [c.login])))]
          const lastUrl = reply.links["last"]
          const lastPage = pageNumber(lastUrl)
          if (lastUrl === undefined || lastPage === null || lastPage <= 1) return { logins, count: page.length }
          const last = yield* http.getFresh(HOST, lastUrl, { headers })
          const lastItems = yield* decodeBody(Contributors, HOST, lastUrl)(last.body)
          return { logins, count: (lastPage - 1) * 100 + lastItems.length }
        })
      ).pipe(
        // GitHub refuses (403) to list contributors of very large histories; that is not the repository's fault.
        Effect.catchIf(
          (e) => e._tag === "UpstreamFailed" && e.status === 403,
          () => Effect.succeed({ value: { logins: [], count: 0 }, entry: { url } })
        )
      )
    }

    // The default branch's commits (GitHub's default), newest first.
    const commits = (previous: FetchState | null, api: string) => {
      const url = `${api}/commits?per_page=1`
      return resource(previous, "commits", url, CommitsSeen, (reply) =>
        Effect.gen(function* () {
          const list = reply.status === 204 ? [] : yield* decodeBody(Commits, HOST, url)(reply.body)
          const newest = list[0]?.commit
          const last = timestampOrNull(newest?.committer?.date ?? newest?.author?.date)
          // With per_page=1 the last page number is the number of commits; without a Link there are 0 or 1.
          return { count: pageNumber(reply.links["last"]) ?? list.length, last }
        })
      ).pipe(
        // GitHub answers 409 "Git Repository is empty" for a repository without commits.
        Effect.catchIf(
          (e) => e._tag === "UpstreamFailed" && e.status === 409,
          () => Effect.succeed({ value: { count: 0, last: null }, entry: { url } })
        )
      )
    }

    const participation = (previous: FetchState | null, api: string, asOf: Timestamp) => {
      const url = `${api}/stats/participation`
      const prior = previousEntry(previous, SOURCE, "weeks", url)
      const cached = cachedValue(prior, WeeksSnapshot)
      const fallback = Option.match(cached, {
        onNone: () => ({ weeks: null, asOf }),
        onSome: (c) => c
      })
      return resource(previous, "weeks", url, WeeksSnapshot, (reply) => {
        // 202: GitHub is computing the statistics; 204: an empty repository. Neither is new data.
        if (reply.status === 202) return Effect.succeed(fallback)
        if (reply.status === 204) return Effect.succeed({ weeks: null, asOf })
        return Effect.map(decodeBody(Participation, HOST, url)(reply.body), (p) => ({ weeks: p.all, asOf }))
      }).pipe(
        Effect.map(({ value, entry }) =>
          // A "being computed" answer must not be revalidated later as if it were the data.
          value === fallback && prior !== undefined ? { value, entry: prior } : { value, entry }
        )
      )
    }

    // The repository itself; a 301 (renamed or transferred) is followed once to learn the new name.
    const repository = (previous: FetchState | null, url: string) =>
      Effect.gen(function* () {
        const prior = previousEntry(previous, SOURCE, "repo", url)
        const reply = yield* http.get(HOST, url, { headers, validators: validatorsOf(prior) }).pipe(
          Effect.catchTag("RepoMoved", (moved) =>
            http.getFresh(HOST, moved.location, { headers }).pipe(
              Effect.flatMap((followed) =>
                Effect.map(decodeBody(Repository, HOST, moved.location)(followed.body), (repo) => ({
                  ...followed,
                  body: repo,
                  movedTo: repo.html_url
                }))
              ),
              Effect.catchAll(() => Effect.fail(moved))
            )
          )
        )
        return { prior, reply }
      })

    const fetch = (repoUrl: string, previous: FetchState | null): Effect.Effect<RepoFetch, UpstreamError> =>
      Effect.gen(function* () {
        const asOf = yield* currentTimestamp
        const [owner, name] = repoPath(repoUrl).split("/")
        if (owner === undefined || name === undefined) {
          return yield* new UpstreamNotFound({ host: HOST, url: repoUrl })
        }
        const url = `${base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`
        const { prior, reply } = yield* repository(previous, url)
        let repo: typeof Repository.Type
        let unpushed: boolean
        let weeksFirst: { readonly value: typeof WeeksSnapshot.Type; readonly entry: FetchEntry } | undefined
        if (reply._tag === "NotModified") {
          const seen = cachedValue(prior, Repository)
          if (previous === null || Option.isNone(seen)) {
            return yield* new UpstreamFailed({ host: HOST, url, status: 304, message: "304 without a cached answer" })
          }
          // Unchanged; only statistics GitHub was still computing last time (202) are worth asking again.
          const weeksKnown = cachedValue(previous.entries["weeks"], WeeksSnapshot).pipe(
            Option.exists((w) => w.weeks !== null)
          )
          if (weeksKnown) return { _tag: "NotModified", state: previous } as const
          weeksFirst = yield* participation(previous, apiOf(seen.value.full_name), asOf)
          if (weeksFirst.value.weeks === null) return { _tag: "NotModified", state: previous } as const
          repo = seen.value
          unpushed = true
        } else {
          repo = yield* decodeBody(Repository, HOST, url)(reply.body)
          // Nothing was pushed since last time: the commits and contributors are what we have.
          unpushed = cachedValue(prior, Repository).pipe(
            Option.exists(
              (seen) => seen.pushed_at === repo.pushed_at && repo.pushed_at !== null && repo.pushed_at !== undefined
            )
          )
        }
        const api = apiOf(repo.full_name)
        const reuse = <A, I>(key: string, schema: Schema.Schema<A, I>) => {
          if (!unpushed || previous === null) return Option.none()
          const entry = previous.entries[key]
          return Option.map(cachedValue(entry, schema), (value) => ({ value, entry: entry! }))
        }
        const weeksCached =
          weeksFirst !== undefined
            ? Option.some(weeksFirst)
            : reuse("weeks", WeeksSnapshot).pipe(Option.filter((w) => w.value.weeks !== null))

        const [people, history, weeks] = yield* Effect.all(
          [
            Option.match(reuse("contributors", ContributorsSeen), {
              onNone: () => contributors(previous, api),
              onSome: Effect.succeed
            }),
            Option.match(reuse("commits", CommitsSeen), {
              onNone: () => commits(previous, api),
              onSome: Effect.succeed
            }),
            Option.match(weeksCached, { onNone: () => participation(previous, api, asOf), onSome: Effect.succeed })
          ],
          { concurrency: 3 }
        )

        const redirectedTo = reply._tag === "Fresh" && "movedTo" in reply ? reply.movedTo : null
        const facts = new RepoFacts({
          host: "github",
          repo_url: repo.html_url,
          stars: countOf(repo.stargazers_count),
          forks: countOf(repo.forks_count),
          description: repo.description ?? "",
          archived: repo.archived ?? false,
          archived_at: null,
          // GitHub counts open pull requests as issues here.
          open_issues: countOrNull(repo.open_issues_count),
          participants: people.value.logins,
          contributors: countOf(people.value.count),
          commit_count: countOf(history.value.count),
          last_commit_date: history.value.last as Timestamp | null,
          commits_over_52w:
            weeks.value.weeks === null ? null : shiftWeeks(weeks.value.weeks, weeks.value.asOf as Timestamp, asOf),
          default_branch: repo.default_branch ?? null,
          topics: repo.topics ?? [],
          moved_to: redirectedTo ?? movedTo(repoUrl, repo.html_url)
        })
        const state: FetchState = {
          source: SOURCE,
          fetchedAt: asOf,
          entries: {
            repo:
              reply._tag === "NotModified"
                ? prior!
                : entryOf(url, reply.validators, Schema.encodeSync(Repository)(repo)),
            contributors: people.entry,
            commits: history.entry,
            weeks: weeks.entry
          }
        }
        return { _tag: "Fetched", facts, state } as const
      }).pipe(Effect.withSpan("Refresh.GitHub.fetch", { attributes: { repoUrl } }))

    return { name: HOST, fetch } satisfies RepoHostService
  })

/** The GitHub adapter with an explicit configuration (tests, the simulator). */
export const layerWith = (config: GitHubConfig): Layer.Layer<RepoHost, never, Http> =>
  Layer.effect(RepoHost, make(config))
