import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { apiSource } from "../src/apiSource.ts"
import { djStripe, startV4Server, v4Package, type V4Server } from "./support/v4Server.ts"

describe("apiSource over a real HTTP server", () => {
  let server: V4Server
  const packages = [
    djStripe,
    v4Package(2, { last_updated: null, commits_over_52: [], pypi_version: null, participants: [] }),
    v4Package(3)
  ]

  beforeAll(async () => {
    server = await startV4Server(packages)
  })
  afterAll(() => server.close())

  it("reads a page with DRF's limit and offset", async () => {
    const page = await apiSource(server.url).list({ limit: 2, offset: 1 })
    expect(server.requests.at(-1)).toBe("/api/v4/packages/?limit=2&offset=1")
    expect(page.count).toBe(3)
    expect(page.offset).toBe(1)
    expect(page.results.map((p) => p.slug)).toEqual(["package-2", "package-3"])
    expect(page.results[0]).toMatchObject({ lastCommit: null, commits: [], pypiVersion: null, participants: 0 })
  })

  it("turns the recorded dj-stripe response into the view model", async () => {
    const pkg = await apiSource(`${server.url}/`).get("dj-stripe")
    expect(server.requests.at(-1)).toBe("/api/v4/packages/dj-stripe/")
    expect(pkg).toEqual({
      slug: "dj-stripe",
      title: "dj-stripe",
      stars: 1778,
      forks: 513,
      lastCommit: new Date("2026-01-05T20:45:59Z"),
      pypiVersion: "2.10.3",
      commits: djStripe.commits_over_52,
      description: djStripe.repo_description,
      repoUrl: "https://github.com/dj-stripe/dj-stripe",
      participants: 103
    })
  })

  it("labels itself with the server's URL", () => {
    expect(apiSource(server.url).label).toBe(`API ${server.url}/`)
  })

  it("reports DRF's error detail with the status", async () => {
    await expect(apiSource(server.url).get("no-such-package")).rejects.toThrow(
      "GET /api/v4/packages/no-such-package/ answered 404: No Package matches the given query."
    )
    server.fail = 503
    try {
      await expect(apiSource(server.url).list({ limit: 5, offset: 0 })).rejects.toThrow(
        "answered 503: The server is having a bad day."
      )
    } finally {
      server.fail = null
    }
  })

  it("reports a server that cannot be reached", async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    await expect(apiSource(`http://127.0.0.1:${port}`).list({ limit: 5, offset: 0 })).rejects.toThrow(
      `cannot reach http://127.0.0.1:${port}: ECONNREFUSED`
    )
  })

  it("refuses an answer that is not a v4 package", async () => {
    const odd = createServer((_, res) => {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify({ count: 1, results: [{ slug: "x", title: "x" }] }))
    })
    await new Promise<void>((resolve) => odd.listen(0, "127.0.0.1", resolve))
    try {
      const { port } = odd.address() as AddressInfo
      await expect(apiSource(`http://127.0.0.1:${port}`).list({ limit: 5, offset: 0 })).rejects.toThrow(
        /answered an unexpected shape at results\.0\.repo_watchers/
      )
    } finally {
      await new Promise<void>((resolve) => odd.close(() => resolve()))
    }
  })
})
