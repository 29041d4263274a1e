import { describe, expect, it } from "vitest"
import { startSimulator } from "../../src/Refresh/Simulator.ts"
import { useSimulator } from "./support.ts"

const sim = useSimulator()

const get = async (url: string, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { headers, redirect: "manual" })
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) }
}

describe("the upstream simulator", () => {
  it("prints one base URL per host and the environment that points the adapters at them", () => {
    expect(sim().baseUrls.github).toBe(`${sim().origin}/api.github.com`)
    expect(sim().env).toMatchObject({
      PACKGRID_GITHUB_API: sim().baseUrls.github,
      PACKGRID_GITLAB_API: `${sim().origin}/gitlab.com/api/v4`,
      PACKGRID_BITBUCKET_API: `${sim().origin}/api.bitbucket.org/2.0`,
      PACKGRID_CODEBERG_API: `${sim().origin}/codeberg.org/api/v1`,
      PACKGRID_PYPI_URL: `${sim().origin}/pypi.org`
    })
  })

  it("rewrites the recordings' upstream URLs to itself", async () => {
    const r = await get(
      `${sim().baseUrls.github}/repos/octokit-fixture-org/tmp-scenario-paginate-issues-20220719043836917-izyoe/issues?per_page=3`
    )
    expect(r.headers.get("link")).toContain(
      `<${sim().baseUrls.github}/repositories/515435940/issues?per_page=3&page=2>; rel="next"`
    )
    expect(r.text).not.toContain("https://api.github.com")
  })

  it("stitches recorded pages into one list and pages it again at another size", async () => {
    const r = await get(`${sim().baseUrls.gitlab}/projects/6812925/repository/commits?per_page=100`)
    expect(r.json()).toHaveLength(92)
    expect(r.headers.get("x-total")).toBe("92")
    expect(r.headers.get("x-next-page")).toBe("")
    const since = await get(
      `${sim().baseUrls.gitlab}/projects/6812925/repository/commits?since=2022-01-01T00:00:00Z&per_page=5`
    )
    expect(Number(since.headers.get("x-total"))).toBeLessThan(92)
    expect(since.headers.get("link")).toContain('rel="next"')
  })

  it("answers 404 in each host's own shape", async () => {
    expect((await get(`${sim().baseUrls.gitlab}/projects/nobody%2Fnothing`)).json()).toEqual({
      message: "404 Project Not Found"
    })
    expect((await get(`${sim().baseUrls.pypi}/pypi/nothing-at-all/json`)).json()).toEqual({ message: "Not Found" })
    expect((await get(`${sim().origin}/example.com/x`)).status).toBe(404)
  })

  it("spends the simulated quota on every answer but a 304, then refuses: GitHub 403, GitLab 429", async () => {
    sim().setQuota("github", { limit: 2, windowSeconds: 60 })
    const first = await get(`${sim().baseUrls.github}/repos/synthetic/synthetic-1`)
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1")
    const etag = first.headers.get("etag")!
    const unchanged = await get(`${sim().baseUrls.github}/repos/synthetic/synthetic-1`, { "if-none-match": etag })
    expect(unchanged.status).toBe(304)
    expect(unchanged.headers.get("x-ratelimit-remaining")).toBe("1")
    await get(`${sim().baseUrls.github}/repos/synthetic/synthetic-2`)
    const refused = await get(`${sim().baseUrls.github}/repos/synthetic/synthetic-3`)
    expect(refused.status).toBe(403)
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0")

    sim().setQuota("gitlab", { limit: 1, windowSeconds: 60 })
    await get(`${sim().baseUrls.gitlab}/projects/synthetic%2Fsynthetic-1`)
    const limited = await get(`${sim().baseUrls.gitlab}/projects/synthetic%2Fsynthetic-1`)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0)
    expect(limited.headers.get("ratelimit-remaining")).toBe("0")
  })

  it("injects faults for a number of requests, and adds latency", async () => {
    sim().inject({ host: "pypi", path: "/pypi/synthetic-1/json", times: 2 }, { kind: "serverError", status: 503 })
    const url = `${sim().baseUrls.pypi}/pypi/synthetic-1/json`
    expect([(await get(url)).status, (await get(url)).status, (await get(url)).status]).toEqual([503, 503, 200])
    sim().inject({ host: "pypi", path: /synthetic-2/ }, { kind: "malformed" })
    const malformed = await get(`${sim().baseUrls.pypi}/pypi/synthetic-2/json`)
    expect(() => malformed.json()).toThrow()
    sim().setLatency(60, "pypi")
    const started = Date.now()
    await get(url)
    expect(Date.now() - started).toBeGreaterThanOrEqual(55)
    expect(sim().count("pypi", "/pypi/synthetic-1/json")).toBe(4)
  })

  it("generates the same synthetic packages for the same anchor", async () => {
    const anchorMs = Date.parse("2026-01-01T00:00:00Z")
    const a = await startSimulator({ anchorMs })
    const b = await startSimulator({ anchorMs })
    try {
      for (const path of ["/repos/synthetic/synthetic-42", "/repos/synthetic/synthetic-42/commits?per_page=100"]) {
        const [x, y] = [await get(`${a.baseUrls.github}${path}`), await get(`${b.baseUrls.github}${path}`)]
        expect(x.text).toBe(y.text)
        expect(x.headers.get("etag")).toBe(y.headers.get("etag"))
      }
      expect((await get(`${a.baseUrls.pypi}/pypi/synthetic-42/json`)).json().info.name).toBe("synthetic-42")
      expect((await get(`${a.baseUrls.github}/repos/synthetic/synthetic-10000`)).status).toBe(404)
    } finally {
      await a.close()
      await b.close()
    }
  })
})
