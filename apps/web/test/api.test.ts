import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { ApiRequestFailed, getPackage, getPackageScore, listPackages, searchPackages } from "../src/api.ts"
import { celeryScore, djStripe, neverFetched, stripeGridHit, stripeHit } from "./fixtures.ts"

interface Seen {
  readonly method: string | undefined
  readonly url: string | undefined
  readonly accept: string | undefined
}

let server: Server
let baseUrl: string
let seen: Array<Seen> = []

// A stand-in for the API that answers with canned bodies, like the real server would over HTTP.
function route(request: IncomingMessage, response: ServerResponse): void {
  seen.push({ method: request.method, url: request.url, accept: request.headers.accept })
  const json = (status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" })
    response.end(JSON.stringify(body))
  }
  const url = new URL(request.url ?? "/", baseUrl)
  switch (url.pathname) {
    case "/api/v4/packages/": {
      const offset = Number(url.searchParams.get("offset"))
      return json(200, {
        count: 22,
        next: offset === 0 ? `${baseUrl}/api/v4/packages/?limit=20&offset=20` : null,
        previous: offset === 0 ? null : `${baseUrl}/api/v4/packages/?limit=20`,
        results: offset === 0 ? [djStripe] : [djStripe, neverFetched]
      })
    }
    case "/api/v4/search/advanced/":
      return url.searchParams.get("q") === "broken"
        ? json(200, { count: 1, next: null, previous: null, results: [{ title: "no id" }] })
        : json(200, { count: 2, next: null, previous: null, results: [stripeHit, stripeGridHit] })
    case "/api/v4/packages/django-celery/score/":
      return json(200, celeryScore)
    case "/api/v4/packages/dj-stripe/score/":
      return json(200, { package_score: { score: "high" } })
    case "/api/v4/packages/dj-stripe/":
      return json(200, djStripe)
    case "/api/v4/packages/invalid/":
      return json(400, { slug: ["Enter a valid slug."], title: ["This field is required."] })
    case "/api/v4/packages/broken/":
      response.writeHead(500, { "content-type": "text/html" })
      return void response.end("<h1>Server Error (500)</h1>")
    case "/api/v4/packages/not-json/":
      response.writeHead(200, { "content-type": "text/html" })
      return void response.end("<!doctype html><title>packgrid</title>")
    case "/api/v4/packages/wrong-shape/":
      return json(200, { id: "2012", slug: "wrong-shape" })
    default:
      return json(404, { detail: "No Package matches the given query." })
  }
}

beforeAll(async () => {
  server = createServer(route)
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
})

beforeEach(() => {
  seen = []
})

describe("listPackages", () => {
  it("asks for one page as JSON and returns it typed", async () => {
    const page = await listPackages({ limit: 20, offset: 20 }, { baseUrl })
    expect(seen).toEqual([{ method: "GET", url: "/api/v4/packages/?limit=20&offset=20", accept: "application/json" }])
    expect(page.count).toBe(22)
    expect(page.next).toBeNull()
    expect(page.previous).toBe(`${baseUrl}/api/v4/packages/?limit=20`)
    expect(page.results.map((p) => p.slug)).toEqual(["dj-stripe", "django-fresh"])
    expect(page.results[0]?.repo_watchers).toBe(1778)
    expect(page.results[0]?.commits_over_52).toHaveLength(52)
  })

  it("returns the first page with a next link", async () => {
    const page = await listPackages({ limit: 20, offset: 0 }, { baseUrl })
    expect(seen[0]?.url).toBe("/api/v4/packages/?limit=20&offset=0")
    expect(page.next).toBe(`${baseUrl}/api/v4/packages/?limit=20&offset=20`)
    expect(page.previous).toBeNull()
  })

  it("rejects when the request is aborted", async () => {
    await expect(listPackages({ limit: 20, offset: 0 }, { baseUrl, signal: AbortSignal.abort() })).rejects.toThrow(
      expect.objectContaining({ name: "AbortError" })
    )
  })
})

describe("searchPackages", () => {
  it("asks the advanced search for the query, order and page, and returns packages and grids typed", async () => {
    const page = await searchPackages({ q: "stripe & co", sort: "score", limit: 20, offset: 40 }, { baseUrl })
    expect(seen).toEqual([
      {
        method: "GET",
        url: "/api/v4/search/advanced/?q=stripe+%26+co&sort=score&limit=20&offset=40",
        accept: "application/json"
      }
    ])
    expect(page.results.map((r) => [r.item_type, r.slug, r.package_score])).toEqual([
      ["package", "dj-stripe", 48],
      ["grid", "stripe", 32]
    ])
  })

  it("refuses rows that are not search results", async () => {
    await expect(searchPackages({ q: "broken", sort: "relevance", limit: 20, offset: 0 }, { baseUrl })).rejects.toThrow(
      "not a page of search results"
    )
  })
})

describe("getPackageScore", () => {
  it("returns the explained score, and refuses a body that is not one", async () => {
    const score = await getPackageScore("django-celery", { baseUrl })
    expect(seen[0]?.url).toBe("/api/v4/packages/django-celery/score/")
    expect(score.package_score.flags.map((f) => f.key)).toEqual(["not_on_pypi"])
    await expect(getPackageScore("dj-stripe", { baseUrl })).rejects.toThrow("not a package score")
  })
})

describe("getPackage", () => {
  it("returns every field of the v4 package", async () => {
    const pkg = await getPackage("dj-stripe", { baseUrl })
    expect(seen[0]?.url).toBe("/api/v4/packages/dj-stripe/")
    expect(Object.keys(pkg)).toEqual([
      "category",
      "grids",
      "id",
      "title",
      "slug",
      "last_updated",
      "last_fetched",
      "repo_url",
      "pypi_version",
      "created",
      "modified",
      "repo_forks",
      "repo_description",
      "pypi_url",
      "documentation_url",
      "repo_watchers",
      "commits_over_52",
      "participants"
    ])
    expect(pkg.id).toBe(2012)
    expect(pkg.participants).toHaveLength(103)
  })

  it("escapes the slug in the path", async () => {
    await expect(getPackage("a b/c", { baseUrl })).rejects.toBeInstanceOf(ApiRequestFailed)
    expect(seen[0]?.url).toBe("/api/v4/packages/a%20b%2Fc/")
  })

  it("throws the status and DRF detail on 404", async () => {
    const error = await getPackage("missing", { baseUrl }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiRequestFailed)
    expect(error).toMatchObject({
      status: 404,
      detail: "No Package matches the given query.",
      message: "HTTP 404: No Package matches the given query.",
      url: `${baseUrl}/api/v4/packages/missing/`
    })
  })

  it("joins DRF field errors into the message", async () => {
    await expect(getPackage("invalid", { baseUrl })).rejects.toThrow(
      "HTTP 400: slug: Enter a valid slug.; title: This field is required."
    )
  })

  it("falls back to the status text when the error body is not JSON", async () => {
    await expect(getPackage("broken", { baseUrl })).rejects.toMatchObject({
      status: 500,
      message: "HTTP 500: Internal Server Error"
    })
  })

  it("rejects a 200 that is not JSON or not a package", async () => {
    await expect(getPackage("not-json", { baseUrl })).rejects.toThrow(/not-json\/: body is not JSON/)
    await expect(getPackage("wrong-shape", { baseUrl })).rejects.toThrow(/wrong-shape\/: not a package/)
  })

  it("reports an unreachable server as a rejection, not a hang", async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    await expect(getPackage("dj-stripe", { baseUrl: `http://127.0.0.1:${port}` })).rejects.toThrow(
      `Could not reach the API at http://127.0.0.1:${port}/api/v4/packages/dj-stripe/`
    )
  })
})
