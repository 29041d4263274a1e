import express from "express"
import { ConfigProvider, Effect } from "effect"
import type { Server } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Package } from "@packgrid/core/Domain/Package"
import { Packages } from "@packgrid/core/Store/Packages"
import { engines } from "@packgrid/core/Store/TestDatabase"
import { Users } from "@packgrid/core/Store/Users"
import { makeApp } from "../src/app.ts"
import { loadConfig, type ServerConfig } from "../src/config.ts"
import { silentLogger } from "../src/logger.ts"
import type { AppRuntime } from "../src/runtime.ts"
import { APIV1_GONE_MESSAGE, v1Gone, v3Router } from "../src/v3/routes.ts"
import { demoCatalogue, startServer, type TestServer } from "./support.ts"

// Every setting at its default (whatever settings the server grows), as `startServer` runs it.
const config: ServerConfig = {
  ...Effect.runSync(Effect.withConfigProvider(loadConfig, ConfigProvider.fromMap(new Map()))),
  port: 0,
  databaseUrl: "",
  publicUrl: undefined,
  timeZone: "America/New_York"
}

/** The app as the lead mounts it: v1 and v3 first, then everything else (the `/api` 404 for v2). */
const listen = async (runtime: AppRuntime) => {
  const app = express()
  app.use("/api/v1", v1Gone)
  app.use("/api/v3", v3Router(runtime, config, silentLogger))
  app.use(makeApp({ runtime, config, log: silentLogger }))
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s))
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

interface Catalogue {
  readonly categories: ReadonlyArray<{ id: number; slug: string; title: string }>
  readonly grids: ReadonlyArray<{ id: number; slug: string; title: string; packages: ReadonlyArray<number> }>
  readonly packages: ReadonlyArray<{ id: number; slug: string; title: string; category: number }>
}
const demo = demoCatalogue() as Catalogue

type Meta = { limit: number; next: string | null; offset: number; previous: string | null; total_count: number }
type Page = { meta: Meta; category?: null; grid?: Record<string, unknown>; objects: Array<Record<string, unknown>> }

const byTitle = <T extends { title: string; id: number }>(a: T, b: T) =>
  a.title < b.title ? -1 : a.title > b.title ? 1 : a.id - b.id

const PACKAGE_KEYS = [
  "absolute_url",
  "created",
  "modified",
  "slug",
  "title",
  "category",
  "commit_list",
  "commits_over_52",
  "created_by",
  "documentation_url",
  "grids",
  "last_fetched",
  "last_modified_by",
  "participants",
  "pypi_url",
  "pypi_version",
  "repo_description",
  "repo_forks",
  "repo_url",
  "repo_watchers",
  "resource_uri",
  "usage_count"
]
const GRID_KEYS = [
  "absolute_url",
  "created",
  "modified",
  "slug",
  "title",
  "description",
  "is_locked",
  "resource_uri",
  "header",
  "packages"
]
const CATEGORY_KEYS = [
  "absolute_url",
  "created",
  "modified",
  "slug",
  "title",
  "description",
  "resource_uri",
  "show_pypi",
  "title_plural"
]
const META_KEYS = ["limit", "next", "offset", "previous", "total_count"]
const DJANGO_JSON_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/

describe.each(engines())("API v3 on $name", (engine) => {
  let server: TestServer
  let app: { url: string; close: () => Promise<void> }
  beforeAll(async () => {
    server = await startServer(engine)
    app = await listen(server.runtime)
  })
  afterAll(async () => {
    await app.close()
    await server.close()
  })

  const get = (path: string, init?: RequestInit) => fetch(`${app.url}${path}`, { redirect: "manual", ...init })
  const json = async <T = Record<string, unknown>>(path: string) => {
    const res = await get(path)
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("application/json")
    return (await res.json()) as T
  }

  it("answers the index with relative endpoint paths, in Python's json.dumps spelling", async () => {
    const res = await get("/api/v3/")
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("application/json")
    expect(await res.text()).toBe(
      '{"categories": "/api/v3/categories/", "grids": "/api/v3/grids/", "packages": "/api/v3/packages/", "users": "/api/v3/users/"}'
    )
  })

  it("pages packages by title in the meta/objects envelope with relative links, default limit 20", async () => {
    const titles = [...demo.packages].sort(byTitle)
    const first = await json<Page>("/api/v3/packages/")
    expect(Object.keys(first)).toEqual(["meta", "category", "objects"])
    expect(Object.keys(first.meta)).toEqual(META_KEYS)
    expect(first.meta).toEqual({
      limit: 20,
      next: "/api/v3/packages/?limit=20&offset=20",
      offset: 0,
      previous: null,
      total_count: demo.packages.length
    })
    expect(first.objects.map((o) => o.slug)).toEqual(titles.slice(0, 20).map((p) => p.slug))

    const middle = await json<Page>("/api/v3/packages/?limit=10&offset=5")
    expect(middle.meta.next).toBe("/api/v3/packages/?limit=10&offset=15")
    // `max(offset - limit, 0)`: the reference spells out `offset=0`.
    expect(middle.meta.previous).toBe("/api/v3/packages/?limit=10&offset=0")
    expect(middle.objects.map((o) => o.slug)).toEqual(titles.slice(5, 15).map((p) => p.slug))

    const last = await json<Page>(`/api/v3/packages/?limit=20&offset=${demo.packages.length - 3}`)
    expect(last.meta.next).toBeNull()
    expect(last.meta.previous).toBe(`/api/v3/packages/?limit=20&offset=${demo.packages.length - 23}`)
    expect(last.objects).toHaveLength(3)
  })

  it("reads limit and offset as GET_int does: unreadable values fall back, negative ones are a 400", async () => {
    const fallback = await json<Page>("/api/v3/packages/?limit=abc&offset=1.5")
    expect([fallback.meta.limit, fallback.meta.offset]).toEqual([20, 0])
    const python = await json<Page>("/api/v3/packages/?limit=%202_0%20&offset=+1&limit=3")
    expect([python.meta.limit, python.meta.offset]).toEqual([3, 1])

    const res = await get("/api/v3/packages/?offset=-1")
    expect(res.status).toBe(400)
    expect(res.headers.get("content-type")).toBe("application/json")
    expect(await res.json()).toEqual({
      error: 400,
      message: `offset must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}.`
    })
  })

  it("serves a package with the reference's keys in order, comma strings and UTC datetimes", async () => {
    const res = await get("/api/v3/packages/dj-stripe/")
    expect(res.headers.get("content-type")).toBe("application/json")
    const text = await res.text()
    const body = JSON.parse(text) as Record<string, unknown>
    expect(Object.keys(body)).toEqual(PACKAGE_KEYS)
    const weeks =
      "0,0,0,0,0,0,0,0,0,1,2,0,0,0,0,0,0,0,0,0,0,10,0,1,0,2,4,4,2,0,0,2,1,10,7,0,0,0,0,0,0,0,0,0,0,1,6,0,0,0,0,0"
    expect(body).toMatchObject({
      absolute_url: "/packages/p/dj-stripe/",
      created: "2013-09-01T17:55:38.132Z",
      modified: "2026-01-28T19:02:42.047Z",
      slug: "dj-stripe",
      title: "dj-stripe",
      category: "/api/v3/categories/apps/",
      commit_list: weeks,
      commits_over_52: weeks,
      created_by: null,
      documentation_url: "https://dj-stripe.dev/dj-stripe/",
      grids: ["/api/v3/grids/stripe/", "/api/v3/grids/payment-processing/"],
      last_fetched: "2026-02-15T22:06:05.465Z",
      last_modified_by: null,
      pypi_url: "http://pypi.python.org/pypi/dj-stripe",
      pypi_version: "2.10.3",
      repo_forks: 513,
      repo_url: "https://github.com/dj-stripe/dj-stripe",
      repo_watchers: 1778,
      resource_uri: "/api/v3/packages/dj-stripe/",
      usage_count: 27
    })
    const seed = demo.packages.find((p) => p.slug === "dj-stripe") as unknown as { participants: Array<string> }
    expect(body.participants).toBe(seed.participants.join(","))
    expect(body.participants).toMatch(/^jleclanche,kavdev,arnav13081994,pydanny,/)
    // Python's separators, not JavaScript's.
    expect(text.startsWith('{"absolute_url": "/packages/p/dj-stripe/", "created": ')).toBe(true)
  })

  it("gives both commit keys as an empty string for a package never fetched", async () => {
    const slug = demo.packages.find((p) => p.slug !== "dj-stripe")!.slug
    const body = await json(`/api/v3/packages/${slug}/`)
    expect(body.commit_list).toBe("")
    expect(body.commits_over_52).toBe("")
    for (const key of ["created", "modified", "last_fetched"]) expect(body[key]).toMatch(DJANGO_JSON_DATETIME)
  })

  it("filters packages by ?category=<slug> yet answers `category: null`, and drops the filter from its links", async () => {
    const projects = demo.packages.filter((p) => p.category === 3).sort(byTitle)
    const page = await json<Page>("/api/v3/packages/?category=projects&limit=5")
    expect(page.category).toBeNull()
    expect(Object.keys(page)).toEqual(["meta", "category", "objects"])
    expect(page.meta.total_count).toBe(projects.length)
    expect(page.objects.map((o) => o.slug)).toEqual(projects.slice(0, 5).map((p) => p.slug))
    for (const o of page.objects) expect(o.category).toBe("/api/v3/categories/projects/")
    // `calc_next` uses request.path alone: following `next` leaves the category.
    expect(page.meta.next).toBe("/api/v3/packages/?limit=5&offset=5")

    for (const query of ["?category=no-such-category", "?category="]) {
      const all = await json<Page>(`/api/v3/packages/${query}`)
      expect(all.category).toBeNull()
      expect(all.meta.total_count).toBe(demo.packages.length)
    }
  })

  it("lists grids by title with their members' URIs in package-title order", async () => {
    const grids = [...demo.grids].sort(byTitle)
    const page = await json<Page>("/api/v3/grids/?limit=3&offset=1")
    expect(Object.keys(page)).toEqual(["meta", "objects"])
    expect(page.meta).toEqual({
      limit: 3,
      next: "/api/v3/grids/?limit=3&offset=4",
      offset: 1,
      previous: "/api/v3/grids/?limit=3&offset=0",
      total_count: demo.grids.length
    })
    expect(page.objects.map((g) => g.slug)).toEqual(grids.slice(1, 4).map((g) => g.slug))
    const titleOf = new Map(demo.packages.map((p) => [p.id, p]))
    for (const [i, g] of page.objects.entries()) {
      expect(Object.keys(g)).toEqual(GRID_KEYS)
      const members = grids[i + 1]!.packages.map((id) => titleOf.get(id)!).sort(byTitle)
      expect(g.packages).toEqual(members.map((p) => `/api/v3/packages/${p.slug}/`))
    }
  })

  it("serves a grid by slug, and its packages page with the grid between meta and objects", async () => {
    const grid = await json("/api/v3/grids/payment-processing/")
    expect(Object.keys(grid)).toEqual(GRID_KEYS)
    expect(grid).toMatchObject({
      absolute_url: "/grids/g/payment-processing/",
      slug: "payment-processing",
      title: "Payment Processing",
      is_locked: false,
      header: false,
      resource_uri: "/api/v3/grids/payment-processing/"
    })
    expect(grid.created).toMatch(DJANGO_JSON_DATETIME)
    const members = demo.grids.find((g) => g.slug === "payment-processing")!.packages
    expect(grid.packages).toHaveLength(members.length)

    const page = await json<Page>("/api/v3/grids/payment-processing/packages/?limit=10")
    expect(Object.keys(page)).toEqual(["meta", "grid", "objects"])
    expect(page.grid).toEqual(grid)
    expect(page.meta).toEqual({
      limit: 10,
      next: "/api/v3/grids/payment-processing/packages/?limit=10&offset=10",
      offset: 0,
      previous: null,
      total_count: members.length
    })
    expect(page.objects.map((o) => o.resource_uri)).toEqual((grid.packages as Array<string>).slice(0, 10))
    expect(Object.keys(page.objects[0]!)).toEqual(PACKAGE_KEYS)
  })

  it("lists categories by title and serves one by slug", async () => {
    const page = await json<Page>("/api/v3/categories/")
    expect(page.meta).toEqual({ limit: 20, next: null, offset: 0, previous: null, total_count: 4 })
    expect(page.objects.map((c) => c.title)).toEqual(["App", "Framework", "Other", "Project"])
    const apps = await json("/api/v3/categories/apps/")
    expect(Object.keys(apps)).toEqual(CATEGORY_KEYS)
    expect(apps).toMatchObject({
      absolute_url: "/categories/apps/",
      slug: "apps",
      title: "App",
      resource_uri: "/api/v3/categories/apps/",
      show_pypi: true,
      title_plural: "Apps"
    })
    expect(page.objects[0]).toEqual(apps)
  })

  it("answers a missing object with jsonview's 404 body", async () => {
    const cases = [
      ["/api/v3/packages/no-such-package/", "Package"],
      ["/api/v3/grids/no-such-grid/", "Grid"],
      ["/api/v3/grids/no-such-grid/packages/", "Grid"],
      ["/api/v3/categories/no-such-category/", "Category"]
    ] as const
    for (const [path, entity] of cases) {
      const res = await get(path)
      expect(res.status).toBe(404)
      expect(res.headers.get("content-type")).toBe("application/json")
      expect(await res.text()).toBe(`{"error": 404, "message": "No ${entity} matches the given query."}`)
    }
  })

  it("refuses the users endpoints with a 403, as they require a login APIv3 does not offer", async () => {
    for (const path of ["/api/v3/users/", "/api/v3/users/jezdez/", "/api/v3/users/?list_packages=1"]) {
      const res = await get(path)
      expect(res.status).toBe(403)
      expect(res.headers.get("content-type")).toBe("application/json")
      const body = (await res.json()) as { error: number; message: string }
      expect(body.error).toBe(403)
      expect(body.message).toMatch(/^Login required/)
    }
  })

  it("answers HEAD like GET without a body, and other methods with jsonview's 405", async () => {
    const head = await get("/api/v3/packages/dj-stripe/", { method: "HEAD" })
    expect(head.status).toBe(200)
    expect(head.headers.get("content-type")).toBe("application/json")
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(100)
    expect(await head.text()).toBe("")

    for (const method of ["POST", "PUT", "DELETE"]) {
      const res = await get("/api/v3/packages/dj-stripe/", { method })
      expect(res.status).toBe(405)
      expect(res.headers.get("allow")).toBe("GET, HEAD")
      expect(await res.json()).toEqual({ error: 405, message: "HTTP method not allowed." })
    }
  })

  it("answers every APIv1 path and method with 410 Gone and the pointer to APIv3", async () => {
    for (const [path, method] of [
      ["/api/v1/", "GET"],
      ["/api/v1/package/django/", "GET"],
      ["/api/v1/grid/cms", "GET"],
      ["/api/v1/package/", "POST"]
    ] as const) {
      const res = await get(path, { method })
      expect(res.status).toBe(410)
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
      const text = await res.text()
      expect(text).toBe(APIV1_GONE_MESSAGE)
      expect(text).toMatch(/^APIv1 was removed on April 2, 2015\.\nPlease switch to APIv3:/)
      expect(text).toContain('<a href="/api/v3/">APIv3 Endpoint</a>')
    }
    const bare = await get("/api/v1?x=1")
    expect(bare.status).toBe(301)
    expect(bare.headers.get("location")).toBe("/api/v1/?x=1")
  })

  it("has no APIv2: a 404", async () => {
    for (const path of ["/api/v2/", "/api/v2/packages/"]) expect((await get(path)).status).toBe(404)
  })

  it("names the creator and last editor by login, and escapes non-ASCII as Python does", async () => {
    const slug = "v3-creator-check"
    await server.runtime.runPromise(
      Effect.gen(function* () {
        const user = yield* Effect.flatMap(Users, (u) => u.create({ username: "jezdez", role: "editor" }))
        yield* Effect.flatMap(Packages, (p) =>
          p.create(
            {
              slug: slug as Package["slug"],
              title: "Zürich ☃",
              category: 2 as Package["category"],
              repo_url: "https://github.com/example/v3-creator-check",
              repo_description: "Café 😀\u2028",
              participants: ["ana", "bo"]
            },
            user.id
          )
        )
      })
    )
    try {
      const res = await get(`/api/v3/packages/${slug}/`)
      const text = await res.text()
      expect(text).toMatch(/^[\x20-\x7e]*$/)
      expect(text).toContain('"title": "Z\\u00fcrich \\u2603"')
      expect(text).toContain('"repo_description": "Caf\\u00e9 \\ud83d\\ude00\\u2028"')
      expect(JSON.parse(text)).toMatchObject({
        title: "Zürich ☃",
        category: "/api/v3/categories/frameworks/",
        created_by: "/api/v3/users/jezdez/",
        last_modified_by: "jezdez",
        participants: "ana,bo",
        grids: []
      })
    } finally {
      await server.runtime.runPromise(Effect.flatMap(Packages, (p) => p.remove({ slug })))
    }
  })
})
