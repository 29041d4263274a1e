import { Effect, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import * as Forgejo from "../../src/Refresh/Forgejo.ts"
import { Http } from "../../src/Refresh/Http.ts"
import { type FetchState, type RepoFetch, RepoHost, RepoHosts } from "../../src/Refresh/RepoHost.ts"
import * as Hosts from "../../src/Refresh/RepoHosts.ts"
import { failure, httpLayer, run, useSimulator } from "./support.ts"

const sim = useSimulator()

const config = () => ({
  codebergUrl: sim().baseUrls.codeberg,
  instances: { "git.example.org": sim().baseUrls.codeberg }
})

const fetchForgejo = (url: string, previous: FetchState | null = null) =>
  Effect.gen(function* () {
    const forgejo = yield* RepoHost
    const result = yield* forgejo.fetch(url, previous)
    return { result, stats: yield* Effect.flatMap(Http, (http) => http.stats("codeberg")) }
  }).pipe(Effect.provide(Forgejo.layerWith(config()).pipe(Layer.provideMerge(httpLayer()))))

const fetched = (r: RepoFetch) => {
  if (r._tag !== "Fetched") throw new Error(`expected facts, got ${r._tag}`)
  return r
}

describe("Codeberg, from the recordings", () => {
  it("takes stars_count for stars, not watchers_count (ForgeFed: 30 stars, 11 watchers)", async () => {
    const { result } = await run(fetchForgejo("https://codeberg.org/ForgeFed/ForgeFed"))
    expect(fetched(result).facts).toMatchObject({
      host: "codeberg",
      repo_url: "https://codeberg.org/ForgeFed/ForgeFed",
      stars: 30,
      forks: 6,
      open_issues: 61,
      description: "ActivityPub-based forge federation protocol specification",
      archived: false,
      archived_at: null,
      default_branch: "main",
      // No commits were recorded: the simulator answers an empty list.
      commit_count: 0,
      last_commit_date: null,
      moved_to: null
    })
  })

  it("reads Gitea's 'never archived' epoch as no archive date (privacyguides: 194 stars, 18 watchers)", async () => {
    const { result } = await run(fetchForgejo("https://codeberg.org/privacyguides/privacyguides.org"))
    expect(fetched(result).facts).toMatchObject({
      stars: 194,
      forks: 4,
      open_issues: 0,
      archived: false,
      archived_at: null,
      topics: []
    })
  })

  it("fails UpstreamNotFound for an unknown repository", async () => {
    expect((await failure(fetchForgejo("https://codeberg.org/nobody/nothing")))._tag).toBe("UpstreamNotFound")
  })
})

describe("Forgejo, synthetic repositories", () => {
  it("reads the total from X-Total-Count, the weeks from the commits since a year ago, and an archive date", async () => {
    const { result } = await run(fetchForgejo("https://codeberg.org/synthetic/synthetic-49"))
    const { facts } = fetched(result)
    expect(facts.archived).toBe(true)
    expect(facts.archived_at).not.toBeNull()
    expect(facts.stars).toBeGreaterThan(facts.participants.length)
    const paths = sim().requests.map((r) => r.path)
    expect(paths[1]).toContain("limit=1")
    expect(facts.commit_count).toBeGreaterThan(0)
    expect(facts.commits_over_52w).toHaveLength(52)
  })

  it("pages the commits of a busy year and names their authors", async () => {
    const { result } = await run(fetchForgejo("https://codeberg.org/synthetic/synthetic-23"))
    const { facts } = fetched(result)
    const inWindow = facts.commits_over_52w!.reduce((a, b) => a + b, 0)
    expect(inWindow).toBeGreaterThan(50)
    expect(sim().requests.filter((r) => r.path.includes("since=")).length).toBe(Math.ceil(inWindow / 50))
    expect(facts.participants.every((p) => p.startsWith("dev-23-"))).toBe(true)
  })

  it("serves any Forgejo instance configured by host name", async () => {
    const { result } = await run(fetchForgejo("https://git.example.org/synthetic/synthetic-5"))
    expect(fetched(result).facts.host).toBe("forgejo")
  })

  it("answers a re-run with one 304", async () => {
    const url = "https://codeberg.org/synthetic/synthetic-5"
    const first = fetched((await run(fetchForgejo(url))).result)
    sim().reset()
    const again = await run(fetchForgejo(url, first.state))
    expect(again.result._tag).toBe("NotModified")
    expect(again.stats.requests).toBe(1)
  })

  it("follows a rename and reports the new address", async () => {
    sim().inject(
      { host: "codeberg", path: "/repos/synthetic/old-name" },
      { kind: "moved", to: "/repos/synthetic/synthetic-5" }
    )
    const { result } = await run(fetchForgejo("https://codeberg.org/synthetic/old-name"))
    expect(fetched(result).facts.moved_to).toBe("https://codeberg.org/synthetic/synthetic-5")
  })
})

describe("RepoHosts", () => {
  it("picks the adapter by the package's host; 'other' has none", async () => {
    const names = await run(
      Effect.gen(function* () {
        const hosts = yield* RepoHosts
        return (["github", "gitlab", "bitbucket", "codeberg", "forgejo", "other"] as const).map((h) =>
          Option.map(hosts.forHost(h), (a) => a.name).pipe(Option.getOrNull)
        )
      }).pipe(
        Effect.provide(
          Hosts.layerWith({
            github: { baseUrl: sim().baseUrls.github, token: Option.none() },
            gitlab: { baseUrl: sim().baseUrls.gitlab, token: Option.none() },
            bitbucket: { baseUrl: sim().baseUrls.bitbucket },
            forgejo: config()
          }).pipe(Layer.provide(httpLayer()))
        )
      )
    )
    expect(names).toEqual(["github", "gitlab", "bitbucket", "forgejo", "forgejo", null])
  })
})
