/** API v4 behaviours of the reference (§4.1) beyond packages: root, grids, categories, search. */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { engines } from "@packgrid/core/Store/TestDatabase"
import { startServer, type TestServer } from "./support.ts"

const BASE = "https://djangopackages.org"

for (const engine of engines()) {
  describe(`API v4 reference behaviours on ${engine.name}`, () => {
    let server: TestServer
    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`)
      return { status: res.status, headers: res.headers, body: (await res.json()) as any }
    }
    beforeAll(async () => {
      server = await startServer(engine, { publicUrl: BASE })
    })
    afterAll(() => server.close())

    it("answers the root with an absolute link to each collection", async () => {
      const { body, status } = await get("/api/v4/")
      expect(status).toBe(200)
      expect(body).toEqual({
        packages: `${BASE}/api/v4/packages/`,
        search: `${BASE}/api/v4/search/`,
        grids: `${BASE}/api/v4/grids/`,
        categories: `${BASE}/api/v4/categories/`
      })
    })

    it("serves a grid with the reference's fields in order, members as links ordered by package title", async () => {
      const { body } = await get("/api/v4/grids/5/")
      expect(Object.keys(body)).toEqual([
        "id",
        "title",
        "slug",
        "description",
        "is_locked",
        "packages",
        "header",
        "created",
        "modified"
      ])
      expect(body.packages).toContain(`${BASE}/api/v4/packages/2012/`)
      const titles: Array<string> = []
      for (const link of body.packages as Array<string>) {
        const id = link.split("/").at(-2)
        titles.push(((await get(`/api/v4/packages/${id}/`)).body as { title: string }).title)
      }
      expect(titles).toEqual([...titles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
      expect((await get(`/api/v4/grids/${body.slug as string}/`)).body.id).toBe(5)
    })

    it("lists grids and categories newest first in the pagination envelope", async () => {
      const grids = await get("/api/v4/grids/?limit=2")
      expect(grids.body.count).toBe(347)
      expect(grids.body.results.map((g: { id: number }) => g.id)).toEqual(
        [...grids.body.results.map((g: { id: number }) => g.id)].sort((a, b) => b - a)
      )
      const categories = await get("/api/v4/categories/")
      expect(categories.body.count).toBe(4)
      expect(categories.body.results.map((c: { id: number }) => c.id)).toEqual([4, 3, 2, 1])
      expect(Object.keys(categories.body.results[0])).toEqual([
        "id",
        "title",
        "slug",
        "description",
        "title_plural",
        "show_pypi",
        "created",
        "modified"
      ])
    })

    it("looks categories up by id only, as the reference does", async () => {
      expect((await get("/api/v4/categories/1/")).body.slug).toBe("apps")
      const bySlug = await get("/api/v4/categories/apps/")
      expect(bySlug.status).toBe(404)
      expect(bySlug.body).toEqual({ detail: "No Category matches the given query." })
    })

    it("searches into a plain array of at most 20 rows in the SearchV3 shape, and [] for an empty query", async () => {
      const { body, status } = await get("/api/v4/search/?q=stripe")
      expect(status).toBe(200)
      expect(Array.isArray(body)).toBe(true)
      expect(body.length).toBeGreaterThan(0)
      expect(body.length).toBeLessThanOrEqual(20)
      expect(Object.keys(body[0])).toEqual([
        "description",
        "title",
        "title_no_prefix",
        "slug_no_prefix",
        "clean_title",
        "absolute_url",
        "created",
        "modified",
        "weight",
        "item_type",
        "slug",
        "category",
        "repo_watchers",
        "repo_forks",
        "pypi_downloads",
        "score",
        "usage",
        "participants",
        "last_committed",
        "last_released"
      ])
      expect(body[0].slug).toBe("dj-stripe")
      expect(body[0].absolute_url).toBe("/packages/p/dj-stripe/")
      expect(typeof body[0].participants).toBe("string")
      expect((await get("/api/v4/search/?q=")).body).toEqual([])
      expect((await get("/api/v4/search/")).body).toEqual([])
    })

    it("refuses writes to a read path it does not allow, listing what is allowed", async () => {
      const res = await fetch(`${server.url}/api/v4/search/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}"
      })
      expect(res.status).toBe(405)
      expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS")
    })
  })
}
