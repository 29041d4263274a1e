import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { Http, parseLinkHeader } from "../../src/Refresh/Http.ts"
import { failure, httpLayer, run, testSettings, useSimulator } from "./support.ts"

const sim = useSimulator()

/** Runs `f` with a fresh Http service built from these settings. */
const withHttp = <A, E>(f: (http: Http) => Effect.Effect<A, E>, settings = testSettings()) =>
  Effect.flatMap(Http, f).pipe(Effect.provide(httpLayer(settings)))

describe("conditional requests", () => {
  it("sends the stored ETag back and reads a 304 as not modified, which costs no quota", async () => {
    const url = `${sim().baseUrls.github}/repos/synthetic/synthetic-1`
    const { first, second, stats, quota } = await run(
      withHttp((http) =>
        Effect.gen(function* () {
          const first = yield* http.get("github", url)
          const second = yield* http.get("github", url, {
            validators: first._tag === "Fresh" ? first.validators : undefined
          })
          return { first, second, stats: yield* http.stats("github"), quota: yield* http.quota("github") }
        })
      )
    )
    expect(first._tag).toBe("Fresh")
    if (first._tag !== "Fresh") return
    expect(first.validators.etag).toMatch(/^"[0-9a-f]+"$/)
    expect(second._tag).toBe("NotModified")
    expect(sim().requests[1]!.headers["if-none-match"]).toBe(first.validators.etag)
    expect(stats).toMatchObject({ requests: 2, notModified: 1 })
    expect(quota).toMatchObject({ limit: 5000, remaining: 4999 })
  })

  it("replays PyGithub's recorded ETag → 304 → 200 sequence", async () => {
    const url = `${sim().baseUrls.github}/repos/akfish/PyGithub`
    const replies = await run(
      withHttp((http) =>
        Effect.gen(function* () {
          sim().useRecording("github/pygithub_conditional_request_etag.json")
          const first = yield* http.get("github", url)
          const validators = first._tag === "Fresh" ? first.validators : {}
          sim().useRecording("github/pygithub_conditional_304_not_modified.json")
          const unchanged = yield* http.get("github", url, { validators })
          sim().useRecording("github/pygithub_conditional_200_changed.json")
          const changed = yield* http.get("github", url, { validators })
          return [first, unchanged, changed] as const
        })
      )
    )
    expect(replies[0]._tag === "Fresh" && replies[0].validators).toEqual({
      etag: '"8600bedcb7fed1d8065e1693e05529ce"',
      lastModified: "Thu, 22 Aug 2013 02:09:11 GMT"
    })
    expect(replies[1]._tag).toBe("NotModified")
    expect(replies[2]._tag === "Fresh" && replies[2].validators.etag).toBe('"ef281ef0e821c18f80da36902727160b"')
    expect(sim().requests[1]!.headers["if-modified-since"]).toBe("Thu, 22 Aug 2013 02:09:11 GMT")
  })
})

describe("pagination", () => {
  it("parses Link headers", () => {
    expect(
      parseLinkHeader(
        '<https://x/a?page=2>; rel="next", <https://x/a?page=5>; rel="last", <https://x/a?page=1>; rel="first prev"'
      )
    ).toEqual({
      next: "https://x/a?page=2",
      last: "https://x/a?page=5",
      first: "https://x/a?page=1",
      prev: "https://x/a?page=1"
    })
    expect(parseLinkHeader(undefined)).toEqual({})
  })

  it("follows rel=next through octokit's five recorded issue pages", async () => {
    const url = `${sim().baseUrls.github}/repos/octokit-fixture-org/tmp-scenario-paginate-issues-20220719043836917-izyoe/issues?per_page=3`
    const pages = await run(withHttp((http) => http.getAll("github", url)))
    expect(pages).toHaveLength(5)
    expect(pages.flatMap((p) => p.body as Array<unknown>)).toHaveLength(13)
    expect(sim().requests.map((r) => r.path)).toEqual([
      "/repos/octokit-fixture-org/tmp-scenario-paginate-issues-20220719043836917-izyoe/issues?per_page=3",
      "/repositories/515435940/issues?per_page=3&page=2",
      "/repositories/515435940/issues?per_page=3&page=3",
      "/repositories/515435940/issues?per_page=3&page=4",
      "/repositories/515435940/issues?per_page=3&page=5"
    ])
  })

  it("stops at maxPages", async () => {
    const url = `${sim().baseUrls.github}/repos/synthetic/synthetic-2/commits?per_page=5`
    const pages = await run(withHttp((http) => http.getAll("github", url, { maxPages: 2 })))
    expect(pages).toHaveLength(2)
    expect(sim().count("github")).toBe(2)
  })
})

describe("rate limits", () => {
  it("honours Retry-After: waits, then retries", async () => {
    sim().inject(
      { host: "github", path: "/repos/synthetic/synthetic-3", times: 1 },
      { kind: "rateLimit", status: 429, retryAfterSeconds: 1 }
    )
    const started = Date.now()
    const { reply, stats } = await run(
      withHttp((http) =>
        Effect.all({
          reply: http.get("github", `${sim().baseUrls.github}/repos/synthetic/synthetic-3`),
          stats: Effect.suspend(() => http.stats("github"))
        })
      )
    )
    expect(reply._tag).toBe("Fresh")
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(sim().count("github")).toBe(2)
    expect(stats).toMatchObject({ requests: 2, retries: 1 })
  })

  it("honours x-ratelimit-reset when the quota is spent and the reset is near", async () => {
    sim().inject({ host: "github", times: 1 }, { kind: "rateLimit", resetInSeconds: 1 })
    const started = Date.now()
    const reply = await run(
      withHttp((http) => http.get("github", `${sim().baseUrls.github}/repos/synthetic/synthetic-4`))
    )
    expect(reply._tag).toBe("Fresh")
    expect(Date.now() - started).toBeGreaterThanOrEqual(500)
    expect(sim().count("github")).toBe(2)
  })

  it("stops before the quota runs out: RateLimited once only the reserve is left, without asking", async () => {
    sim().setQuota("github", { limit: 12, windowSeconds: 3600 })
    const settings = testSettings({ github: { reserve: 4 } })
    const { served, error, quota, stats } = await run(
      withHttp(
        (http) =>
          Effect.gen(function* () {
            let served = 0
            for (let n = 0; n < 20; n++) {
              const result = yield* Effect.either(
                http.get("github", `${sim().baseUrls.github}/repos/synthetic/synthetic-${n}`)
              )
              if (result._tag === "Left")
                return {
                  served,
                  error: result.left,
                  quota: yield* http.quota("github"),
                  stats: yield* http.stats("github")
                }
              served++
            }
            return { served, error: null, quota: yield* http.quota("github"), stats: yield* http.stats("github") }
          }),
        settings
      )
    )
    expect(served).toBe(8)
    expect(error?._tag).toBe("RateLimited")
    expect(quota).toMatchObject({ limit: 12, remaining: 4 })
    if (error?._tag === "RateLimited") {
      expect(error.resetAt).toBe(quota.resetAt)
      expect(error.resetAt / 1000 - Date.now()).toBeGreaterThan(3_500_000)
    }
    // The simulator never had to refuse anything: the 9th request was never sent.
    expect(sim().count("github")).toBe(8)
    expect(sim().requests.every((r) => r.status === 200)).toBe(true)
    expect(stats).toMatchObject({ requests: 8, rateLimited: 1 })
  })

  it("gives up at once on a Retry-After longer than it will wait (recorded secondary limit), and holds the host", async () => {
    sim().useRecording("github/pygithub_secondary_rate_limit_403_retry_after.json")
    const { error, again } = await run(
      withHttp((http) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(http.get("github", `${sim().baseUrls.github}/search/code?q=jacquev6`))
          const again = yield* Effect.flip(http.get("github", `${sim().baseUrls.github}/repos/synthetic/synthetic-1`))
          return { error, again }
        })
      )
    )
    expect(error._tag).toBe("RateLimited")
    if (error._tag === "RateLimited") expect(error.resetAt / 1000 - Date.now()).toBeGreaterThan(55_000)
    expect(again._tag).toBe("RateLimited")
    expect(sim().count("github")).toBe(1)
  })

  it("treats the documented primary-limit 403 (quota 0, reset long past) as a wait of at least a minute", async () => {
    sim().useRecording("github/docs_example_primary_rate_limit_403.json")
    const error = await failure(withHttp((http) => http.get("github", `${sim().baseUrls.github}/users/octocat`)))
    expect(error._tag).toBe("RateLimited")
    if (error._tag === "RateLimited") expect(error.resetAt / 1000 - Date.now()).toBeGreaterThan(55_000)
    expect(sim().count("github")).toBe(1)
  })
})

describe("retries", () => {
  it("retries a 500 and gets the 200 (PyGithub's recording)", async () => {
    sim().useRecording("github/pygithub_server_error_500_then_200.json")
    const reply = await run(withHttp((http) => http.get("github", `${sim().baseUrls.github}/repos/PyGithub/PyGithub`)))
    expect(reply._tag === "Fresh" && (reply.body as { full_name: string }).full_name).toBe("PyGithub/PyGithub")
    expect(sim().requests.map((r) => r.status)).toEqual([500, 200])
  })

  it("gives up after a bounded number of retries on a repeated 502", async () => {
    sim().useRecording("github/pygithub_server_error_502_repeated.json")
    const error = await failure(
      withHttp((http) => http.get("github", `${sim().baseUrls.github}/repos/PyGithub/PyGithub`))
    )
    expect(error).toMatchObject({ _tag: "UpstreamFailed", status: 502 })
    expect(sim().count("github")).toBe(4) // the first attempt and maxRetries = 3
  })

  it("retries a request that never gets an answer, after its timeout", async () => {
    sim().inject({ host: "pypi", times: 1 }, { kind: "timeout" })
    const reply = await run(
      withHttp(
        (http) => http.get("pypi", `${sim().baseUrls.pypi}/pypi/synthetic-5/json`),
        testSettings({}, { timeout: "200 millis" })
      )
    )
    expect(reply._tag).toBe("Fresh")
    expect(sim().count("pypi")).toBe(2)
  })

  it("fails UpstreamFailed without a status when every attempt times out", async () => {
    sim().inject({ host: "pypi" }, { kind: "timeout" })
    const error = await failure(
      withHttp(
        (http) => http.get("pypi", `${sim().baseUrls.pypi}/pypi/synthetic-5/json`),
        testSettings({}, { timeout: "100 millis", maxRetries: 1 })
      )
    )
    expect(error).toMatchObject({ _tag: "UpstreamFailed", status: null })
    expect(sim().count("pypi")).toBe(2)
  })

  it("times out a body that trickles in too slowly, then retries", async () => {
    sim().inject({ host: "github", times: 1 }, { kind: "slowBody", chunkDelayMs: 100, chunks: 10 })
    const reply = await run(
      withHttp(
        (http) => http.get("github", `${sim().baseUrls.github}/repos/synthetic/synthetic-6`),
        testSettings({}, { timeout: "300 millis" })
      )
    )
    expect(reply._tag).toBe("Fresh")
    expect(sim().count("github")).toBe(2)
  })
})

describe("answers that are errors", () => {
  it("reads malformed JSON as MalformedResponse, without retrying", async () => {
    sim().inject({ host: "github" }, { kind: "malformed" })
    const error = await failure(
      withHttp((http) => http.get("github", `${sim().baseUrls.github}/repos/synthetic/synthetic-1`))
    )
    expect(error._tag).toBe("MalformedResponse")
    expect(sim().count("github")).toBe(1)
  })

  it("reads 404 as UpstreamNotFound (recorded, modern and legacy bodies)", async () => {
    for (const path of ["/repos/djangopackages/does-not-exist", "/repos/jacquev6/Xxx"]) {
      const error = await failure(withHttp((http) => http.get("github", `${sim().baseUrls.github}${path}`)))
      expect(error._tag).toBe("UpstreamNotFound")
    }
  })

  it("reads a 301 as RepoMoved with the absolute Location (recorded rename)", async () => {
    const error = await failure(
      withHttp((http) => http.get("github", `${sim().baseUrls.github}/repos/protoncoin/protoncoin`))
    )
    expect(error).toMatchObject({ _tag: "RepoMoved", location: `${sim().baseUrls.github}/repositories/112116543` })
  })

  it("reads another 4xx as UpstreamFailed with the host's message", async () => {
    sim().inject({ host: "github" }, { kind: "status", status: 422, body: { message: "Validation Failed" } })
    const error = await failure(
      withHttp((http) => http.get("github", `${sim().baseUrls.github}/repos/synthetic/synthetic-1`))
    )
    expect(error).toMatchObject({ _tag: "UpstreamFailed", status: 422, message: "Validation Failed" })
  })
})

describe("per-host limits and counters", () => {
  const burst = (concurrency: number) =>
    withHttp(
      (http) =>
        Effect.gen(function* () {
          yield* Effect.forEach(
            Array.from({ length: 8 }, (_, n) => n),
            (n) => http.get("github", `${sim().baseUrls.github}/repos/synthetic/synthetic-${n}`),
            { concurrency: "unbounded" }
          )
          yield* http.get("pypi", `${sim().baseUrls.pypi}/pypi/synthetic-1/json`)
          return { github: yield* http.stats("github"), pypi: yield* http.stats("pypi") }
        }),
      testSettings({ github: { concurrency } })
    )

  it("keeps at most `concurrency` requests in flight per host, and counts requests per host", async () => {
    sim().setLatency(50)
    const stats = await run(burst(2))
    expect(sim().maxInFlight("github")).toBe(2)
    expect(stats.github.requests).toBe(8)
    expect(stats.pypi.requests).toBe(1)
  })

  it("lets more through when allowed", async () => {
    sim().setLatency(50)
    await run(burst(8))
    expect(sim().maxInFlight("github")).toBeGreaterThan(2)
  })
})
