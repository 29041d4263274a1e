/**
 * The HTTP behaviour every upstream adapter shares, on `@effect/platform`'s HttpClient: JSON GETs with
 * conditional requests (ETag / Last-Modified, a 304 is "not modified"), `Link` pagination, a per-host
 * rate-limit `Quota` read from every response, waits for `Retry-After` and `x-ratelimit-reset`, retries of
 * 5xx and timeouts with jittered exponential backoff, a per-host concurrency limit and request counters.
 *
 * Hosts are named by the adapter ("github", "pypi", "forgejo:git.example.org"), not by URL, so that a
 * simulator on one port still has five hosts, and each host has its own policy (`HttpSettings`).
 */
import { FetchHttpClient, type Headers, HttpClient, HttpClientRequest } from "@effect/platform"
import { Clock, Context, Duration, Effect, Schedule, Schema } from "effect"
import { Timestamp } from "../Domain/Timestamp.ts"

// ---------------------------------------------------------------------------------------------------
// Errors

/** The upstream has no such resource (404 or 410): a repository gone, private, or a PyPI name unknown. */
export class UpstreamNotFound extends Schema.TaggedError<UpstreamNotFound>()("UpstreamNotFound", {
  host: Schema.String,
  url: Schema.String
}) {
  override get message() {
    return `${this.host}: ${this.url} was not found`
  }
}

/**
 * A permanent redirect (301/308): the resource lives at `location` now (an API URL). `movedTo`, when an
 * adapter could tell, is the repository's new web URL, to store as the package's `repo_url`.
 */
export class RepoMoved extends Schema.TaggedError<RepoMoved>()("RepoMoved", {
  host: Schema.String,
  url: Schema.String,
  location: Schema.String,
  movedTo: Schema.optional(Schema.String)
}) {
  override get message() {
    return `${this.host}: ${this.url} moved permanently to ${this.movedTo ?? this.location}`
  }
}

/** The host's quota is spent (or nearly: we stop before it is) or it asked us to wait longer than we will. */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  host: Schema.String,
  /** When the host accepts requests again. */
  resetAt: Timestamp,
  reason: Schema.String
}) {
  override get message() {
    return `${this.host}: rate limited until ${new Date(this.resetAt / 1000).toISOString()} (${this.reason})`
  }
}

/** Any other failure: a 4xx we do not expect, or a 5xx / timeout / network error still failing after retries. */
export class UpstreamFailed extends Schema.TaggedError<UpstreamFailed>()("UpstreamFailed", {
  host: Schema.String,
  url: Schema.String,
  /** The HTTP status, or null when no response came (timeout, connection refused). */
  status: Schema.NullOr(Schema.Int),
  message: Schema.String
}) {}

/** A response whose body is not the JSON we expect. */
export class MalformedResponse extends Schema.TaggedError<MalformedResponse>()("MalformedResponse", {
  host: Schema.String,
  url: Schema.String,
  message: Schema.String
}) {}

export type UpstreamError = UpstreamNotFound | RepoMoved | RateLimited | UpstreamFailed | MalformedResponse

// ---------------------------------------------------------------------------------------------------
// Settings

/** How one host is treated. */
export interface HostPolicy {
  /** Requests in flight at once. */
  readonly concurrency: number
  /** Stop (fail `RateLimited`) when the quota's remaining requests fall to this many. */
  readonly reserve: number
  /** Retries after the first attempt, for 5xx, timeouts, network errors and short rate-limit waits. */
  readonly maxRetries: number
  /** First backoff delay; it doubles each retry, with jitter. */
  readonly baseDelay: Duration.DurationInput
  /** Per attempt, from sending to the last byte of the body. */
  readonly timeout: Duration.DurationInput
  /** The longest `Retry-After` or quota reset we sleep through; a longer one fails `RateLimited`. */
  readonly maxWait: Duration.DurationInput
}

export const defaultHostPolicy: HostPolicy = {
  concurrency: 4,
  reserve: 10,
  maxRetries: 3,
  baseDelay: "500 millis",
  timeout: "10 seconds",
  maxWait: "60 seconds"
}

export interface HttpSettingsShape {
  readonly defaults: HostPolicy
  readonly hosts: Readonly<Record<string, Partial<HostPolicy>>>
  /** PyPI asks API consumers for a User-Agent that names them. */
  readonly userAgent: string
}

/** Per-host policies; defaults apply to hosts without an entry. Provide it to change them (tests do). */
export class HttpSettings extends Context.Reference<HttpSettings>()("Refresh.HttpSettings", {
  defaultValue: (): HttpSettingsShape => ({
    defaults: defaultHostPolicy,
    // djangopackages stops its GitHub phase at 50 remaining (its --rate-threshold). PyPI has no limit but
    // asks for few concurrent requests.
    hosts: { github: { reserve: 50 }, pypi: { concurrency: 2 } },
    userAgent: "packgrid-refresh/0.1 (+https://github.com/packgrid)"
  })
}) {}

// ---------------------------------------------------------------------------------------------------
// Responses

/** What a conditional request sends back: the validators of the last 200. */
export const Validators = Schema.Struct({
  etag: Schema.optional(Schema.String),
  lastModified: Schema.optional(Schema.String)
})
export type Validators = typeof Validators.Type

/** A response with a body (any 2xx; `body` is null when it was empty). */
export interface Fresh {
  readonly _tag: "Fresh"
  readonly url: string
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: unknown
  /** Validators to send next time; empty unless the status was 200. */
  readonly validators: Validators
  /** `Link` header relations: `next`, `last`, … → absolute URL. */
  readonly links: Readonly<Record<string, string>>
}

/** The resource has not changed since the validators were issued (304). */
export interface NotModified {
  readonly _tag: "NotModified"
  readonly url: string
  readonly headers: Headers.Headers
}

export type Reply = Fresh | NotModified

export interface GetOptions {
  readonly headers?: Readonly<Record<string, string>>
  readonly validators?: Validators | undefined
}

/** A host's rate-limit state as last reported (times are µs since the epoch). */
export interface Quota {
  readonly limit: number | null
  readonly remaining: number | null
  readonly resetAt: Timestamp | null
  /** Set by a `Retry-After` or an exhausted quota: no request goes out before then. */
  readonly blockedUntil: Timestamp | null
}

/** Counters for one host since the service started. */
export interface HostStats {
  /** Requests that went out on the network (every attempt, including retries). */
  readonly requests: number
  readonly notModified: number
  readonly retries: number
  /** Times a request was refused with `RateLimited` (by the host or by our reserve). */
  readonly rateLimited: number
}

/** Parses a `Link` header into relation → URL. */
export const parseLinkHeader = (value: string | undefined): Record<string, string> => {
  const links: Record<string, string> = {}
  if (value === undefined) return links
  for (const m of value.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const rel = /rel\s*=\s*"?([^";]+)"?/i.exec(m[2] ?? "")
    if (rel === null) continue
    for (const name of rel[1]!.trim().split(/\s+/)) links[name.toLowerCase()] ??= m[1]!
  }
  return links
}

// ---------------------------------------------------------------------------------------------------
// The service

interface HostState {
  readonly policy: HostPolicy
  readonly semaphore: Effect.Semaphore
  limit: number | null
  remaining: number | null
  resetAtMs: number | null
  blockedUntilMs: number | null
  requests: number
  notModified: number
  retries: number
  rateLimited: number
}

/** A failure worth another attempt; `error` is what the caller sees when the attempts run out. */
class Transient {
  readonly _tag = "Transient"
  constructor(readonly error: UpstreamFailed | RateLimited) {}
}

const header = (headers: Headers.Headers, name: string): string | undefined => {
  const v = headers[name]
  return v === undefined || v === "" ? undefined : v
}

const intHeader = (headers: Headers.Headers, ...names: Array<string>): number | null => {
  for (const name of names) {
    const v = header(headers, name)
    if (v !== undefined && /^\s*-?\d+\s*$/.test(v)) return Number(v)
  }
  return null
}

// Epoch seconds (GitHub, GitLab); small values are read as seconds from now (IETF RateLimit drafts).
const resetHeaderMs = (headers: Headers.Headers, nowMs: number): number | null => {
  const v = intHeader(headers, "x-ratelimit-reset", "ratelimit-reset")
  if (v === null) return null
  return v < 1_000_000_000 ? nowMs + v * 1000 : v * 1000
}

// `Retry-After`: delta seconds or an HTTP date.
const retryAfterMs = (headers: Headers.Headers, nowMs: number): number | null => {
  const v = header(headers, "retry-after")
  if (v === undefined) return null
  if (/^\s*\d+\s*$/.test(v)) return nowMs + Number(v) * 1000
  const date = Date.parse(v)
  return Number.isNaN(date) ? null : date
}

const messageOf = (body: string): string => {
  try {
    const json = JSON.parse(body)
    if (typeof json?.message === "string") return json.message
    if (typeof json?.error === "string") return json.error
  } catch {
    // not JSON: fall through to the text
  }
  return body.slice(0, 200)
}

const toTimestamp = (ms: number): Timestamp => (Math.round(ms) * 1000) as Timestamp

export const make = Effect.gen(function* () {
  const client = yield* HttpClient.HttpClient
  const settings = yield* HttpSettings
  const states = new Map<string, HostState>()

  const stateOf = (host: string): HostState => {
    let state = states.get(host)
    if (state === undefined) {
      const policy = { ...settings.defaults, ...settings.hosts[host] }
      state = {
        policy,
        semaphore: Effect.unsafeMakeSemaphore(Math.max(1, policy.concurrency)),
        limit: null,
        remaining: null,
        resetAtMs: null,
        blockedUntilMs: null,
        requests: 0,
        notModified: 0,
        retries: 0,
        rateLimited: 0
      }
      states.set(host, state)
    }
    return state
  }

  const rateLimited = (state: HostState, host: string, untilMs: number, reason: string) => {
    state.rateLimited++
    return new RateLimited({ host, resetAt: toTimestamp(untilMs), reason })
  }

  // Before each attempt: wait out a short block, refuse a long one, and keep `reserve` requests unspent.
  const admit = (host: string, state: HostState, conditional: boolean): Effect.Effect<void, RateLimited> =>
    Effect.gen(function* () {
      const maxWaitMs = Duration.toMillis(state.policy.maxWait)
      for (;;) {
        const now = yield* Clock.currentTimeMillis
        let untilMs: number | null = null
        let reason = ""
        if (state.blockedUntilMs !== null && state.blockedUntilMs > now) {
          untilMs = state.blockedUntilMs
          reason = "the host asked us to wait"
        } else if (state.remaining !== null && state.remaining <= state.policy.reserve) {
          if (state.resetAtMs !== null && state.resetAtMs > now) {
            untilMs = state.resetAtMs
            reason = `quota down to ${state.remaining} of ${state.limit ?? "?"} (reserve ${state.policy.reserve})`
          } else {
            state.remaining = null // the window has reset
          }
        }
        if (untilMs === null) {
          // A 304 does not count against GitHub's quota, so only unconditional requests are reserved.
          if (!conditional && state.remaining !== null) state.remaining--
          return
        }
        if (untilMs - now > maxWaitMs) return yield* Effect.fail(rateLimited(state, host, untilMs, reason))
        yield* Effect.sleep(Duration.millis(untilMs - now))
      }
    })

  const readQuota = (state: HostState, headers: Headers.Headers, nowMs: number) => {
    const limit = intHeader(headers, "x-ratelimit-limit", "ratelimit-limit")
    const remaining = intHeader(headers, "x-ratelimit-remaining", "ratelimit-remaining")
    const resetAtMs = resetHeaderMs(headers, nowMs)
    if (limit !== null) state.limit = limit
    if (remaining !== null) {
      const newWindow = resetAtMs !== null && resetAtMs !== state.resetAtMs
      // Replies to concurrent requests arrive out of order: within a window, the lowest count is the latest.
      state.remaining = newWindow || state.remaining === null ? remaining : Math.min(state.remaining, remaining)
    }
    if (resetAtMs !== null) state.resetAtMs = resetAtMs
  }

  const attempt = (
    host: string,
    state: HostState,
    url: string,
    options: GetOptions
  ): Effect.Effect<Reply, Transient | UpstreamError> =>
    Effect.gen(function* () {
      const validators = options.validators
      const conditional = validators?.etag !== undefined || validators?.lastModified !== undefined
      const headers: Record<string, string> = {
        accept: "application/json",
        "user-agent": settings.userAgent,
        ...options.headers
      }
      if (validators?.etag !== undefined) headers["if-none-match"] = validators.etag
      if (validators?.lastModified !== undefined) headers["if-modified-since"] = validators.lastModified
      const request = HttpClientRequest.get(url, { headers })
      const timeout = state.policy.timeout

      const { status, responseHeaders, text } = yield* state.semaphore.withPermits(1)(
        Effect.gen(function* () {
          yield* admit(host, state, conditional)
          state.requests++
          return yield* client.execute(request).pipe(
            Effect.flatMap((response) =>
              Effect.map(response.text, (text) => ({
                status: response.status,
                responseHeaders: response.headers,
                text
              }))
            ),
            // Redirects are answers here (a 301 means "update the stored URL"), so fetch must not follow them.
            Effect.provideService(FetchHttpClient.RequestInit, { redirect: "manual" }),
            Effect.mapError(
              (e) =>
                new Transient(
                  new UpstreamFailed({ host, url, status: null, message: `${e.reason}: ${String(e.cause ?? e)}` })
                )
            ),
            Effect.timeoutFail({
              duration: timeout,
              onTimeout: () =>
                new Transient(
                  new UpstreamFailed({
                    host,
                    url,
                    status: null,
                    message: `no complete answer within ${Duration.format(Duration.decode(timeout))}`
                  })
                )
            })
          )
        })
      )

      const now = yield* Clock.currentTimeMillis
      readQuota(state, responseHeaders, now)

      if (status === 304) {
        state.notModified++
        return { _tag: "NotModified", url, headers: responseHeaders } satisfies NotModified
      }
      if (status >= 200 && status < 300) {
        let body: unknown = null
        if (text.trim() !== "") {
          try {
            body = JSON.parse(text)
          } catch (e) {
            return yield* new MalformedResponse({ host, url, message: `invalid JSON: ${String(e)}` })
          }
        }
        const etag = header(responseHeaders, "etag")
        const lastModified = header(responseHeaders, "last-modified")
        // Only a complete answer may be revalidated later: a 202's ETag would turn "not ready" into "not modified".
        const validators: Validators =
          status === 200
            ? { ...(etag === undefined ? {} : { etag }), ...(lastModified === undefined ? {} : { lastModified }) }
            : {}
        return {
          _tag: "Fresh",
          url,
          status,
          headers: responseHeaders,
          body,
          validators,
          links: parseLinkHeader(header(responseHeaders, "link"))
        } satisfies Fresh
      }
      if (status === 301 || status === 308) {
        const location = header(responseHeaders, "location")
        if (location === undefined) {
          return yield* new UpstreamFailed({ host, url, status, message: "a permanent redirect without Location" })
        }
        return yield* new RepoMoved({ host, url, location: new URL(location, url).href })
      }
      if (status === 404 || status === 410) return yield* new UpstreamNotFound({ host, url })
      const retryAt = retryAfterMs(responseHeaders, now)
      const remaining = intHeader(responseHeaders, "x-ratelimit-remaining", "ratelimit-remaining")
      // Rate limits: GitHub answers 403 or 429 (primary: remaining 0; secondary: Retry-After), GitLab 429.
      // A 403 without either signal is a permission problem, not a limit. Never judged by message text.
      if (status === 429 || (status === 403 && (retryAt !== null || remaining === 0))) {
        // GitHub's advice: Retry-After, else the quota's reset, else at least a minute.
        const resetMs = remaining === 0 && state.resetAtMs !== null && state.resetAtMs > now ? state.resetAtMs : null
        const untilMs = retryAt ?? resetMs ?? now + 60_000
        state.blockedUntilMs = Math.max(state.blockedUntilMs ?? 0, untilMs)
        const error = rateLimited(state, host, untilMs, `HTTP ${status}: ${messageOf(text)}`)
        return yield* untilMs - now <= Duration.toMillis(state.policy.maxWait)
          ? Effect.fail(new Transient(error))
          : Effect.fail(error)
      }
      const failure = new UpstreamFailed({ host, url, status, message: messageOf(text) })
      return yield* status >= 500 ? Effect.fail(new Transient(failure)) : Effect.fail(failure)
    })

  /** One JSON GET, retried as the host's policy says. */
  const get = (host: string, url: string, options: GetOptions = {}): Effect.Effect<Reply, UpstreamError> => {
    const state = stateOf(host)
    const backoff = Schedule.exponential(state.policy.baseDelay).pipe(
      Schedule.jittered,
      Schedule.intersect(Schedule.recurs(state.policy.maxRetries))
    )
    let attempts = 0
    return Effect.suspend(() => {
      if (attempts++ > 0) state.retries++
      return attempt(host, state, url, options)
    }).pipe(
      Effect.retry({ schedule: backoff, while: (e) => e instanceof Transient }),
      Effect.catchIf(
        (e): e is Transient => e instanceof Transient,
        (t) => Effect.fail(t.error)
      ),
      Effect.withSpan("Refresh.Http.get", { attributes: { host, url } })
    )
  }

  /** A GET whose answer must be fresh (no validators sent). */
  const getFresh = (host: string, url: string, options: Omit<GetOptions, "validators"> = {}) =>
    Effect.flatMap(get(host, url, options), (reply) =>
      reply._tag === "Fresh"
        ? Effect.succeed(reply)
        : Effect.fail(new MalformedResponse({ host, url, message: "304 Not Modified to an unconditional request" }))
    )

  /**
   * Every page of a list, following `Link: rel="next"` (or `next` when given, e.g. Bitbucket's body link),
   * at most `maxPages` pages.
   */
  const getAll = (
    host: string,
    url: string,
    options: {
      readonly headers?: Readonly<Record<string, string>>
      readonly maxPages?: number
      readonly next?: (page: Fresh) => string | undefined
    } = {}
  ): Effect.Effect<Array<Fresh>, UpstreamError> =>
    Effect.gen(function* () {
      const pages: Array<Fresh> = []
      const nextOf = options.next ?? ((page: Fresh) => page.links["next"])
      let current: string | undefined = url
      while (current !== undefined && pages.length < (options.maxPages ?? 100)) {
        const page: Fresh = yield* getFresh(
          host,
          current,
          options.headers === undefined ? {} : { headers: options.headers }
        )
        pages.push(page)
        const next = nextOf(page)
        current = next === undefined ? undefined : new URL(next, current).href
      }
      return pages
    })

  const quota = (host: string): Effect.Effect<Quota> =>
    Effect.sync(() => {
      const s = stateOf(host)
      return {
        limit: s.limit,
        remaining: s.remaining,
        resetAt: s.resetAtMs === null ? null : toTimestamp(s.resetAtMs),
        blockedUntil: s.blockedUntilMs === null ? null : toTimestamp(s.blockedUntilMs)
      }
    })

  const stats = (host: string): Effect.Effect<HostStats> =>
    Effect.sync(() => {
      const s = stateOf(host)
      return { requests: s.requests, notModified: s.notModified, retries: s.retries, rateLimited: s.rateLimited }
    })

  return { get, getFresh, getAll, quota, stats } as const
})

/** Shared HTTP for the refresh adapters. `Http.Default` uses the platform's fetch client. */
export class Http extends Effect.Service<Http>()("Refresh.Http", {
  effect: make,
  dependencies: [FetchHttpClient.layer]
}) {}
