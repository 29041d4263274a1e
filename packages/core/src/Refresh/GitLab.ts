/**
 * GitLab (gitlab.com, or a self-hosted GitLab the editor chose): repository facts from the REST API v4.
 *
 * Requests per package: first fetch 4 or more — the project (`/projects/<url-encoded path>`, which is how
 * nested groups are addressed), its contributors, the commit `sequence` of the default branch (the commit
 * count), and the commits of the last 52 weeks, 100 a page (one more, `per_page=1`, when there were none,
 * for the date of the last commit). Re-run: 1 conditional request when the project is unchanged; when only
 * `last_activity_at` is unchanged the commit data is reused; otherwise only the commits since the last run
 * are fetched and added to the shifted weeks (the reference's incremental rule).
 */
import { Config, Effect, Layer, Option, Redacted, Schema } from "effect"
import { repoPath } from "../Domain/RepoUrl.ts"
import type { Timestamp } from "../Domain/Timestamp.ts"
import { RepoFacts } from "./Facts.ts"
import { Http, UpstreamFailed, type UpstreamError } from "./Http.ts"
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

export interface GitLabConfig {
  /** The API root for gitlab.com, `https://gitlab.com/api/v4` unless PACKGRID_GITLAB_API says otherwise. */
  readonly baseUrl: string
  /** GITLAB_TOKEN, optional (public projects need none). Never logged. */
  readonly token: Option.Option<Redacted.Redacted>
  /** API roots of self-hosted instances by host name; otherwise `https://<host>/api/v4`. */
  readonly instances?: Readonly<Record<string, string>>
}

/** Read from PACKGRID_GITLAB_API and GITLAB_TOKEN. */
export const GitLabConfig: Config.Config<GitLabConfig> = Config.all({
  baseUrl: Config.string("PACKGRID_GITLAB_API").pipe(Config.withDefault("https://gitlab.com/api/v4")),
  token: Config.option(Config.redacted("GITLAB_TOKEN"))
})

const SOURCE = "gitlab"
const MAX_COMMIT_PAGES = 20

const Project = Schema.Struct({
  id: Schema.Number,
  web_url: Schema.String,
  description: Schema.NullishOr(Schema.String),
  star_count: Schema.Number,
  forks_count: Schema.Number,
  // Absent when the project's issues are disabled.
  open_issues_count: Schema.optional(Schema.NullOr(Schema.Number)),
  archived: Schema.optional(Schema.Boolean),
  default_branch: Schema.optional(Schema.NullOr(Schema.String)),
  topics: Schema.optional(Schema.Array(Schema.String)),
  last_activity_at: Schema.optional(Schema.NullOr(Schema.String))
})
const Contributors = Schema.Array(Schema.Struct({ name: Schema.String }))
const Commits = Schema.Array(
  Schema.Struct({
    committed_date: Schema.optional(Schema.NullOr(Schema.String)),
    created_at: Schema.optional(Schema.NullOr(Schema.String))
  })
)
const Sequence = Schema.Struct({ count: Schema.Number })

const ProjectSeen = Schema.Struct({ last_activity_at: Schema.NullOr(Schema.String) })
const HistorySeen = Schema.Struct({
  participants: Schema.Array(Schema.String),
  contributors: Schema.NullOr(Schema.Number),
  count: Schema.Number,
  last: Schema.NullOr(Schema.Number)
})

/** A GitLab adapter. */
export const make = (config: GitLabConfig): Effect.Effect<RepoHostService, never, Http> =>
  Effect.gen(function* () {
    const http = yield* Http
    // GitLab accepts personal access tokens as OAuth bearer tokens; `authorization` is redacted in logs.
    const headers: Record<string, string> = Option.match(config.token, {
      onNone: () => ({}),
      onSome: (token) => ({ authorization: `Bearer ${Redacted.value(token)}` })
    })

    const apiFor = (repoUrl: string) => {
      const host = new URL(repoUrl).hostname
      if (host === "gitlab.com") return { base: config.baseUrl.replace(/\/+$/, ""), key: "gitlab" }
      const base = config.instances?.[host] ?? `https://${host}/api/v4`
      return { base: base.replace(/\/+$/, ""), key: `gitlab:${host}` }
    }

    const fetch = (repoUrl: string, previous: FetchState | null): Effect.Effect<RepoFetch, UpstreamError> =>
      Effect.gen(function* () {
        const asOf = yield* currentTimestamp
        const { base, key: host } = apiFor(repoUrl)
        const url = `${base}/projects/${encodeURIComponent(repoPath(repoUrl))}`
        const prior = previousEntry(previous, SOURCE, "project", url)
        const reply = yield* http.get(host, url, { headers, validators: validatorsOf(prior) })
        if (reply._tag === "NotModified" && previous !== null) return { _tag: "NotModified", state: previous } as const
        if (reply._tag === "NotModified") {
          return yield* new UpstreamFailed({ host, url, status: 304, message: "304 without a cached answer" })
        }
        const project = yield* decodeBody(Project, host, url)(reply.body)
        const api = `${base}/projects/${project.id}`
        const lastActivity = project.last_activity_at ?? null

        const historyUrl = `${api}/repository/commits`
        const priorHistory = previousEntry(previous, SOURCE, "history", historyUrl)
        const priorWeeks = previousEntry(previous, SOURCE, "weeks", historyUrl)
        const cachedHistory = cachedValue(priorHistory, HistorySeen)
        const cachedWeeks = cachedValue(priorWeeks, WeeksSnapshot).pipe(Option.filter((w) => w.weeks !== null))
        const quiet = cachedValue(prior, ProjectSeen).pipe(
          Option.exists((seen) => seen.last_activity_at === lastActivity && lastActivity !== null)
        )

        let history: typeof HistorySeen.Type
        let weeks: ReadonlyArray<number>
        if (quiet && Option.isSome(cachedHistory) && Option.isSome(cachedWeeks)) {
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
          const branch = project.default_branch ?? null
          const ref = branch === null ? "" : `&ref_name=${encodeURIComponent(branch)}`
          const [people, total, recent] = yield* Effect.all(
            [
              // The reference reads the first page only, in GitLab's order; ordered by commits, 100 of them.
              http
                .getFresh(host, `${api}/repository/contributors?per_page=100&order=commits&sort=desc`, { headers })
                .pipe(
                  Effect.flatMap((page) =>
                    Effect.map(decodeBody(Contributors, host, page.url)(page.body), (list) => ({
                      // GitLab lists commit authors' display names, not usernames.
                      names: [...new Set(list.map((c) => c.name))],
                      count: Number(page.headers["x-total"] ?? list.length) || list.length
                    }))
                  )
                ),
              branch === null
                ? Effect.succeed(null)
                : http.getFresh(host, `${historyUrl}/${encodeURIComponent(branch)}/sequence`, { headers }).pipe(
                    Effect.flatMap((r) => decodeBody(Sequence, host, r.url)(r.body)),
                    Effect.map((s) => s.count),
                    // Older self-hosted GitLabs have no `sequence`: keep the count we had.
                    Effect.catchTag("UpstreamNotFound", () => Effect.succeed(null))
                  ),
              http.getAll(host, `${historyUrl}?since=${encodeURIComponent(isoOf(plan.since))}&per_page=100${ref}`, {
                headers,
                maxPages: MAX_COMMIT_PAGES
              })
            ],
            { concurrency: 3 }
          )
          const commits = (yield* Effect.forEach(recent, (page) =>
            decodeBody(Commits, host, page.url)(page.body)
          )).flat()
          const dates = commits.flatMap((c) => {
            const t = timestampOrNull(c.committed_date ?? c.created_at)
            return t === null ? [] : [t]
          })
          let last: number | null = dates.length === 0 ? null : Math.max(...dates)
          if (last === null) {
            last = Option.match(cachedHistory, { onNone: () => null, onSome: (h) => h.last })
            if (last === null) {
              const newest = yield* http.getFresh(host, `${historyUrl}?per_page=1${ref}`, { headers })
              const list = yield* decodeBody(Commits, host, newest.url)(newest.body)
              last = timestampOrNull(list[0]?.committed_date ?? list[0]?.created_at)
            }
          }
          history = {
            participants: people.names,
            contributors: people.count,
            count: total ?? Option.match(cachedHistory, { onNone: () => 0, onSome: (h) => h.count }),
            last
          }
          weeks = addCommits(plan.base, dates, asOf, plan.since)
        }

        const facts = new RepoFacts({
          host: "gitlab",
          repo_url: project.web_url,
          stars: countOf(project.star_count),
          forks: countOf(project.forks_count),
          description: project.description ?? "",
          archived: project.archived ?? false,
          archived_at: null,
          open_issues: countOrNull(project.open_issues_count),
          participants: history.participants,
          contributors: history.contributors === null ? null : countOf(history.contributors),
          commit_count: countOf(history.count),
          last_commit_date: history.last as Timestamp | null,
          commits_over_52w: weeks,
          default_branch: project.default_branch ?? null,
          topics: project.topics ?? [],
          moved_to: movedTo(repoUrl, project.web_url)
        })
        const state: FetchState = {
          source: SOURCE,
          fetchedAt: asOf,
          entries: {
            project: entryOf(url, reply.validators, { last_activity_at: lastActivity }),
            ...historyEntries(historyUrl, HistorySeen, history, weeks, asOf)
          }
        }
        return { _tag: "Fetched", facts, state } as const
      }).pipe(Effect.withSpan("Refresh.GitLab.fetch", { attributes: { repoUrl } }))

    return { name: SOURCE, fetch } satisfies RepoHostService
  })

/** The GitLab adapter with an explicit configuration. */
export const layerWith = (config: GitLabConfig): Layer.Layer<RepoHost, never, Http> =>
  Layer.effect(RepoHost, make(config))
