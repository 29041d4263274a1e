import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { engines } from "@packgrid/core/Store/TestDatabase"
import { startServer, type TestServer } from "./support.ts"

const seedText = readFileSync(
  fileURLToPath(new URL("./fixtures/djangopackages-api-v4-package-2012.txt", import.meta.url)),
  "utf8"
)
const seedJson = JSON.parse(seedText.slice(seedText.indexOf("{"))) as Record<string, unknown>

describe.each(engines())("API v4 packages on $name", (engine) => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer(engine, { publicUrl: "https://djangopackages.org" })
  })
  afterAll(() => server.close())

  it("serves dj-stripe with exactly the seed's keys, order and values", async () => {
    const res = await fetch(`${server.url}/api/v4/packages/2012/?format=json`)
    expect(res.status).toBe(200)
    const text = await res.text()
    const body = JSON.parse(text) as Record<string, unknown>
    expect(Object.keys(body)).toEqual(Object.keys(seedJson))
    expect(body).toEqual(JSON.parse(JSON.stringify(seedJson).replaceAll("?format=api", "?format=json")))
  })

  it("looks a package up by slug as by id, with links carrying no format when none was asked", async () => {
    const bySlug = (await (await fetch(`${server.url}/api/v4/packages/dj-stripe/`)).json()) as Record<string, unknown>
    expect(bySlug.id).toBe(2012)
    expect(bySlug.category).toBe("https://djangopackages.org/api/v4/categories/1/")
    expect(bySlug.grids).toEqual([
      "https://djangopackages.org/api/v4/grids/216/",
      "https://djangopackages.org/api/v4/grids/5/"
    ])
  })

  it("answers with the reference's headers", async () => {
    const res = await fetch(`${server.url}/api/v4/packages/2012/`)
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS")
    expect(res.headers.get("vary")).toBe("Accept")
    expect(res.headers.get("content-type")).toBe("application/json")
  })

  it("pages the whole catalogue newest first, with DRF's next and previous links", async () => {
    const first = (await (await fetch(`${server.url}/api/v4/packages/?limit=1`)).json()) as {
      count: number
      next: string | null
      previous: string | null
      results: Array<{ id: number }>
    }
    expect(first.count).toBe(4231)
    expect(first.previous).toBeNull()
    expect(first.next).toBe("https://djangopackages.org/api/v4/packages/?limit=1&offset=1")
    expect(first.results.map((r) => r.id)).toEqual([4231])

    const third = (await (await fetch(`${server.url}/api/v4/packages/?offset=40&format=json`)).json()) as typeof first
    expect(third.results).toHaveLength(20)
    expect(third.results[0]!.id).toBe(4231 - 40)
    expect(third.next).toBe("https://djangopackages.org/api/v4/packages/?format=json&limit=20&offset=60")
    expect(third.previous).toBe("https://djangopackages.org/api/v4/packages/?format=json&limit=20&offset=20")

    const second = (await (await fetch(`${server.url}/api/v4/packages/?offset=20`)).json()) as typeof first
    expect(second.previous).toBe("https://djangopackages.org/api/v4/packages/?limit=20")

    const last = (await (await fetch(`${server.url}/api/v4/packages/?limit=20&offset=4220`)).json()) as typeof first
    expect(last.next).toBeNull()
    expect(last.results.map((r) => r.id)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
  })

  it("answers an unknown package with DRF's 404 body", async () => {
    for (const lookup of ["999999", "no-such-package"]) {
      const res = await fetch(`${server.url}/api/v4/packages/${lookup}/`)
      expect(res.status).toBe(404)
      expect(await res.json()).toEqual({ detail: "No Package matches the given query." })
    }
  })

  it("refuses malformed paging parameters with a 400 naming them", async () => {
    const res = await fetch(`${server.url}/api/v4/packages/?limit=abc&offset=-1`)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      limit: ["A positive integer is required."],
      offset: ["A non-negative integer is required."]
    })
  })

  it("redirects a path without its trailing slash, as Django's APPEND_SLASH does", async () => {
    const res = await fetch(`${server.url}/api/v4/packages/dj-stripe?format=json`, { redirect: "manual" })
    expect(res.status).toBe(301)
    expect(res.headers.get("location")).toBe("/api/v4/packages/dj-stripe/?format=json")
  })
})
