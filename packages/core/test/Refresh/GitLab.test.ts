import { readFileSync } from "node:fs"
import { Effect, Layer, Option, TestClock, TestContext } from "effect"
import { describe, expect, it } from "vitest"
import * as GitLab from "../../src/Refresh/GitLab.ts"
import { Http } from "../../src/Refresh/Http.ts"
import { type FetchState, type RepoFetch, RepoHost } from "../../src/Refresh/RepoHost.ts"
import { defaultFixturesDir } from "../../src/Refresh/Simulator.ts"
import { failure, httpLayer, run, us, useSimulator } from "./support.ts"

const sim = useSimulator()

const fetchGitLab = (url: string, previous: FetchState | null = null) =>
  Effect.gen(function* () {
    const gitlab = yield* RepoHost
    const result = yield* gitlab.fetch(url, previous)
    return { result, stats: yield* Effect.flatMap(Http, (http) => http.stats("gitlab")) }
  }).pipe(
    Effect.provide(
      GitLab.layerWith({ baseUrl: sim().baseUrls.gitlab, token: Option.none() }).pipe(Layer.provideMerge(httpLayer()))
    )
  )

/** Runs with Effect's clock set to `iso` (the adapters read "now" through it). */
const at =
  (iso: string) =>
  <A, E>(effect: Effect.Effect<A, E>) =>
    Effect.zipRight(TestClock.setTime(Date.parse(iso)), effect).pipe(Effect.provide(TestContext.TestContext))

const fetched = (r: RepoFetch) => {
  if (r._tag !== "Fetched") throw new Error(`expected facts, got ${r._tag}`)
  return r
}

const ENCRYPTED_FIELDS = "https://gitlab.com/lansharkconsulting/django/django-encrypted-model-fields"

describe("GitLab, from the recordings", () => {
  it("addresses a nested group by its URL-encoded path and reads star_count, the sequence and contributors", async () => {
    const { result } = await run(fetchGitLab(ENCRYPTED_FIELDS))
    const { facts } = fetched(result)
    expect(facts).toMatchObject({
      host: "gitlab",
      repo_url: ENCRYPTED_FIELDS,
      stars: 33,
      forks: 25,
      open_issues: 6,
      archived: false,
      default_branch: "develop",
      description:
        "A set of fields that wrap standard Django fields with encryption provided by the python cryptography library.",
      // The recorded history (5 pages) holds 92 commits; the simulator's `sequence` counts them.
      commit_count: 92,
      contributors: 15,
      last_commit_date: us("2022-07-12T13:28:12Z"),
      moved_to: null
    })
    // GitLab gives display names, not usernames.
    expect(facts.participants).toHaveLength(14) // 15 contributors, one name twice (two e-mail addresses)
    expect(facts.participants[0]).toBe("Pavel Žák")
    expect(sim().requests[0]!.path).toBe("/projects/lansharkconsulting%2Fdjango%2Fdjango-encrypted-model-fields")
    expect(sim().requests.map((r) => r.path.replace(/\?.*/, ""))).toContain(
      "/projects/6812925/repository/commits/develop/sequence"
    )
  })

  it("buckets the recorded commits into weeks, oldest first (§3.4), as of a date inside the history", async () => {
    const asOf = "2022-08-17T12:00:00Z"
    const { result } = await run(at(asOf)(fetchGitLab(ENCRYPTED_FIELDS)))
    const weeks = fetched(result).facts.commits_over_52w!

    // Restated independently: Monday-based UTC weeks, 51 = the week of asOf.
    const recording = JSON.parse(readFileSync(`${defaultFixturesDir}/gitlab/djp_gitlab_fetch_commits.json`, "utf8"))
    const dates: Array<number> = recording.exchanges
      .slice(1)
      .flatMap((e: any) => e.body.map((c: any) => Date.parse(c.committed_date)))
    const mondayOf = (ms: number) => {
      const d = new Date(ms)
      d.setUTCHours(0, 0, 0, 0)
      return d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000
    }
    const expected = new Array(52).fill(0)
    const since = Date.parse(asOf) - 52 * 7 * 86_400_000
    for (const d of dates) {
      const i = 51 - Math.round((mondayOf(Date.parse(asOf)) - mondayOf(d)) / (7 * 86_400_000))
      if (d >= since && i >= 0 && i < 52) expected[i]++
    }
    expect(weeks).toEqual(expected)
    expect(weeks.reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
    expect(weeks[46]).toBeGreaterThan(0) // the week of 2022-07-11, the last commit's
    expect(weeks.slice(47)).toEqual([0, 0, 0, 0, 0])
  })

  it("reads an archived project", async () => {
    const { result } = await run(fetchGitLab("https://gitlab.com/jeff.triplett/django-metadata"))
    expect(fetched(result).facts).toMatchObject({
      archived: true,
      stars: 0,
      default_branch: "master",
      contributors: 5,
      participants: ["Israel Fruchter", "fruch", "Jeff Triplett", "Rafael Sierra"]
    })
  })

  it("fails UpstreamNotFound for an unknown project (the reference raised a generic error)", async () => {
    expect((await failure(fetchGitLab("https://gitlab.com/jeff.triplett/does-not-exist")))._tag).toBe(
      "UpstreamNotFound"
    )
  })
})

describe("GitLab, paging and re-runs", () => {
  it("pages through a busy year of commits, 100 at a time", async () => {
    const { result } = await run(fetchGitLab("https://gitlab.com/synthetic/synthetic-3"))
    const { facts } = fetched(result)
    const inWindow = facts.commits_over_52w!.reduce((a, b) => a + b, 0)
    expect(inWindow).toBeGreaterThan(100)
    const pages = sim().requests.filter((r) => /\/repository\/commits\?.*since=/.test(r.path))
    expect(pages.length).toBe(Math.ceil(inWindow / 100))
    expect(pages[1]!.path).toContain("page=2")
    expect(facts.stars).toBeGreaterThanOrEqual(0)
  })

  it("answers a re-run with one 304, and after a push fetches only the commits since the last run", async () => {
    const url = "https://gitlab.com/synthetic/synthetic-8"
    const first = fetched((await run(fetchGitLab(url))).result)
    sim().reset()
    const unchanged = await run(fetchGitLab(url, first.state))
    expect(unchanged.result._tag).toBe("NotModified")
    expect(unchanged.stats.requests).toBe(1)

    sim().reset()
    // The next fetch asks for commits from one second after the last one (the reference's rule): push after that.
    sim().touch(8, Date.now() + 1100)
    const second = fetched((await run(fetchGitLab(url, first.state))).result)
    expect(second.facts.commit_count).toBe(first.facts.commit_count + 1)
    expect(second.facts.stars).toBe(first.facts.stars + 1)
    const since = sim().requests.find((r) => r.path.includes("since="))!.path
    expect(new URL(`http://x${since}`).searchParams.get("since")).toBe(
      new Date(first.state.fetchedAt / 1000 + 1000).toISOString()
    )
    const sum = (w: ReadonlyArray<number> | null) => (w ?? []).reduce((a, b) => a + b, 0)
    expect(sum(second.facts.commits_over_52w)).toBe(sum(first.facts.commits_over_52w) + 1)
  })
})
