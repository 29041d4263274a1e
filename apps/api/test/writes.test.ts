/**
 * Writes through API v4: packages, grids (features, members, cells) and categories — happy paths in the
 * v4 shape, DRF validation bodies, conflicts, references, ETags and If-Match, body limits, and the web
 * login's session with its CSRF token.
 */
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Grids } from "@packgrid/core/Store/Grids"
import { Packages } from "@packgrid/core/Store/Packages"
import { engines } from "@packgrid/core/Store/TestDatabase"
import { call, type Caller, CATEGORY_KEYS, fingerprint, GRID_KEYS, PACKAGE_KEYS, userWithToken } from "./clients.ts"
import { startServer, type TestServer } from "./support.ts"

const PASSWORD = "correct horse battery staple"

for (const engine of engines()) {
  describe(`API v4 writes on ${engine.name}`, () => {
    let server: TestServer
    let editor: Caller
    let moderator: Caller
    let admin: Caller
    const link = (path: string) => `${server.url}${path}`

    beforeAll(async () => {
      server = await startServer(engine)
      editor = await userWithToken(server, "editor", PASSWORD)
      moderator = await userWithToken(server, "moderator")
      admin = await userWithToken(server, "admin")
    })
    afterAll(() => server.close())

    let repoSerial = 0
    const newPackage = (extra: Record<string, unknown> = {}) => {
      const n = ++repoSerial
      return {
        title: `Write test ${n}`,
        slug: `write-test-${engine.name}-${n}`,
        category: 1,
        repo_url: `https://github.com/packgrid-tests/write-${n}`,
        ...extra
      }
    }
    const createPackage = async (extra: Record<string, unknown> = {}) => {
      const res = await call(server, "POST", "/api/v4/packages/", { key: editor.key, json: newPackage(extra) })
      expect(res.status, res.text).toBe(201)
      return res.body as Record<string, any>
    }
    let gridSerial = 0
    const createGrid = async () => {
      const n = ++gridSerial
      const res = await call(server, "POST", "/api/v4/grids/", {
        key: editor.key,
        json: { title: `Grid ${n}`, slug: `write-grid-${n}`, description: "For tests." }
      })
      expect(res.status, res.text).toBe(201)
      return res.body as Record<string, any>
    }
    const storedGrid = (id: number) => server.runtime.runPromise(Effect.flatMap(Grids, (g) => g.get({ id })))
    const storedPackage = (id: number) => server.runtime.runPromise(Effect.flatMap(Packages, (p) => p.get({ id })))

    describe("packages", () => {
      it("creates a package: 201, the v4 shape, Location and ETag, and GET shows it", async () => {
        const input = newPackage({
          repo_url: "git@github.com:Packgrid-Tests/Created.git",
          pypi_url: "https://pypi.org/project/created/",
          documentation_url: "https://created.readthedocs.io/",
          repo_description: "Made by a test."
        })
        const res = await call(server, "POST", "/api/v4/packages/", { key: editor.key, json: input })
        expect(res.status, res.text).toBe(201)
        expect(res.headers.get("content-type")).toBe("application/json")
        const body = res.body as Record<string, any>
        expect(Object.keys(body)).toEqual(PACKAGE_KEYS)
        expect(body).toMatchObject({
          title: input.title,
          slug: input.slug,
          category: link("/api/v4/categories/1/"),
          grids: [],
          repo_url: "https://github.com/Packgrid-Tests/Created",
          pypi_url: "https://pypi.org/project/created/",
          documentation_url: "https://created.readthedocs.io/",
          repo_description: "Made by a test.",
          repo_forks: 0,
          repo_watchers: 0,
          commits_over_52: [],
          participants: [],
          pypi_version: null,
          last_updated: null,
          last_fetched: null
        })
        expect(body.id).toBeGreaterThan(4231)
        expect(res.headers.get("location")).toBe(link(`/api/v4/packages/${body.id}/`))
        expect(res.headers.get("etag")).toBe(`"package-${body.id}-1"`)

        const got = await call(server, "GET", `/api/v4/packages/${body.id}/`)
        expect(got.status).toBe(200)
        expect(got.body).toEqual(body)
        expect(got.headers.get("etag")).toBe(`"package-${body.id}-1"`)
        const bySlug = await call(server, "GET", `/api/v4/packages/${input.slug}/`)
        expect(bySlug.body).toEqual(body)
        const stored = await storedPackage(body.id)
        expect(stored.repo_host).toBe("github")
        expect(stored.created_by).not.toBeNull()
      })

      it("replaces a package with PUT and changes part of one with PATCH", async () => {
        const created = await createPackage({ repo_description: "before" })
        const replacement = newPackage({ category: 2, repo_description: "after", pypi_url: "put-pypi" })
        const put = await call(server, "PUT", `/api/v4/packages/${created.id}/`, {
          key: editor.key,
          json: replacement
        })
        expect(put.status, put.text).toBe(200)
        expect(Object.keys(put.body)).toEqual(PACKAGE_KEYS)
        expect(put.body).toMatchObject({
          id: created.id,
          title: replacement.title,
          slug: replacement.slug,
          category: link("/api/v4/categories/2/"),
          repo_url: replacement.repo_url,
          repo_description: "after",
          pypi_url: "put-pypi"
        })
        expect(put.headers.get("etag")).toBe(`"package-${created.id}-2"`)
        expect((await call(server, "GET", `/api/v4/packages/${created.id}/`)).body).toEqual(put.body)

        const patch = await call(server, "PATCH", `/api/v4/packages/${replacement.slug}/`, {
          key: editor.key,
          json: { title: "Patched title" }
        })
        expect(patch.status, patch.text).toBe(200)
        expect(patch.body).toEqual({ ...put.body, title: "Patched title", modified: patch.body.modified })
        expect(patch.headers.get("etag")).toBe(`"package-${created.id}-3"`)
        expect((await call(server, "GET", `/api/v4/packages/${created.id}/`)).body.title).toBe("Patched title")
      })

      it("deletes a package: 204 without a body, then 404", async () => {
        const created = await createPackage()
        const res = await call(server, "DELETE", `/api/v4/packages/${created.id}/`, { key: moderator.key })
        expect(res.status).toBe(204)
        expect(res.text).toBe("")
        expect((await call(server, "GET", `/api/v4/packages/${created.id}/`)).status).toBe(404)
        expect((await call(server, "DELETE", `/api/v4/packages/${created.id}/`, { key: moderator.key })).status).toBe(
          404
        )
      })

      it("answers invalid input with DRF's validation body and writes nothing", async () => {
        const before = await fingerprint(server)
        const missing = await call(server, "POST", "/api/v4/packages/", { key: editor.key, json: {} })
        expect(missing.status).toBe(400)
        expect(missing.body).toEqual({
          title: ["This field is required."],
          slug: ["This field is required."],
          category: ["This field is required."],
          repo_url: ["This field is required."]
        })

        const bad = await call(server, "POST", "/api/v4/packages/", {
          key: editor.key,
          json: newPackage({ title: "", slug: "Not A Slug", repo_description: "x".repeat(501), colour: "blue" })
        })
        expect(bad.status).toBe(400)
        expect(bad.body).toEqual({
          title: ["This field may not be blank."],
          slug: ["Enter a valid slug: lower-case letters, digits, underscores or hyphens."],
          repo_description: ["Ensure this field has no more than 500 characters."],
          colour: ["Unknown field: it is not one this endpoint accepts."]
        })

        const long = await call(server, "POST", "/api/v4/packages/", {
          key: editor.key,
          json: newPackage({ title: "t".repeat(101), slug: "12345" })
        })
        expect(long.status).toBe(400)
        expect(long.body).toEqual({
          title: ["Ensure this field has no more than 100 characters."],
          slug: ["A slug may not be all digits: it would be read as an id."]
        })

        const wrongTypes = await call(server, "POST", "/api/v4/packages/", {
          key: editor.key,
          json: newPackage({ title: 42, category: -1 })
        })
        expect(wrongTypes.status).toBe(400)
        expect(Object.keys(wrongTypes.body).sort()).toEqual(["category", "title"])

        const repo = await call(server, "POST", "/api/v4/packages/", {
          key: editor.key,
          json: newPackage({ repo_url: "not a url at all" })
        })
        expect(repo.status).toBe(400)
        expect(Object.keys(repo.body)).toEqual(["repo_url"])

        const category = await call(server, "POST", "/api/v4/packages/", {
          key: editor.key,
          json: newPackage({ category: 99999 })
        })
        expect(category.status).toBe(400)
        expect(category.body).toEqual({ category: ['Invalid pk "99999" - object does not exist.'] })

        const notObject = await call(server, "POST", "/api/v4/packages/", { key: editor.key, json: [1, 2] })
        expect(notObject.status).toBe(400)
        expect(notObject.body).toEqual({ non_field_errors: ["Invalid data. Expected a dictionary, but got list."] })

        // A PUT with one bad field changes nothing, not even the fields that were fine.
        const put = await call(server, "PUT", "/api/v4/packages/2012/", {
          key: editor.key,
          json: {
            title: "Changed",
            slug: "dj-stripe",
            category: 1,
            repo_url: "https://github.com/dj-stripe/dj-stripe",
            pypi_url: 7
          }
        })
        expect(put.status).toBe(400)
        expect(Object.keys(put.body)).toEqual(["pypi_url"])
        expect(await fingerprint(server)).toEqual(before)
      })

      it("refuses a taken slug or repository URL with a 400 naming the field", async () => {
        const before = await fingerprint(server)
        const slug = await call(server, "POST", "/api/v4/packages/", {
          key: editor.key,
          json: newPackage({ slug: "dj-stripe" })
        })
        expect(slug.status).toBe(400)
        expect(slug.body).toEqual({ slug: ["package with this slug already exists."] })

        // The same repository spelled another way is the same repository.
        const repo = await call(server, "POST", "/api/v4/packages/", {
          key: editor.key,
          json: newPackage({ repo_url: "https://www.GitHub.com/dj-stripe/dj-stripe.git/" })
        })
        expect(repo.status).toBe(400)
        expect(repo.body).toEqual({ repo_url: ["package with this repo_url already exists."] })

        const patch = await call(server, "PATCH", "/api/v4/packages/1/", {
          key: editor.key,
          json: { slug: "dj-stripe" }
        })
        expect(patch.status).toBe(400)
        expect(patch.body).toEqual({ slug: ["package with this slug already exists."] })
        expect(await fingerprint(server)).toEqual(before)
      })

      it("takes a category by id, slug or v4 URL", async () => {
        const byId = await createPackage({ category: 2 })
        expect(byId.category).toBe(link("/api/v4/categories/2/"))
        const bySlug = await createPackage({ category: "projects" })
        expect(bySlug.category).toBe(link("/api/v4/categories/3/"))
        const byUrl = await createPackage({ category: link("/api/v4/categories/4/") })
        expect(byUrl.category).toBe(link("/api/v4/categories/4/"))
        const byUrlWithFormat = await createPackage({
          category: "https://elsewhere.example/api/v4/categories/1/?format=json"
        })
        expect(byUrlWithFormat.category).toBe(link("/api/v4/categories/1/"))

        const wrongKind = await call(server, "POST", "/api/v4/packages/", {
          key: editor.key,
          json: newPackage({ category: link("/api/v4/grids/1/") })
        })
        expect(wrongKind.status).toBe(400)
        expect(wrongKind.body).toEqual({ category: ["Invalid hyperlink - No URL match."] })
        const unknown = await call(server, "POST", "/api/v4/packages/", {
          key: editor.key,
          json: newPackage({ category: "no-such-category" })
        })
        expect(unknown.status).toBe(400)
        expect(unknown.body).toEqual({ category: ['Invalid pk "no-such-category" - object does not exist.'] })
      })

      it("lets only an admin set the deprecation fields, naming the replacement by id, slug or URL", async () => {
        const old = await createPackage()
        const forbidden = await call(server, "PATCH", `/api/v4/packages/${old.id}/`, {
          key: editor.key,
          json: { date_deprecated: "2024-01-02T03:04:05Z" }
        })
        expect(forbidden.status).toBe(403)
        expect((await storedPackage(old.id)).date_deprecated).toBeNull()
        const created = await call(server, "POST", "/api/v4/packages/", {
          key: moderator.key,
          json: newPackage({ date_repo_archived: "2024-01-02T03:04:05Z" })
        })
        expect(created.status).toBe(403)

        for (const ref of [2012, "dj-stripe", link("/api/v4/packages/2012/")]) {
          const res = await call(server, "PATCH", `/api/v4/packages/${old.id}/`, {
            key: admin.key,
            json: { date_deprecated: "2024-01-02T03:04:05Z", deprecates_package: ref }
          })
          expect(res.status, res.text).toBe(200)
          const stored = await storedPackage(old.id)
          expect(stored.deprecates_package).toBe(2012)
          expect(stored.date_deprecated).toBe(Date.UTC(2024, 0, 2, 3, 4, 5) * 1000)
          expect(stored.deprecated_by).not.toBeNull()
        }
        const self = await call(server, "PATCH", `/api/v4/packages/${old.id}/`, {
          key: admin.key,
          json: { deprecates_package: old.id }
        })
        expect(self.status).toBe(400)
        expect(self.body).toEqual({ deprecates_package: ["A package cannot replace itself."] })
        for (const date of ["yesterday", "2024-01-02T03:04:05", "2024-01-02T03:04:05+99:99", "2024-02-30"]) {
          const badDate = await call(server, "PATCH", `/api/v4/packages/${old.id}/`, {
            key: admin.key,
            json: { date_deprecated: date }
          })
          expect(badDate.status, date).toBe(400)
          expect(Object.keys(badDate.body)).toEqual(["date_deprecated"])
        }

        // The replacement cannot be deleted while a package names it.
        const replacement = await call(server, "DELETE", "/api/v4/packages/2012/", { key: admin.key })
        expect(replacement.status).toBe(409)
        const undo = await call(server, "PATCH", `/api/v4/packages/${old.id}/`, {
          key: admin.key,
          json: { date_deprecated: null, deprecates_package: null }
        })
        expect(undo.status).toBe(200)
        const stored = await storedPackage(old.id)
        expect([stored.date_deprecated, stored.deprecated_by, stored.deprecates_package]).toEqual([null, null, null])
      })
    })

    describe("ETags", () => {
      for (const [kind, path] of [
        ["package", "/api/v4/packages/2012/"],
        ["grid", "/api/v4/grids/5/"],
        ["category", "/api/v4/categories/1/"]
      ] as const) {
        it(`answers a current If-None-Match on a ${kind} with 304 and no body`, async () => {
          const first = await call(server, "GET", path)
          const tag = first.headers.get("etag")!
          expect(tag).toMatch(new RegExp(`^"${kind}-\\d+-\\d+"$`))
          const again = await call(server, "GET", path, { headers: { "If-None-Match": tag } })
          expect(again.status).toBe(304)
          expect(again.text).toBe("")
          expect(again.headers.get("etag")).toBe(tag)
          const weak = await call(server, "GET", path, { headers: { "If-None-Match": `"other", W/${tag}` } })
          expect(weak.status).toBe(304)
          const stale = await call(server, "GET", path, { headers: { "If-None-Match": `"${kind}-1-0"` } })
          expect(stale.status).toBe(200)
          expect(stale.body).toEqual(first.body)
        })
      }

      it("refuses a package write with a stale If-Match (412, nothing changed) and takes a current one", async () => {
        const created = await createPackage()
        const path = `/api/v4/packages/${created.id}/`
        const tag = `"package-${created.id}-1"`
        const changed = await call(server, "PATCH", path, { key: editor.key, json: { title: "Second" } })
        expect(changed.headers.get("etag")).toBe(`"package-${created.id}-2"`)
        const before = await call(server, "GET", path)

        for (const [method, json] of [
          ["PATCH", { title: "Lost update" }],
          ["PUT", newPackage()],
          ["DELETE", undefined]
        ] as const) {
          for (const ifMatch of [tag, `"package-${created.id + 1}-2"`, "garbage", `"grid-${created.id}-2"`]) {
            const res = await call(server, method, path, {
              key: moderator.key,
              headers: { "If-Match": ifMatch },
              ...(json === undefined ? {} : { json })
            })
            expect(res.status, `${method} ${ifMatch}`).toBe(412)
            expect(res.body).toEqual({ detail: "The package was changed by someone else; fetch it again and retry." })
          }
        }
        const after = await call(server, "GET", path)
        expect(after.body).toEqual(before.body)
        expect(after.headers.get("etag")).toBe(before.headers.get("etag"))

        const current = await call(server, "PATCH", path, {
          key: editor.key,
          headers: { "If-Match": before.headers.get("etag")! },
          json: { title: "Third" }
        })
        expect(current.status).toBe(200)
        expect(current.headers.get("etag")).toBe(`"package-${created.id}-3"`)
        const star = await call(server, "DELETE", path, { key: moderator.key, headers: { "If-Match": "*" } })
        expect(star.status).toBe(204)
      })

      it("refuses a grid write with a stale If-Match, members, features and cells included", async () => {
        const grid = await createGrid()
        const path = `/api/v4/grids/${grid.id}/`
        const tag = `"grid-${grid.id}-1"`
        await call(server, "POST", `${path}packages/`, { key: editor.key, json: { package: 2012 } })
        const before = await storedGrid(grid.id)
        expect(before.revision).toBe(2)
        for (const [method, sub, json] of [
          ["PATCH", "", { title: "Lost" }],
          ["PUT", "", { title: "Lost", slug: "lost-grid" }],
          ["POST", "packages/", { package: 1 }],
          ["DELETE", "packages/2012/", undefined],
          ["POST", "features/", { title: "Lost" }],
          ["DELETE", "", undefined]
        ] as const) {
          const res = await call(server, method, `${path}${sub}`, {
            key: admin.key,
            headers: { "If-Match": tag },
            ...(json === undefined ? {} : { json })
          })
          expect(res.status, `${method} ${sub}`).toBe(412)
          expect(res.body).toEqual({ detail: "The grid was changed by someone else; fetch it again and retry." })
        }
        expect(await storedGrid(grid.id)).toEqual(before)
        const ok = await call(server, "PATCH", path, {
          key: editor.key,
          headers: { "If-Match": `"grid-${grid.id}-2"` },
          json: { title: "Current" }
        })
        expect(ok.status).toBe(200)
        expect(ok.headers.get("etag")).toBe(`"grid-${grid.id}-3"`)
      })

      it("refuses a category write with a stale If-Match and takes a current one", async () => {
        const created = await call(server, "POST", "/api/v4/categories/", {
          key: admin.key,
          json: { title: "Etag", slug: "etag-category" }
        })
        expect(created.status).toBe(201)
        const path = `/api/v4/categories/${created.body.id}/`
        const first = created.headers.get("etag")!
        const second = await call(server, "PATCH", path, { key: admin.key, json: { title: "Etag 2" } })
        expect(second.status).toBe(200)
        expect(second.headers.get("etag")).not.toBe(first)
        for (const method of ["PATCH", "PUT", "DELETE"]) {
          const res = await call(server, method, path, {
            key: admin.key,
            headers: { "If-Match": first },
            ...(method === "DELETE" ? {} : { json: { title: "Lost", slug: "lost-category" } })
          })
          expect(res.status, method).toBe(412)
        }
        const unchanged = await call(server, "GET", path)
        expect(unchanged.body).toEqual(second.body)
        const ok = await call(server, "PATCH", path, {
          key: admin.key,
          headers: { "If-Match": second.headers.get("etag")! },
          json: { title: "Etag 3" }
        })
        expect(ok.status).toBe(200)
        expect(ok.body.title).toBe("Etag 3")
      })
    })

    describe("grids", () => {
      it("creates, replaces, patches and deletes a grid", async () => {
        const res = await call(server, "POST", "/api/v4/grids/", {
          key: editor.key,
          json: { title: "Task queues", slug: "write-task-queues", description: "Background jobs.", header: true }
        })
        expect(res.status, res.text).toBe(201)
        expect(Object.keys(res.body)).toEqual(GRID_KEYS)
        const id = res.body.id as number
        expect(res.body).toMatchObject({
          title: "Task queues",
          slug: "write-task-queues",
          description: "Background jobs.",
          is_locked: false,
          header: true,
          packages: []
        })
        expect(res.headers.get("location")).toBe(link(`/api/v4/grids/${id}/`))
        expect(res.headers.get("etag")).toBe(`"grid-${id}-1"`)
        expect((await call(server, "GET", `/api/v4/grids/${id}/`)).body).toEqual(res.body)

        const put = await call(server, "PUT", `/api/v4/grids/write-task-queues/`, {
          key: editor.key,
          json: { title: "Queues", slug: "write-queues" }
        })
        expect(put.status, put.text).toBe(200)
        expect(put.body).toMatchObject({ id, title: "Queues", slug: "write-queues" })
        const patch = await call(server, "PATCH", `/api/v4/grids/${id}/`, {
          key: editor.key,
          json: { is_locked: true }
        })
        expect(patch.status).toBe(200)
        expect(patch.body).toMatchObject({ id, title: "Queues", is_locked: true })
        expect(patch.headers.get("etag")).toBe(`"grid-${id}-3"`)
        expect((await call(server, "GET", `/api/v4/grids/${id}/`)).body).toEqual(patch.body)

        const conflict = await call(server, "PATCH", `/api/v4/grids/${id}/`, {
          key: editor.key,
          json: { slug: "accessibility" }
        })
        expect(conflict.status).toBe(400)
        expect(conflict.body).toEqual({ slug: ["grid with this slug already exists."] })
        const invalid = await call(server, "POST", "/api/v4/grids/", {
          key: editor.key,
          json: { title: "x".repeat(101), slug: "ok-slug", is_locked: "yes" }
        })
        expect(invalid.status).toBe(400)
        expect(Object.keys(invalid.body).sort()).toEqual(["is_locked", "title"])

        const del = await call(server, "DELETE", `/api/v4/grids/${id}/`, { key: moderator.key })
        expect(del.status).toBe(204)
        expect((await call(server, "GET", `/api/v4/grids/${id}/`)).status).toBe(404)
      })

      it("adds members by id, slug or URL, features, and cells; removes them again", async () => {
        const grid = await createGrid()
        const path = `/api/v4/grids/${grid.id}/`
        for (const ref of [2012, "42-django-couchdb", link("/api/v4/packages/2/")]) {
          const res = await call(server, "POST", `${path}packages/`, { key: editor.key, json: { package: ref } })
          expect(res.status, res.text).toBe(200)
          expect(Object.keys(res.body)).toEqual(GRID_KEYS)
        }
        const again = await call(server, "POST", `${path}packages/`, { key: editor.key, json: { package: 2012 } })
        expect(again.status).toBe(200)
        // Members are listed by package title.
        expect(again.body.packages).toEqual([
          link("/api/v4/packages/1/"),
          link("/api/v4/packages/2/"),
          link("/api/v4/packages/2012/")
        ])
        expect((await call(server, "GET", path)).body.packages).toEqual(again.body.packages)
        expect((await call(server, "GET", "/api/v4/packages/2012/")).body.grids).toContain(
          link(path.slice(0, -1) + "/")
        )
        const unknown = await call(server, "POST", `${path}packages/`, { key: editor.key, json: { package: 999999 } })
        expect(unknown.status).toBe(400)
        expect(unknown.body).toEqual({ package: ['Invalid pk "999999" - object does not exist.'] })

        const feature = await call(server, "POST", `${path}features/`, {
          key: editor.key,
          json: { title: "Async", description: "Runs on asyncio." }
        })
        expect(feature.status, feature.text).toBe(201)
        expect(feature.headers.get("location")).toBe(link(path))
        const [f] = (await storedGrid(grid.id)).features
        expect(f).toMatchObject({ title: "Async", description: "Runs on asyncio." })
        const renamed = await call(server, "PATCH", `${path}features/${f!.id}/`, {
          key: editor.key,
          json: { title: "asyncio" }
        })
        expect(renamed.status).toBe(200)
        expect((await storedGrid(grid.id)).features[0]).toMatchObject({
          title: "asyncio",
          description: "Runs on asyncio."
        })

        const cell = await call(server, "PUT", `${path}elements/`, {
          key: editor.key,
          json: { package: "dj-stripe", feature: f!.id, text: "Yes" }
        })
        expect(cell.status, cell.text).toBe(200)
        const overwrite = await call(server, "PUT", `${path}elements/`, {
          key: editor.key,
          json: { package: 2012, feature: f!.id, text: "Since 2.0" }
        })
        expect(overwrite.status).toBe(200)
        await call(server, "PUT", `${path}elements/`, {
          key: editor.key,
          json: { package: 1, feature: f!.id, text: "No" }
        })
        expect((await storedGrid(grid.id)).elements.map((e) => [e.package, e.feature, e.text])).toEqual([
          [2012, f!.id, "Since 2.0"],
          [1, f!.id, "No"]
        ])

        // A cell needs a member and one of the grid's features; the failed write does not bump the revision.
        const revision = (await storedGrid(grid.id)).revision
        const notMember = await call(server, "PUT", `${path}elements/`, {
          key: editor.key,
          json: { package: 3, feature: f!.id, text: "?" }
        })
        expect(notMember.status).toBe(404)
        const noFeature = await call(server, "PUT", `${path}elements/`, {
          key: editor.key,
          json: { package: 1, feature: 999999, text: "?" }
        })
        expect(noFeature.status).toBe(404)
        expect((await storedGrid(grid.id)).revision).toBe(revision)

        // Removing a member removes its cells.
        const removed = await call(server, "DELETE", `${path}packages/2012/`, { key: moderator.key })
        expect(removed.status).toBe(200)
        expect(removed.body.packages).toEqual([link("/api/v4/packages/1/"), link("/api/v4/packages/2/")])
        expect((await storedGrid(grid.id)).elements.map((e) => e.package)).toEqual([1])
        const readded = await call(server, "POST", `${path}packages/`, { key: editor.key, json: { package: 2012 } })
        expect(readded.status).toBe(200)
        expect((await storedGrid(grid.id)).elements.map((e) => e.package)).toEqual([1])
        expect(
          (await call(server, "DELETE", `${path}packages/3/`, { key: moderator.key })).status,
          "not a member"
        ).toBe(404)

        const dropped = await call(server, "DELETE", `${path}features/${f!.id}/`, { key: moderator.key })
        expect(dropped.status).toBe(200)
        const after = await storedGrid(grid.id)
        expect(after.features).toEqual([])
        expect(after.elements).toEqual([])
        expect((await call(server, "DELETE", `${path}features/${f!.id}/`, { key: moderator.key })).status).toBe(404)
      })
    })

    describe("categories", () => {
      it("creates, replaces, patches and deletes a category (admins only)", async () => {
        const res = await call(server, "POST", "/api/v4/categories/", {
          key: admin.key,
          json: { title: "Library", slug: "libraries", title_plural: "Libraries", show_pypi: false }
        })
        expect(res.status, res.text).toBe(201)
        expect(Object.keys(res.body)).toEqual(CATEGORY_KEYS)
        const id = res.body.id as number
        expect(res.body).toMatchObject({
          title: "Library",
          slug: "libraries",
          title_plural: "Libraries",
          show_pypi: false
        })
        expect(res.headers.get("location")).toBe(link(`/api/v4/categories/${id}/`))
        expect(res.headers.get("etag")).toMatch(new RegExp(`^"category-${id}-\\d+"$`))
        expect((await call(server, "GET", `/api/v4/categories/${id}/`)).body).toEqual(res.body)

        const put = await call(server, "PUT", `/api/v4/categories/${id}/`, {
          key: admin.key,
          json: { title: "Lib", slug: "libs", description: "Plain libraries." }
        })
        expect(put.status, put.text).toBe(200)
        expect(put.body).toMatchObject({ id, title: "Lib", slug: "libs", description: "Plain libraries." })
        const patch = await call(server, "PATCH", `/api/v4/categories/${id}/`, {
          key: admin.key,
          json: { show_pypi: true }
        })
        expect(patch.status).toBe(200)
        expect((await call(server, "GET", `/api/v4/categories/${id}/`)).body).toEqual(patch.body)

        const conflict = await call(server, "POST", "/api/v4/categories/", {
          key: admin.key,
          json: { title: "Apps again", slug: "apps" }
        })
        expect(conflict.status).toBe(400)
        expect(conflict.body).toEqual({ slug: ["category with this slug already exists."] })
        const invalid = await call(server, "PATCH", `/api/v4/categories/${id}/`, {
          key: admin.key,
          json: { title: "x".repeat(51), show_pypi: "no" }
        })
        expect(invalid.status).toBe(400)
        expect(Object.keys(invalid.body).sort()).toEqual(["show_pypi", "title"])

        // A category still holding packages is protected.
        const inUse = await call(server, "DELETE", "/api/v4/categories/1/", { key: admin.key })
        expect(inUse.status).toBe(409)
        expect(inUse.body.detail).toMatch(/cannot be deleted/)
        const del = await call(server, "DELETE", `/api/v4/categories/${id}/`, { key: admin.key })
        expect(del.status).toBe(204)
        expect((await call(server, "GET", `/api/v4/categories/${id}/`)).status).toBe(404)
      })
    })

    describe("request bodies", () => {
      it("answers malformed JSON with 400, another content type with 415 and an oversize body with 413", async () => {
        const before = await fingerprint(server)
        const malformed = await call(server, "POST", "/api/v4/packages/", { key: editor.key, raw: '{"title": ' })
        expect(malformed.status).toBe(400)
        expect(malformed.body.detail).toMatch(/^JSON parse error - /)

        for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
          const res = await call(server, "POST", "/api/v4/packages/", {
            key: editor.key,
            raw: "title=x",
            headers: { "Content-Type": type }
          })
          expect(res.status, type).toBe(415)
          expect(res.body).toEqual({ detail: `Unsupported media type "${type}" in request.` })
        }
        const none = await call(server, "PATCH", "/api/v4/packages/2012/", { key: editor.key })
        expect(none.status).toBe(415)
        for (const charset of ["utf-16", "latin1"]) {
          const res = await call(server, "PATCH", "/api/v4/packages/2012/", {
            key: editor.key,
            raw: "'",
            headers: { "Content-Type": `application/json; charset=${charset}` }
          })
          expect(res.status, charset).toBe(415)
          expect(res.body).toEqual({ detail: `Unsupported charset "${charset}" in request: JSON is UTF-8.` })
        }
        const utf8 = await call(server, "PATCH", "/api/v4/packages/2012/", {
          key: editor.key,
          raw: "[]",
          headers: { "Content-Type": "application/json; charset=UTF-8" }
        })
        expect(utf8.status).toBe(400)

        const huge = await call(server, "POST", "/api/v4/packages/", {
          key: editor.key,
          json: newPackage({ repo_description: "x".repeat(200_000) })
        })
        expect(huge.status).toBe(413)
        expect(huge.body).toEqual({ detail: "Request body too large: at most 100kb." })

        const nul = await call(server, "PATCH", "/api/v4/packages/2012/", {
          key: editor.key,
          json: { title: "dj\u0000stripe", repo_description: "\u0000" }
        })
        expect(nul.status).toBe(400)
        expect(nul.body).toEqual({
          title: ["Null characters are not allowed."],
          repo_description: ["Null characters are not allowed."]
        })
        const prototypeKeys = await call(server, "POST", "/api/v4/packages/", {
          key: editor.key,
          raw: '{"__proto__": {"title": "x"}, "constructor": 1, "toString": "x"}'
        })
        expect(prototypeKeys.status).toBe(400)
        expect(Object.keys(prototypeKeys.body)).toEqual(
          expect.arrayContaining(["__proto__", "constructor", "toString", "title", "slug"])
        )
        expect(await fingerprint(server)).toEqual(before)
      })

      it("answers a path that cannot be decoded with 400, and ids no row can have with 404", async () => {
        const undecodable = await call(server, "PATCH", "/api/v4/packages/%E0%A4%A/", { key: editor.key, json: {} })
        expect(undecodable.status).toBe(400)
        expect(undecodable.body.detail).not.toMatch(/JSON/)
        for (const id of ["99999999999999999999999", "9223372036854775808", "%00", "a%00b"]) {
          for (const kind of ["packages", "grids", "categories"]) {
            const res = await call(server, "GET", `/api/v4/${kind}/${id}/`)
            expect(res.status, `${kind} ${id}`).toBe(404)
          }
        }
      })
    })

    describe("the web login", () => {
      const login = async (password = PASSWORD) => {
        const res = await call(server, "POST", "/api/session/", { json: { username: editor.username, password } })
        return res
      }
      const cookieOf = (res: { headers: Headers }) => res.headers.get("set-cookie")!.split(";")[0]!

      it("sets an HttpOnly, SameSite=Strict session cookie and hands out the CSRF token", async () => {
        const res = await login()
        expect(res.status, res.text).toBe(200)
        expect(res.body).toEqual({ username: editor.username, role: "editor", csrf_token: expect.any(String) })
        const setCookie = res.headers.get("set-cookie")!
        expect(setCookie).toMatch(/^packgrid_session=[^;]+; /)
        const attributes = setCookie.split(";").map((a) => a.trim())
        expect(attributes).toContain("HttpOnly")
        expect(attributes).toContain("SameSite=Strict")
        expect(attributes).toContain("Path=/")
        const maxAge = Number(attributes.find((a) => a.startsWith("Max-Age="))!.slice(8))
        expect(maxAge).toBeGreaterThan(13 * 24 * 3600)
        const who = await call(server, "GET", "/api/session/", { headers: { Cookie: cookieOf(res) } })
        expect(who.body).toEqual({ username: editor.username, role: "editor", via: "session" })
      })

      it("refuses a wrong password, and a login body that is not one", async () => {
        const wrong = await login("not the password")
        expect(wrong.status).toBe(401)
        expect(wrong.headers.get("set-cookie")).toBeNull()
        expect(wrong.body).toEqual({ detail: "Unable to log in with provided credentials." })
        const nobody = await call(server, "POST", "/api/session/", {
          json: { username: "nobody", password: "whatever" }
        })
        expect(nobody.status).toBe(401)
        const invalid = await call(server, "POST", "/api/session/", { json: { username: "" } })
        expect(invalid.status).toBe(400)
        expect(invalid.body).toEqual({
          username: ["This field may not be blank."],
          password: ["This field is required."]
        })
      })

      it("needs the CSRF token for a write through the session, and signs out", async () => {
        const res = await login()
        const cookie = cookieOf(res)
        const csrf = res.body.csrf_token as string
        const created = await createPackage()
        const path = `/api/v4/packages/${created.id}/`

        const without = await call(server, "PATCH", path, { headers: { Cookie: cookie }, json: { title: "Session" } })
        expect(without.status).toBe(403)
        expect(without.body).toEqual({ detail: "CSRF Failed: CSRF token missing or incorrect." })
        const wrong = await call(server, "PATCH", path, {
          headers: { Cookie: cookie, "X-CSRFToken": `${csrf.slice(0, -1)}${csrf.endsWith("A") ? "B" : "A"}` },
          json: { title: "Session" }
        })
        expect(wrong.status).toBe(403)
        expect((await call(server, "GET", path)).body.title).toBe(created.title)

        const ok = await call(server, "PATCH", path, {
          headers: { Cookie: cookie, "X-CSRFToken": csrf },
          json: { title: "Session" }
        })
        expect(ok.status, ok.text).toBe(200)
        expect(ok.body.title).toBe("Session")
        // Reads need no CSRF token, and the Allow header is the session user's.
        const read = await call(server, "GET", path, { headers: { Cookie: cookie } })
        expect(read.headers.get("allow")).toBe("GET, PUT, PATCH, HEAD, OPTIONS")
        // The session carries the user's role: an editor still may not delete.
        const del = await call(server, "DELETE", path, { headers: { Cookie: cookie, "X-CSRFToken": csrf } })
        expect(del.status).toBe(403)

        const logout = await call(server, "DELETE", "/api/session/", {
          headers: { Cookie: cookie, "X-CSRFToken": csrf }
        })
        expect(logout.status).toBe(200)
        expect(logout.body).toEqual({ detail: "Signed out." })
        expect(logout.headers.get("set-cookie")).toMatch(/^packgrid_session=; .*Max-Age=0/)
        expect((await call(server, "GET", "/api/session/", { headers: { Cookie: cookie } })).body).toEqual({
          username: null,
          role: null
        })
        const after = await call(server, "PATCH", path, {
          headers: { Cookie: cookie, "X-CSRFToken": csrf },
          json: { title: "After logout" }
        })
        expect(after.status).toBe(401)
        expect((await call(server, "GET", path)).body.title).toBe("Session")
      })
    })
  })
}
