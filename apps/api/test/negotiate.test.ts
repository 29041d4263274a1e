import express, { type Request, Router } from "express"
import { Effect, Layer, ManagedRuntime } from "effect"
import { request as httpRequest, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { prepare } from "@packgrid/core/Store/Bootstrap"
import * as Store from "@packgrid/core/Store/Store"
import { engines, type TestEngine } from "@packgrid/core/Store/TestDatabase"
import { makeApp } from "../src/app.ts"
import { pythonJson } from "../src/http/browsable.ts"
import { formatSuffixes, formatSuffixOf, type Negotiation, selectRenderer } from "../src/http/negotiate.ts"
import { metadata, send } from "../src/http/respond.ts"
import { allowOf, route } from "../src/http/route.ts"
import { silentLogger } from "../src/logger.ts"
import type { AppRuntime } from "../src/runtime.ts"
import { Views } from "../src/v4/views.ts"
import { demoCatalogue, startServer, type TestServer } from "./support.ts"

const json = (mediaType = "application/json", indent?: number): Negotiation => ({ kind: "json", mediaType, indent })
const api = (mediaType = "text/html"): Negotiation => ({ kind: "api", mediaType })
const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

describe("selectRenderer (DRF's DefaultContentNegotiation)", () => {
  it("answers JSON without an Accept header, or for */* and application/json", () => {
    expect(selectRenderer(undefined, undefined)).toEqual(json())
    expect(selectRenderer("*/*", undefined)).toEqual(json())
    expect(selectRenderer("application/json", undefined)).toEqual(json())
    expect(selectRenderer("application/*", undefined)).toEqual(json("application/json"))
    expect(selectRenderer("APPLICATION/JSON", undefined)).toEqual(json("APPLICATION/JSON"))
  })

  it("answers the browsable API for text/html and browsers", () => {
    expect(selectRenderer("text/html", undefined)).toEqual(api())
    expect(selectRenderer("text/*", undefined)).toEqual(api("text/html"))
    expect(selectRenderer(BROWSER, undefined)).toEqual(api())
  })

  it("ranks by specificity, then by renderer order (JSON first); q weights rank nothing", () => {
    expect(selectRenderer("text/html, application/json", undefined).kind).toBe("json")
    expect(selectRenderer("application/json, text/html", undefined).kind).toBe("json")
    expect(selectRenderer("text/html;q=0.1, application/json", undefined).kind).toBe("json")
    // A q parameter alone is not "more specific", but text/html still beats */*.
    expect(selectRenderer("text/html;q=0, */*", undefined)).toEqual(api("text/html;q=0"))
    expect(selectRenderer("application/*, text/html", undefined).kind).toBe("api")
    // A real parameter is more specific.
    expect(selectRenderer("text/html, application/json; indent=2", undefined)).toEqual(
      json("application/json; indent=2", 2)
    )
  })

  it("reports the accepted media type as DRF does, and takes the JSON indent from it", () => {
    expect(selectRenderer("*/*;q=0.8", undefined)).toEqual(json("application/json;q=0.8"))
    expect(selectRenderer("application/json; indent=4", undefined)).toEqual(json("application/json; indent=4", 4))
    expect(selectRenderer("*/*; indent=2", undefined)).toEqual(json("application/json;indent=2", 2))
    expect(selectRenderer('application/json; indent="3"', undefined)).toEqual(json('application/json; indent="3"', 3))
    expect(selectRenderer("application/json; indent=0", undefined)).toEqual(json("application/json; indent=0"))
    expect(selectRenderer("application/json; indent=20", undefined)).toEqual(json("application/json; indent=20", 8))
    expect(selectRenderer("application/json; indent=x", undefined)).toEqual(json("application/json; indent=x"))
  })

  it("refuses an Accept nothing satisfies (406), an empty or malformed one included", () => {
    for (const accept of ["application/xml", "image/png, text/plain", "", "*", "json", "text/"]) {
      expect(selectRenderer(accept, undefined), accept).toEqual({ kind: "not-acceptable" })
    }
  })

  it("filters by format first: an unknown one is a 404 whatever Accept says", () => {
    expect(selectRenderer(undefined, "json")).toEqual(json())
    expect(selectRenderer(undefined, "api")).toEqual(api("text/html"))
    expect(selectRenderer(BROWSER, "json")).toEqual(json("application/json;q=0.8"))
    expect(selectRenderer("application/json", "api")).toEqual({ kind: "not-acceptable" })
    expect(selectRenderer("text/html", "json")).toEqual({ kind: "not-acceptable" })
    for (const format of ["xyz", "JSON", "html", "xml"]) {
      expect(selectRenderer("application/xml", format), format).toEqual({ kind: "unknown-format" })
    }
    // An empty ?format= is no format.
    expect(selectRenderer("text/html", "")).toEqual(api())
  })
})

describe("formatSuffixes (DRF's format_suffix_patterns)", () => {
  const rewrite = (url: string) => {
    const req = { url } as Request
    let called = false
    formatSuffixes(req, {} as never, () => (called = true))
    expect(called).toBe(true)
    return [req.url, formatSuffixOf(req)]
  }

  it("turns a suffix into the format and the path into the unsuffixed route", () => {
    expect(rewrite("/packages/2012.json")).toEqual(["/packages/2012/", "json"])
    expect(rewrite("/packages/2012.api/?x=1")).toEqual(["/packages/2012/?x=1", "api"])
    expect(rewrite("/packages.json?limit=1")).toEqual(["/packages/?limit=1", "json"])
    expect(rewrite("/.json")).toEqual(["/", "json"])
    expect(rewrite("/grids/django-rest/packages/7.json")).toEqual(["/grids/django-rest/packages/7/", "json"])
    // Any [a-z0-9]+ suffix is a format, as in DRF: the unknown ones become its 404.
    expect(rewrite("/packages/2012.xml")).toEqual(["/packages/2012/", "xml"])
  })

  it("leaves alone what DRF's suffix patterns do not match", () => {
    for (const url of [
      "/packages/2012/",
      "/packages/",
      "/",
      "/packages/.json",
      "/packages/a.b.json",
      "/packages/x.JSON"
    ]) {
      expect(rewrite(url)).toEqual([url, undefined])
    }
  })
})

type Wrapped = TestServer

/**
 * The real application behind `formatSuffixes` mounted on `/api/v4`, as app.ts should mount it (mounting
 * it twice is harmless, so this keeps working once app.ts does).
 */
const startWrapped = async (engine: TestEngine): Promise<Wrapped> => {
  const runtime = ManagedRuntime.make(Store.repositories.pipe(Layer.provideMerge(engine.layer))) as AppRuntime
  await runtime.runPromise(prepare(Effect.sync(demoCatalogue)))
  const app = express()
  app.use("/api/v4", formatSuffixes)
  app.use(
    makeApp({
      runtime,
      log: silentLogger,
      config: {
        port: 0,
        host: "127.0.0.1",
        databaseUrl: "",
        publicUrl: "https://djangopackages.org",
        timeZone: "America/New_York",
        corsOrigins: [],
        bodyLimit: "100kb"
      }
    })
  )
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s))
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    runtime,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await runtime.dispose()
    }
  }
}

const listen = async (app: express.Express) => {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s))
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/** A raw request (fetch refuses a body on HEAD responses' checks and hides some headers). */
const raw = (url: string, path: string, method = "GET", headers: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const { hostname, port } = new URL(url)
    const req = httpRequest({ host: hostname, port, path, method, headers }, (res) => {
      let body = ""
      res.setEncoding("utf8")
      res.on("data", (chunk: string) => (body += chunk))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on("error", reject)
    req.end()
  })

describe.each(engines())("negotiation against the real API on $name", (engine) => {
  let server: Wrapped
  beforeAll(async () => {
    server = await startWrapped(engine)
  })
  afterAll(() => server.close())

  const get = (path: string, accept?: string) =>
    fetch(`${server.url}${path}`, { headers: accept === undefined ? {} : { accept }, redirect: "manual" })

  it("follows Accept: JSON by default and for JSON or anything, the page for HTML", async () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, "application/json"],
      ["*/*", "application/json"],
      ["application/json", "application/json"],
      ["application/*;q=0.5", "application/json"],
      ["text/html", "text/html; charset=utf-8"],
      [BROWSER, "text/html; charset=utf-8"],
      ["text/html, application/json", "application/json"]
    ]
    for (const [accept, contentType] of cases) {
      const res = await get("/api/v4/packages/2012/", accept)
      expect(res.status, accept).toBe(200)
      expect(res.headers.get("content-type"), accept).toBe(contentType)
      expect(res.headers.get("vary"), accept).toBe("Accept")
      const body = await res.text()
      if (contentType === "application/json") expect((JSON.parse(body) as { id: number }).id).toBe(2012)
      else expect(body).toContain("<title>Package Instance – packgrid</title>")
    }
  })

  it("pretty-prints JSON for Accept: application/json; indent=N, as Python would", async () => {
    const res = await get("/api/v4/packages/2012/", "application/json; indent=4")
    expect(res.headers.get("content-type")).toBe("application/json")
    const text = await res.text()
    expect(text.startsWith('{\n    "category": "https://djangopackages.org/api/v4/categories/1/",\n')).toBe(true)
    expect(text).toBe(pythonJson(JSON.parse(text), 4))
    const compact = await (await get("/api/v4/packages/2012/", "application/json; indent=0")).text()
    expect(compact).toBe(JSON.stringify(JSON.parse(text)))
  })

  it("answers 406 when Accept matches no renderer, with the view's headers", async () => {
    for (const [path, accept] of [
      ["/api/v4/packages/2012/", "application/xml"],
      ["/api/v4/packages/", "image/png"],
      ["/api/v4/packages/999999/", "text/plain"],
      ["/api/v4/packages/2012/?format=json", "text/html"],
      ["/api/v4/packages/2012/?format=api", "application/json"],
      ["/api/v4/", "application/xml"]
    ] as const) {
      const res = await get(path, accept)
      expect(res.status, `${path} ${accept}`).toBe(406)
      expect(res.headers.get("content-type")).toBe("application/json")
      expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS")
      expect(res.headers.get("vary")).toBe("Accept")
      expect(res.headers.get("etag")).toBeNull()
      expect(await res.text()).toBe('{"detail":"Could not satisfy the request Accept header."}')
    }
  })

  it("answers an unknown ?format= with DRF's 404, whatever Accept says", async () => {
    for (const [path, accept] of [
      ["/api/v4/packages/2012/?format=xyz", undefined],
      ["/api/v4/packages/2012/?format=xml", "application/xml"],
      ["/api/v4/packages/2012/?format=JSON", "text/html"],
      ["/api/v4/packages/?format=yaml", undefined],
      ["/api/v4/packages/999999/?format=xyz", undefined]
    ] as const) {
      const res = await get(path, accept)
      expect(res.status, path).toBe(404)
      expect(res.headers.get("content-type")).toBe("application/json")
      expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS")
      expect(res.headers.get("vary")).toBe("Accept")
      expect(await res.text()).toBe('{"detail":"Not found."}')
    }
  })

  it("reads ?format= as Django does: the last one counts, an empty one is none", async () => {
    const last = await get("/api/v4/packages/2012/?format=json&format=api")
    expect(last.headers.get("content-type")).toBe("text/html; charset=utf-8")
    const empty = await get("/api/v4/packages/2012/?format=", "text/html")
    expect(empty.status).toBe(200)
    expect(empty.headers.get("content-type")).toBe("text/html; charset=utf-8")
  })

  it("serves format suffixes without a redirect, and keeps the suffix in hyperlinks", async () => {
    for (const path of [
      "/api/v4/packages/2012.json",
      "/api/v4/packages/2012.json/",
      "/api/v4/packages/dj-stripe.json"
    ]) {
      const res = await get(path)
      expect(res.status, path).toBe(200)
      expect(res.headers.get("content-type")).toBe("application/json")
      const body = (await res.json()) as { id: number; category: string; grids: Array<string> }
      expect(body.id).toBe(2012)
      expect(body.category).toBe("https://djangopackages.org/api/v4/categories/1.json")
      expect(body.grids).toEqual([
        "https://djangopackages.org/api/v4/grids/216.json",
        "https://djangopackages.org/api/v4/grids/5.json"
      ])
    }
  })

  it("takes the suffix over ?format= and Accept, and carries both into links as DRF's reverse does", async () => {
    const res = await get("/api/v4/packages/2012.json?format=api", "application/json")
    expect(res.headers.get("content-type")).toBe("application/json")
    expect(((await res.json()) as { category: string }).category).toBe(
      "https://djangopackages.org/api/v4/categories/1.json?format=api"
    )
  })

  it("renders the page for .api, showing the URL as requested", async () => {
    const res = await get("/api/v4/packages/2012.api")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
    const html = await res.text()
    expect(html).toContain("<pre><b>GET</b> /api/v4/packages/2012.api</pre>")
    expect(html).toContain('<a href="https://djangopackages.org/api/v4/categories/1.api" rel="nofollow">')
  })

  it("suffixes lists (paging links as requested) and the API root", async () => {
    const list = (await (await get("/api/v4/packages.json?limit=1")).json()) as {
      next: string
      results: Array<{ category: string }>
    }
    expect(list.next).toBe("https://djangopackages.org/api/v4/packages.json?limit=1&offset=1")
    expect(list.results[0]!.category).toMatch(/^https:\/\/djangopackages\.org\/api\/v4\/categories\/\d+\.json$/)
    const root = await get("/api/v4/.json")
    expect(root.status).toBe(200)
    expect(await root.json()).toEqual({
      packages: "https://djangopackages.org/api/v4/packages.json",
      search: "https://djangopackages.org/api/v4/search.json",
      grids: "https://djangopackages.org/api/v4/grids.json",
      categories: "https://djangopackages.org/api/v4/categories.json"
    })
  })

  it("answers an unknown suffix with DRF's 404", async () => {
    const res = await get("/api/v4/packages/2012.xml")
    expect(res.status).toBe(404)
    expect(await res.text()).toBe('{"detail":"Not found."}')
  })

  it("answers HEAD on a suffixed URL with GET's headers", async () => {
    const g = await raw(server.url, "/api/v4/packages/2012.api")
    const h = await raw(server.url, "/api/v4/packages/2012.api", "HEAD")
    expect(h.status).toBe(200)
    expect(h.body).toBe("")
    for (const name of ["content-length", "content-type", "allow", "vary"])
      expect(h.headers[name]).toBe(g.headers[name])
  })
})

describe("route(): one DRF view per path", () => {
  const things = { name: "Thing List", description: "Things, listed.\nTwo lines." }
  const thing = { name: "Thing Instance", description: 'One <thing> & "more".' }
  let server: { url: string; close: () => Promise<void> }
  let calls = 0

  beforeAll(async () => {
    const router = Router()
    route(router, "/", {
      view: { name: "Api Root", description: "The root." },
      get: (req, res, options) => send(req, res, 200, { things: "https://example.org/api/v9/things/" }, options)
    })
    route(router, "/things/", {
      view: things,
      get: (req, res, options) => {
        calls++
        send(req, res, 200, [], options)
      },
      post: (req, res, options) => send(req, res, 201, { created: true }, options)
    })
    route<{ id: string }>(router, "/things/:id/", {
      view: thing,
      allow: (_res, req) => (req.params.id === "7" ? "GET, DELETE, HEAD, OPTIONS" : "GET, HEAD, OPTIONS"),
      get: (req, res, options) => send(req, res, 200, { id: Number(req.params.id) }, options)
    })
    route(router, "/failing/", {
      view: things,
      get: async () => {
        await Promise.resolve()
        throw new Error("boom")
      }
    })
    const app = express()
    app.set("query parser", "simple")
    app.use("/api/v9", formatSuffixes)
    app.use("/api/v9", router)
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).end("handled")
    })
    server = await listen(app)
  })
  afterAll(() => server.close())

  it("computes Allow in DRF's order from the handlers given", () => {
    expect(allowOf({ view: things, get: () => 0 })).toBe("GET, HEAD, OPTIONS")
    expect(allowOf({ view: things, get: () => 0, delete: () => 0, put: () => 0, post: () => 0, patch: () => 0 })).toBe(
      "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"
    )
    expect(allowOf({ view: things, post: () => 0 })).toBe("POST, OPTIONS")
  })

  it("answers OPTIONS with DRF's metadata and the view's headers", async () => {
    const res = await raw(server.url, "/api/v9/things/", "OPTIONS")
    expect(res.status).toBe(200)
    expect(res.headers["content-type"]).toBe("application/json")
    expect(res.headers.allow).toBe("GET, POST, HEAD, OPTIONS")
    expect(res.headers.vary).toBe("Accept")
    expect(res.body).toBe(
      '{"name":"Thing List","description":"Things, listed.\\nTwo lines.","renders":["application/json","text/html"],"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"]}'
    )
    const detail = await raw(server.url, "/api/v9/things/7/", "OPTIONS")
    expect(detail.headers.allow).toBe("GET, DELETE, HEAD, OPTIONS")
    expect(JSON.parse(detail.body)).toEqual(metadata(thing))
  })

  it("negotiates OPTIONS like any answer: the page, a 406, a suffix", async () => {
    const page = await raw(server.url, "/api/v9/things/?format=api", "OPTIONS")
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8")
    expect(page.body).toContain("<pre><b>OPTIONS</b> /api/v9/things/?format=api</pre>")
    expect(page.body).toContain("&quot;name&quot;: &quot;Thing List&quot;,")
    const refused = await raw(server.url, "/api/v9/things/", "OPTIONS", { accept: "application/xml" })
    expect(refused.status).toBe(406)
    const suffixed = await raw(server.url, "/api/v9/things/7.json", "OPTIONS")
    expect(suffixed.status).toBe(200)
    expect(JSON.parse(suffixed.body)).toEqual(metadata(thing))
  })

  it("answers HEAD with GET's headers and no body", async () => {
    for (const path of ["/api/v9/things/3/", "/api/v9/things/3/?format=api", "/api/v9/"]) {
      const g = await raw(server.url, path)
      const h = await raw(server.url, path, "HEAD")
      expect(h.status).toBe(200)
      expect(h.body).toBe("")
      for (const name of ["content-length", "content-type", "allow", "vary"])
        expect(h.headers[name]).toBe(g.headers[name])
    }
  })

  it("runs the write handlers it is given, and answers other methods with DRF's 405", async () => {
    const created = await raw(server.url, "/api/v9/things/", "POST")
    expect(created.status).toBe(201)
    for (const [path, method] of [
      ["/api/v9/things/", "DELETE"],
      ["/api/v9/things/3/", "POST"],
      ["/api/v9/things/3/", "PATCH"],
      ["/api/v9/", "PUT"]
    ] as const) {
      const res = await raw(server.url, path, method)
      expect(res.status, `${method} ${path}`).toBe(405)
      expect(res.headers["content-type"]).toBe("application/json")
      expect(res.headers.vary).toBe("Accept")
      expect(JSON.parse(res.body)).toEqual({ detail: `Method "${method}" not allowed.` })
    }
    expect((await raw(server.url, "/api/v9/things/3/", "DELETE")).headers.allow).toBe("GET, HEAD, OPTIONS")
  })

  it("refuses an unrenderable request before the handler runs, as DRF negotiates first", async () => {
    const before = calls
    expect((await raw(server.url, "/api/v9/things/?format=xyz")).status).toBe(404)
    expect((await raw(server.url, "/api/v9/things/", "GET", { accept: "image/png" })).status).toBe(406)
    expect((await raw(server.url, "/api/v9/things/", "POST", { accept: "image/png" })).status).toBe(406)
    expect(calls).toBe(before)
    expect((await raw(server.url, "/api/v9/things/")).status).toBe(200)
    expect(calls).toBe(before + 1)
  })

  it("gives the page DRF's breadcrumbs from the views on the router", async () => {
    const html = (await raw(server.url, "/api/v9/things/3/?format=api")).body
    expect(html).toContain(
      [
        '<li><a href="/api/v9/">Api Root</a></li>',
        '<li><a href="/api/v9/things/">Thing List</a></li>',
        '<li><a href="/api/v9/things/3/" aria-current="page">Thing Instance</a></li>'
      ].join("\n")
    )
    // The description is escaped, its lines kept.
    expect(html).toContain("<p>One &lt;thing&gt; &amp; &quot;more&quot;.</p>")
    const list = (await raw(server.url, "/api/v9/things/?format=api")).body
    expect(list).toContain("<p>Things, listed.<br>\nTwo lines.</p>")
  })

  it("passes a rejected handler's error to Express", async () => {
    const res = await raw(server.url, "/api/v9/failing/")
    expect(res.status).toBe(500)
    expect(res.body).toBe("handled")
  })
})

// --- OPTIONS on the v4 routes, registered through route() ---

describe.each(engines())("OPTIONS on API v4 on $name", (engine) => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer(engine, { publicUrl: "https://djangopackages.org" })
  })
  afterAll(() => server.close())

  for (const [path, view] of [
    ["/api/v4/", Views.root],
    ["/api/v4/packages/", Views.packageList],
    ["/api/v4/packages/2012/", Views.packageInstance],
    ["/api/v4/grids/", Views.gridList],
    ["/api/v4/grids/5/", Views.gridInstance],
    ["/api/v4/categories/", Views.categoryList],
    ["/api/v4/categories/1/", Views.categoryInstance]
  ] as const) {
    it(`answers OPTIONS ${path} with DRF's metadata`, async () => {
      const res = await raw(server.url, path, "OPTIONS")
      expect(res.status).toBe(200)
      expect(res.headers["content-type"]).toBe("application/json")
      expect(res.headers.allow).toBe("GET, HEAD, OPTIONS")
      expect(res.headers.vary).toBe("Accept")
      expect(res.body).toBe(JSON.stringify(metadata(view)))
      const head = await raw(server.url, path, "HEAD")
      const got = await raw(server.url, path)
      for (const name of ["content-length", "content-type", "allow", "vary"]) {
        expect(head.headers[name], name).toBe(got.headers[name])
      }
    })
  }

  it("answers an anonymous DELETE on a read-only URL with 405 or 401, never 404", async () => {
    const res = await raw(server.url, "/api/v4/packages/", "DELETE")
    expect([401, 405]).toContain(res.status)
  })
})
