import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import * as Bitbucket from "../../src/Refresh/Bitbucket.ts"
import { Http } from "../../src/Refresh/Http.ts"
import { type FetchState, type RepoFetch, RepoHost } from "../../src/Refresh/RepoHost.ts"
import { failure, httpLayer, run, us, useSimulator } from "./support.ts"

const sim = useSimulator()

const fetchBitbucket = (url: string, previous: FetchState | null = null) =>
  Effect.gen(function* () {
    const bitbucket = yield* RepoHost
    const result = yield* bitbucket.fetch(url, previous)
    return { result, stats: yield* Effect.flatMap(Http, (http) => http.stats("bitbucket")) }
  }).pipe(
    Effect.provide(Bitbucket.layerWith({ baseUrl: sim().baseUrls.bitbucket }).pipe(Layer.provideMerge(httpLayer())))
  )

const fetched = (r: RepoFetch) => {
  if (r._tag !== "Fetched") throw new Error(`expected facts, got ${r._tag}`)
  return r
}

describe("Bitbucket, from the recordings (Manfre/django-mssql)", () => {
  it("counts forks and watchers from the collections' size, not the first page's 10", async () => {
    const { result } = await run(fetchBitbucket("https://bitbucket.org/Manfre/django-mssql"))
    const { facts } = fetched(result)
    expect(facts).toMatchObject({
      host: "bitbucket",
      repo_url: "https://bitbucket.org/Manfre/django-mssql",
      forks: 37,
      stars: 16, // watchers: Bitbucket has no stars
      archived: false,
      open_issues: null,
      // The recording holds the newest 30 commits only; the simulator's list ends there.
      commit_count: 30,
      last_commit_date: us("2018-08-22T18:50:22Z"),
      moved_to: null
    })
    expect(facts.description).toMatch(/^Microsoft SQL server backend for Django/)
    // Commit authors' nicknames (or the name part of the raw author, never the e-mail address).
    expect(facts.participants).toEqual([
      "Manfre",
      "phistrom",
      "mu5h3r",
      "AdamChainz",
      "timograham",
      "jblissnge",
      "Erin Mullaney"
    ])
  })

  it("fails UpstreamNotFound for an unknown repository", async () => {
    expect((await failure(fetchBitbucket("https://bitbucket.org/Manfre/nothing-here")))._tag).toBe("UpstreamNotFound")
  })
})

describe("Bitbucket pagination", () => {
  it("follows `next` through every page of commits", async () => {
    const { result } = await run(fetchBitbucket("https://bitbucket.org/synthetic/synthetic-13"))
    const { facts } = fetched(result)
    expect(facts.commit_count).toBeGreaterThan(250)
    const pages = sim().requests.filter((r) => r.path.includes("/commits/"))
    expect(pages).toHaveLength(Math.ceil(facts.commit_count / 100))
    expect(pages.at(-1)!.path).toContain(`page=${pages.length}`)
  })

  it("walks forks page by page when the host leaves `size` out", async () => {
    const base = sim().baseUrls.bitbucket
    const forks = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ type: "repository", full_name: `someone/fork-${i}` }))
    sim().define("bitbucket", "/repositories/synthetic/synthetic-1/forks", {
      body: { pagelen: 10, values: forks(10), page: 1, next: `${base}/repositories/synthetic/synthetic-1/forks?page=2` }
    })
    sim().define("bitbucket", "/repositories/synthetic/synthetic-1/forks?page=2", {
      body: { pagelen: 10, values: forks(4), page: 2 }
    })
    const { result } = await run(fetchBitbucket("https://bitbucket.org/synthetic/synthetic-1"))
    expect(fetched(result).facts.forks).toBe(14)
  })
})

describe("Bitbucket re-runs", () => {
  const url = "https://bitbucket.org/synthetic/synthetic-13"

  it("is NotModified when the repository, forks and watchers all answer 304", async () => {
    const first = fetched((await run(fetchBitbucket(url))).result)
    sim().reset()
    const again = await run(fetchBitbucket(url, first.state))
    expect(again.result._tag).toBe("NotModified")
    expect(again.stats).toMatchObject({ requests: 3, notModified: 3 })
  })

  it("after a push, reads only the new commits, stopping at the newest one it knew", async () => {
    const first = fetched((await run(fetchBitbucket(url))).result)
    sim().reset()
    sim().touch(13)
    const second = fetched((await run(fetchBitbucket(url, first.state))).result)
    expect(second.facts.commit_count).toBe(first.facts.commit_count + 1)
    expect(second.facts.stars).toBe(first.facts.stars + 1)
    expect(sim().requests.filter((r) => r.path.includes("/commits/"))).toHaveLength(1)
    const sum = (w: ReadonlyArray<number> | null) => (w ?? []).reduce((a, b) => a + b, 0)
    expect(sum(second.facts.commits_over_52w)).toBe(sum(first.facts.commits_over_52w) + 1)
  })
})
