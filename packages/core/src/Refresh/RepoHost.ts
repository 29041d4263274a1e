/**
 * The interface every repository host adapter implements (GitHub, GitLab, Bitbucket, Forgejo/Codeberg),
 * and what an adapter keeps between two fetches of one repository (`FetchState`): the validators of each
 * resource it asked for, and the parts of the last answer it may reuse when the host says "not modified".
 * The refresher stores the state per package (it is JSON) and hands it back on the next run.
 */
import { Clock, Context, Effect, Either, Option, Schema } from "effect"
import { type RepoHost as RepoHostName } from "../Domain/RepoUrl.ts"
import { parseTimestamp, Timestamp } from "../Domain/Timestamp.ts"
import { type RepoFacts, Weeks52 } from "./Facts.ts"
import { MalformedResponse, type UpstreamError, type Validators } from "./Http.ts"
import { shiftWeeks } from "./Weeks.ts"

/** One resource an adapter asked for: its URL, validators, and what it made of the answer. */
export const FetchEntry = Schema.Struct({
  url: Schema.String,
  etag: Schema.optional(Schema.String),
  lastModified: Schema.optional(Schema.String),
  value: Schema.optional(Schema.Unknown)
})
export type FetchEntry = typeof FetchEntry.Type

/** What an adapter remembers about one repository (or PyPI project) between runs. */
export const FetchState = Schema.Struct({
  /** The adapter that wrote it ("github", "gitlab", "bitbucket", "forgejo", "pypi"); others ignore it. */
  source: Schema.String,
  fetchedAt: Timestamp,
  entries: Schema.Record({ key: Schema.String, value: FetchEntry })
})
export type FetchState = typeof FetchState.Type

/** The facts and the state to store, or "nothing changed since `state`" (keep the stored facts). */
export type RepoFetch =
  | { readonly _tag: "Fetched"; readonly facts: RepoFacts; readonly state: FetchState }
  | { readonly _tag: "NotModified"; readonly state: FetchState }

/** One repository host. */
export interface RepoHostService {
  readonly name: string
  /** Fetches `repoUrl` (a normalised `https://host/owner/repo`), conditionally when `previous` allows. */
  readonly fetch: (repoUrl: string, previous: FetchState | null) => Effect.Effect<RepoFetch, UpstreamError>
}

/** A repository host adapter; several implementations exist, one per kind of host. */
export class RepoHost extends Context.Tag("Refresh.RepoHost")<RepoHost, RepoHostService>() {}

/** Every configured adapter, by the host a package names (`Package.repo_host`); "other" has none. */
export class RepoHosts extends Context.Tag("Refresh.RepoHosts")<
  RepoHosts,
  { readonly forHost: (host: RepoHostName) => Option.Option<RepoHostService> }
>() {}

/** The 52-week counts as made at `asOf` (µs); adapters keep it under the state's `weeks` entry. */
export const WeeksSnapshot = Schema.Struct({ weeks: Schema.NullOr(Weeks52), asOf: Schema.Number })

/**
 * The 52-week counts a state holds, moved to the weeks of `asOf`: what to store after a `NotModified`
 * answer, since the weeks move on even when the repository does not. Null when the state has none.
 */
export const weeksAt = (state: FetchState, asOf: Timestamp): Array<number> | null =>
  Option.match(cachedValue(state.entries["weeks"], WeeksSnapshot), {
    onNone: () => null,
    onSome: ({ weeks, asOf: madeAt }) => (weeks === null ? null : shiftWeeks(weeks, madeAt as Timestamp, asOf))
  })

// ---------------------------------------------------------------------------------------------------
// Helpers for adapters

/** Now, as a Timestamp (through Effect's Clock, so tests can move it). */
export const currentTimestamp: Effect.Effect<Timestamp> = Effect.map(
  Clock.currentTimeMillis,
  (ms) => (ms * 1000) as Timestamp
)

/** The previous state's entry `key`, if it was written by `source` for the same URL. */
export const previousEntry = (
  previous: FetchState | null,
  source: string,
  key: string,
  url: string
): FetchEntry | undefined => {
  if (previous === null || previous.source !== source) return undefined
  const entry = previous.entries[key]
  return entry?.url === url ? entry : undefined
}

/** The validators to send for an entry, only when its value can stand in for a 304's missing body. */
export const validatorsOf = (entry: FetchEntry | undefined): Validators | undefined =>
  entry === undefined || entry.value === undefined
    ? undefined
    : {
        ...(entry.etag === undefined ? {} : { etag: entry.etag }),
        ...(entry.lastModified === undefined ? {} : { lastModified: entry.lastModified })
      }

/** An entry's stored value, decoded; none when absent or written by an older shape. */
export const cachedValue = <A, I>(entry: FetchEntry | undefined, schema: Schema.Schema<A, I>): Option.Option<A> =>
  entry === undefined || entry.value === undefined ? Option.none() : Schema.decodeUnknownOption(schema)(entry.value)

/** An entry to store: the URL, the validators of the answer, and the value made of it. */
export const entryOf = <I>(url: string, validators: Validators, value: I): FetchEntry => ({
  url,
  ...validators,
  value
})

/** Decodes an upstream body, failing `MalformedResponse` with the schema's complaint. */
export const decodeBody =
  <A, I>(schema: Schema.Schema<A, I>, host: string, url: string) =>
  (body: unknown): Effect.Effect<A, MalformedResponse> =>
    Schema.decodeUnknown(schema)(body).pipe(
      Effect.mapError((e) => new MalformedResponse({ host, url, message: e.message }))
    )

/** Parses an upstream ISO date; null when absent or unreadable (hosts send odd things for "never"). */
export const timestampOrNull = (value: string | null | undefined): Timestamp | null => {
  if (value === null || value === undefined || value === "") return null
  const parsed = parseTimestamp(value)
  if (Either.isRight(parsed)) return parsed.right
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : ((ms * 1000) as Timestamp)
}

/** An upstream count as stored: a non-negative integer, 0 when the host sends none. */
export const countOf = (n: number | null | undefined): number =>
  n === null || n === undefined ? 0 : Math.max(0, Math.trunc(n))

/** An upstream count that may be unknown (open issues): null stays null. */
export const countOrNull = (n: number | null | undefined): number | null =>
  n === null || n === undefined ? null : countOf(n)

/** A microsecond instant as the ISO string hosts take in `since` parameters. */
export const isoOf = (t: Timestamp): string => new Date(Math.floor(t / 1000)).toISOString()

/**
 * Where a repository now lives when the host answers for it under another address (a rename or a
 * transfer), else null. Case alone is no move: hosts match owner and name case-insensitively.
 */
export const movedTo = (repoUrl: string, canonical: string): string | null =>
  canonical.toLowerCase() === repoUrl.toLowerCase() ? null : canonical

/**
 * The state's `history` and `weeks` entries of an adapter that walks commits itself: what the walk saw
 * (so the next run asks only for newer commits) and the weeks it made, as of `asOf`.
 */
export const historyEntries = <A, I>(
  commitsUrl: string,
  schema: Schema.Schema<A, I>,
  history: A,
  weeks: ReadonlyArray<number>,
  asOf: Timestamp
): { readonly history: FetchEntry; readonly weeks: FetchEntry } => ({
  history: entryOf(commitsUrl, {}, Schema.encodeSync(schema)(history)),
  weeks: entryOf(commitsUrl, {}, { weeks, asOf })
})
