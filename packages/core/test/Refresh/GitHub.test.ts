import { Effect, Layer, Option, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import * as GitHub from "../../src/Refresh/GitHub.ts"
import { Http } from "../../src/Refresh/Http.ts"
import { type FetchState, type RepoFetch, RepoHost, weeksAt } from "../../src/Refresh/RepoHost.ts"
import { failure, httpLayer, run, us, useSimulator } from "./support.ts"

const sim = useSimulator()

const layer = (token?: string) =>
  GitHub.layerWith({
    baseUrl: sim().baseUrls.github,
    token: token === undefined ? Option.none() : Option.some(Redacted.make(token))
  }).pipe(Layer.provideMerge(httpLayer()))

/** Fetches each (url, previous) in turn with one adapter, as one refresh run would. */
const fetchAll = (calls: ReadonlyArray<readonly [string, FetchState | null]>, token?: string) =>
  Effect.gen(function* () {
    const github = yield* RepoHost
    const results: Array<RepoFetch> = []
    for (const [url, previous] of calls) results.push(yield* github.fetch(url, previous))
    return { results, stats: yield* Effect.flatMap(Http, (http) => http.stats("github")) }
  }).pipe(Effect.provide(layer(token)))

const fetched = (r: RepoFetch | undefined) => {
  if (r?._tag !== "Fetched") throw new Error(`expected facts, got ${r?._tag}`)
  return r
}

describe("GitHub, from the recordings", () => {
  it("reads django/deps: stars (not watchers), forks, contributors, newest commit and its total", async () => {
    const { results } = await run(fetchAll([["https://github.com/django/deps", null]]))
    const { facts } = fetched(results[0])
    expect(facts).toMatchObject({
      host: "github",
      repo_url: "https://github.com/django/deps",
      stars: 401,
      forks: 85,
      description: "Django Enhancement Proposals",
      archived: false,
      archived_at: null,
      open_issues: 7,
      contributors: 31,
      last_commit_date: us("2023-12-19T21:59:33Z"),
      default_branch: "main",
      moved_to: null
    })
    expect(facts.participants).toHaveLength(31)
    expect(facts.participants.slice(0, 3)).toEqual(["carljm", "jacobian", "aaugustin"])
    // The recording holds the first 100 commits only; the simulator's list ends where it does.
    expect(facts.commit_count).toBe(100)
    expect(facts.commits_over_52w).toHaveLength(52)
    expect(sim().requests.map((r) => r.path)).toEqual([
      "/repos/django/deps",
      "/repos/django/deps/contributors?per_page=100",
      "/repos/django/deps/commits?per_page=1",
      "/repos/django/deps/stats/participation"
    ])
  })

  it("reads an archived repository (pydanny/dj-paginator)", async () => {
    const { results } = await run(fetchAll([["https://github.com/pydanny/dj-paginator", null]]))
    expect(fetched(results[0]).facts).toMatchObject({
      stars: 36,
      forks: 4,
      archived: true,
      participants: ["audreyfeldroy", "pydanny"],
      description: "Django + Pagination made easy."
    })
  })

  it("treats 202 from stats/participation as 'no new data', and takes the 200 on the next run", async () => {
    const url = "https://github.com/PyGithub/PyGithub"
    const first = fetched((await run(fetchAll([[url, null]]))).results[0])
    expect(first.facts.stars).toBe(7122) // stargazers_count; the 2025 recording
    expect(first.facts.commits_over_52w).toBeNull()

    // No reset: the recording's next step (the 200) is what GitHub gives once the statistics are ready.
    const before = sim().requests.length
    const { results } = await run(fetchAll([[url, first.state]]))
    const second = fetched(results[0])
    expect(second.facts.commits_over_52w?.slice(0, 5)).toEqual([4, 36, 8, 0, 0])
    expect(second.facts.commits_over_52w?.slice(-3)).toEqual([10, 0, 0])
    // The repository answered 304; only the statistics were asked again.
    expect(
      sim()
        .requests.slice(before)
        .map((r) => `${r.status} ${r.path}`)
    ).toEqual(["304 /repos/PyGithub/PyGithub", "200 /repos/PyGithub/PyGithub/stats/participation"])
  })

  it("follows a rename (301) once and reports the new address", async () => {
    const { results } = await run(
      fetchAll([
        ["https://github.com/octokit-fixture-org/tmp-scenario-rename-repository-20220719044033126-ukeod", null]
      ])
    )
    const newUrl =
      "https://github.com/octokit-fixture-org/tmp-scenario-rename-repository-20220719044033126-ukeod-newname"
    expect(fetched(results[0]).facts).toMatchObject({ repo_url: newUrl, moved_to: newUrl })
    expect(sim().requests[1]!.path).toBe("/repositories/515436299")
  })

  it("fails UpstreamNotFound for a repository that is gone", async () => {
    const error = await failure(fetchAll([["https://github.com/djangopackages/does-not-exist", null]]))
    expect(error._tag).toBe("UpstreamNotFound")
  })

  it("fails RepoMoved when the new address cannot be read", async () => {
    sim().inject({ host: "github", path: "/repos/a/b" }, { kind: "moved", to: "/repositories/404" })
    const error = await failure(fetchAll([["https://github.com/a/b", null]]))
    expect(error).toMatchObject({ _tag: "RepoMoved", location: `${sim().baseUrls.github}/repositories/404` })
  })
})

describe("GitHub, what a run costs", () => {
  const url = "https://github.com/synthetic/synthetic-1"

  it("costs 4 requests on a first fetch and 1 (a free 304) on a re-run", async () => {
    const first = await run(fetchAll([[url, null]]))
    expect(first.stats.requests).toBe(4)
    const state = fetched(first.results[0]).state

    sim().reset()
    const rerun = await run(fetchAll([[url, state]]))
    expect(rerun.results[0]!._tag).toBe("NotModified")
    expect(rerun.stats).toMatchObject({ requests: 1, notModified: 1 })
    expect(sim().requests[0]!.headers["if-none-match"]).toBeDefined()
    // The stored weeks move on by themselves.
    const weeks = weeksAt(state, state.fetchedAt)
    expect(weeks).toEqual(fetched(first.results[0]).facts.commits_over_52w)
  })

  it("costs 1 request when only the metadata changed (no push)", async () => {
    const first = fetched((await run(fetchAll([[url, null]]))).results[0])
    const body = (await (await fetch(`${sim().baseUrls.github}/repos/synthetic/synthetic-1`)).json()) as {
      stargazers_count: number
    }
    sim().reset()
    sim().define("github", "/repos/synthetic/synthetic-1", {
      body: { ...body, stargazers_count: body.stargazers_count + 5 }
    })
    const { results, stats } = await run(fetchAll([[url, first.state]]))
    const second = fetched(results[0])
    expect(stats.requests).toBe(1)
    expect(second.facts.stars).toBe(first.facts.stars + 5)
    expect({ ...second.facts, stars: 0 }).toEqual({ ...first.facts, stars: 0 })
  })

  it("asks everything again after a push, conditionally", async () => {
    const first = fetched((await run(fetchAll([[url, null]]))).results[0])
    sim().reset()
    sim().touch(1) // a new commit and a new star
    const { results, stats } = await run(fetchAll([[url, first.state]]))
    const second = fetched(results[0])
    expect(stats.requests).toBe(4)
    expect(second.facts.commit_count).toBe(first.facts.commit_count + 1)
    expect(second.facts.stars).toBe(first.facts.stars + 1)
    expect(
      sim().requests.every((r) => r.path === "/repos/synthetic/synthetic-1" || r.headers["if-none-match"] !== undefined)
    ).toBe(true)
  })

  it("counts more than 100 contributors from the last page instead of walking them all", async () => {
    const base = sim().baseUrls.github
    const logins = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ login: `user-${from + i}` }))
    sim().define("github", "/repos/synthetic/synthetic-1/contributors?per_page=100", {
      headers: {
        link: `<${base}/repos/synthetic/synthetic-1/contributors?per_page=100&page=2>; rel="next", <${base}/repos/synthetic/synthetic-1/contributors?per_page=100&page=3>; rel="last"`
      },
      body: logins(0, 100)
    })
    sim().define("github", "/repos/synthetic/synthetic-1/contributors?per_page=100&page=3", { body: logins(200, 42) })
    const { results, stats } = await run(fetchAll([[url, null]]))
    const { facts } = fetched(results[0])
    expect(facts.contributors).toBe(242)
    expect(facts.participants).toHaveLength(100)
    expect(stats.requests).toBe(5)
  })

  it("sends the token as a bearer token, and keeps it out of the state", async () => {
    const { results } = await run(fetchAll([[url, null]], "ghp_secret"))
    expect(sim().requests.every((r) => r.headers["authorization"] === "Bearer ghp_secret")).toBe(true)
    expect(JSON.stringify(results)).not.toContain("ghp_secret")
  })
})
