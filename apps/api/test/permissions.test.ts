/**
 * Every permission edge of the v4 writes: no token, a malformed, wrong or revoked token, each role
 * against each action (editor < moderator < admin), and the `Allow` header each caller is shown.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { createHash } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Role } from "@packgrid/core/Domain/User"
import { Grids } from "@packgrid/core/Store/Grids"
import { Packages } from "@packgrid/core/Store/Packages"
import { engines } from "@packgrid/core/Store/TestDatabase"
import { Users } from "@packgrid/core/Store/Users"
import { call, type Caller, fingerprint, userWithToken } from "./clients.ts"
import { startServer, type TestServer } from "./support.ts"

const NOT_PROVIDED = { detail: "Authentication credentials were not provided." }
const INVALID_TOKEN = { detail: "Invalid token." }
const FORBIDDEN = { detail: "You do not have permission to perform this action." }

for (const engine of engines()) {
  describe(`API v4 permissions on ${engine.name}`, () => {
    let server: TestServer
    const callers = {} as Record<Role, Caller>

    beforeAll(async () => {
      server = await startServer(engine)
      for (const role of ["editor", "moderator", "admin"] as const) callers[role] = await userWithToken(server, role)
    })
    afterAll(() => server.close())

    let serial = 0
    const packageBody = () => {
      const n = ++serial
      return { title: `Perm ${n}`, slug: `perm-${n}`, category: 1, repo_url: `https://github.com/perm-tests/p${n}` }
    }
    const createPackage = async () => {
      const res = await call(server, "POST", "/api/v4/packages/", { key: callers.editor.key, json: packageBody() })
      expect(res.status, res.text).toBe(201)
      return res.body.id as number
    }
    /** A grid with a member (2012) and a feature, made through the store. */
    const gridWithMemberAndFeature = () =>
      server.runtime.runPromise(
        Effect.gen(function* () {
          const grids = yield* Grids
          const n = ++serial
          const g = yield* grids.create({ title: `Perm grid ${n}`, slug: `perm-grid-${n}` as never })
          yield* grids.addPackage({ id: g.id }, 2012)
          const withFeature = yield* grids.addFeature({ id: g.id }, { title: "Feature" })
          return { id: g.id, feature: withFeature.features[0]!.id }
        })
      )
    const packageExists = (id: number) =>
      server.runtime.runPromise(
        Effect.match(
          Effect.flatMap(Packages, (p) => p.get({ id })),
          { onFailure: () => false, onSuccess: () => true }
        )
      )

    describe("authentication", () => {
      it("refuses an anonymous write with 401, and writes nothing", async () => {
        const before = await fingerprint(server)
        for (const [method, path] of [
          ["POST", "/api/v4/packages/"],
          ["PUT", "/api/v4/packages/2012/"],
          ["PATCH", "/api/v4/packages/2012/"],
          ["DELETE", "/api/v4/packages/2012/"],
          ["POST", "/api/v4/grids/"],
          ["PATCH", "/api/v4/grids/5/"],
          ["DELETE", "/api/v4/grids/5/"],
          ["POST", "/api/v4/grids/5/packages/"],
          ["DELETE", "/api/v4/grids/5/packages/2012/"],
          ["POST", "/api/v4/grids/5/features/"],
          ["PUT", "/api/v4/grids/5/elements/"],
          ["POST", "/api/v4/categories/"],
          ["PATCH", "/api/v4/categories/1/"],
          ["DELETE", "/api/v4/categories/4/"]
        ] as const) {
          const res = await call(server, method, path, method === "DELETE" ? {} : { json: { title: "x" } })
          expect(res.status, `${method} ${path}`).toBe(401)
          expect(res.body).toEqual(NOT_PROVIDED)
        }
        expect(await fingerprint(server)).toEqual(before)
      })

      it("refuses a malformed Authorization header with 401 and WWW-Authenticate: Token", async () => {
        for (const header of ["Token", "Token a b", "Token  ", "Bearer abc", "Basic dXNlcjpwYXNz", "token"]) {
          for (const method of ["GET", "PATCH"]) {
            const res = await call(server, method, "/api/v4/packages/2012/", {
              headers: { Authorization: header },
              ...(method === "GET" ? {} : { json: { title: "x" } })
            })
            expect(res.status, `${method} ${header}`).toBe(401)
            expect(res.headers.get("www-authenticate")).toBe("Token")
            expect(typeof res.body.detail).toBe("string")
          }
        }
        const spaces = await call(server, "GET", "/api/v4/", { headers: { Authorization: "Token a b" } })
        expect(spaces.body).toEqual({ detail: "Invalid token header. Token string should not contain spaces." })
      })

      it('refuses a wrong token with 401 "Invalid token.", reads included (as DRF does)', async () => {
        const real = callers.editor.key
        // Same prefix, another secret: found by prefix, refused by the hash comparison.
        const samePrefix = `${real.slice(0, 12)}${"0".repeat(real.length - 12)}`
        for (const key of ["pgt_0000000000000000000000000000000000000000", samePrefix, "x", real.toUpperCase()]) {
          for (const method of ["GET", "POST"]) {
            const res = await call(server, method, "/api/v4/packages/", {
              key,
              ...(method === "GET" ? {} : { json: packageBody() })
            })
            expect(res.status, `${method} ${key}`).toBe(401)
            expect(res.body).toEqual(INVALID_TOKEN)
            expect(res.headers.get("www-authenticate")).toBe("Token")
          }
        }
        const good = await call(server, "GET", "/api/v4/packages/2012/", { key: real })
        expect(good.status).toBe(200)
        const scheme = await call(server, "GET", "/api/v4/packages/2012/", {
          headers: { Authorization: `token  ${real}` }
        })
        expect(scheme.status).toBe(200)
      })

      it("refuses a revoked token", async () => {
        const caller = await userWithToken(server, "admin")
        expect((await call(server, "GET", "/api/session/", { key: caller.key })).body.username).toBe(caller.username)
        await server.runtime.runPromise(Effect.flatMap(Users, (u) => u.revokeToken(caller.tokenId)))
        const res = await call(server, "POST", "/api/v4/packages/", { key: caller.key, json: packageBody() })
        expect(res.status).toBe(401)
        expect(res.body).toEqual(INVALID_TOKEN)
        const read = await call(server, "GET", "/api/v4/packages/2012/", { key: caller.key })
        expect(read.status).toBe(401)
        // Another token of the same user still works.
        const { key } = await server.runtime.runPromise(
          Effect.flatMap(Users, (u) => u.createToken(caller.username, "second"))
        )
        expect((await call(server, "GET", "/api/v4/packages/2012/", { key })).status).toBe(200)
      })

      it("treats an unknown, expired or malformed session cookie as anonymous", async () => {
        for (const cookie of [
          "packgrid_session=nope",
          "packgrid_session=%E0%A4%A",
          "packgrid_session=%",
          "packgrid_session="
        ]) {
          const read = await call(server, "GET", "/api/session/", { headers: { Cookie: cookie } })
          expect(read.status, cookie).toBe(200)
          expect(read.body).toEqual({ username: null, role: null })
          const write = await call(server, "PATCH", "/api/v4/packages/2012/", {
            headers: { Cookie: cookie, "X-CSRFToken": "x" },
            json: { title: "x" }
          })
          expect(write.status, cookie).toBe(401)
          expect(write.body).toEqual(NOT_PROVIDED)
        }
      })

      it("keeps only a hash of each token key", async () => {
        const rows = await server.runtime.runPromise(
          Effect.flatMap(
            SqlClient.SqlClient,
            (sql) => sql<{ hash: string; prefix: string }>`SELECT hash, prefix FROM api_tokens`
          )
        )
        const keys = Object.values(callers).map((c) => c.key)
        const hashes = rows.map((r) => r.hash)
        for (const key of keys) {
          expect(hashes).not.toContain(key)
          expect(hashes).toContain(createHash("sha256").update(key).digest("hex"))
        }
        expect(rows.every((r) => r.prefix.length === 12)).toBe(true)
      })
    })

    describe("roles", () => {
      it("lets an editor add and edit packages and grids", async () => {
        const id = await createPackage()
        const key = callers.editor.key
        expect(
          (await call(server, "PATCH", `/api/v4/packages/${id}/`, { key, json: { title: "Edited" } })).status
        ).toBe(200)
        const grid = await gridWithMemberAndFeature()
        const base = `/api/v4/grids/${grid.id}/`
        expect((await call(server, "PATCH", base, { key, json: { description: "Edited" } })).status).toBe(200)
        expect((await call(server, "POST", `${base}packages/`, { key, json: { package: id } })).status).toBe(200)
        expect((await call(server, "POST", `${base}features/`, { key, json: { title: "More" } })).status).toBe(201)
        expect(
          (await call(server, "PATCH", `${base}features/${grid.feature}/`, { key, json: { title: "Renamed" } })).status
        ).toBe(200)
        expect(
          (
            await call(server, "PUT", `${base}elements/`, {
              key,
              json: { package: id, feature: grid.feature, text: "Yes" }
            })
          ).status
        ).toBe(200)
      })

      it("refuses an editor deleting a package, grid, grid member or feature; a moderator may", async () => {
        const id = await createPackage()
        const grid = await gridWithMemberAndFeature()
        const base = `/api/v4/grids/${grid.id}/`
        const actions = [`/api/v4/packages/${id}/`, `${base}packages/2012/`, `${base}features/${grid.feature}/`, base]
        const before = await fingerprint(server)
        for (const path of actions) {
          const res = await call(server, "DELETE", path, { key: callers.editor.key })
          expect(res.status, path).toBe(403)
          expect(res.body).toEqual(FORBIDDEN)
        }
        expect(await fingerprint(server)).toEqual(before)
        expect(await packageExists(id)).toBe(true)

        const member = await call(server, "DELETE", actions[1]!, { key: callers.moderator.key })
        expect(member.status).toBe(200)
        expect(member.body.packages).toEqual([])
        const feature = await call(server, "DELETE", actions[2]!, { key: callers.moderator.key })
        expect(feature.status).toBe(200)
        expect((await call(server, "DELETE", actions[3]!, { key: callers.moderator.key })).status).toBe(204)
        expect((await call(server, "DELETE", actions[0]!, { key: callers.moderator.key })).status).toBe(204)
        expect(await packageExists(id)).toBe(false)
        // An admin may too.
        const other = await createPackage()
        expect((await call(server, "DELETE", `/api/v4/packages/${other}/`, { key: callers.admin.key })).status).toBe(
          204
        )
      })

      it("lets only an admin set deprecation fields", async () => {
        const id = await createPackage()
        for (const [field, value] of [
          ["date_deprecated", "2024-05-06T07:08:09Z"],
          ["date_repo_archived", "2024-05-06T07:08:09Z"],
          ["deprecates_package", 2012],
          ["date_deprecated", null]
        ] as const) {
          for (const role of ["editor", "moderator"] as const) {
            const res = await call(server, "PATCH", `/api/v4/packages/${id}/`, {
              key: callers[role].key,
              json: { [field]: value }
            })
            expect(res.status, `${role} ${field}`).toBe(403)
            expect(res.body).toEqual(FORBIDDEN)
          }
        }
        const created = await call(server, "POST", "/api/v4/packages/", {
          key: callers.editor.key,
          json: { ...packageBody(), date_deprecated: "2024-05-06T07:08:09Z" }
        })
        expect(created.status).toBe(403)
        const pkg = await server.runtime.runPromise(Effect.flatMap(Packages, (p) => p.get({ id })))
        expect([pkg.date_deprecated, pkg.date_repo_archived, pkg.deprecates_package]).toEqual([null, null, null])
        const admin = await call(server, "PATCH", `/api/v4/packages/${id}/`, {
          key: callers.admin.key,
          json: { date_deprecated: "2024-05-06T07:08:09Z", date_repo_archived: "2024-05-06T07:08:09Z" }
        })
        expect(admin.status, admin.text).toBe(200)
      })

      it("lets only an admin create, change and delete categories", async () => {
        const before = await fingerprint(server)
        for (const role of ["editor", "moderator"] as const) {
          const key = callers[role].key
          for (const [method, path, json] of [
            ["POST", "/api/v4/categories/", { title: "Nope", slug: "nope" }],
            ["PUT", "/api/v4/categories/4/", { title: "Nope", slug: "nope" }],
            ["PATCH", "/api/v4/categories/4/", { title: "Nope" }],
            ["DELETE", "/api/v4/categories/4/", undefined]
          ] as const) {
            const res = await call(server, method, path, { key, ...(json === undefined ? {} : { json }) })
            expect(res.status, `${role} ${method}`).toBe(403)
            expect(res.body).toEqual(FORBIDDEN)
          }
        }
        expect(await fingerprint(server)).toEqual(before)
        const key = callers.admin.key
        const created = await call(server, "POST", "/api/v4/categories/", { key, json: { title: "Yes", slug: "yes" } })
        expect(created.status).toBe(201)
        const path = `/api/v4/categories/${created.body.id}/`
        expect((await call(server, "PUT", path, { key, json: { title: "Yes!", slug: "yes" } })).status).toBe(200)
        expect((await call(server, "PATCH", path, { key, json: { title: "Yes" } })).status).toBe(200)
        expect((await call(server, "DELETE", path, { key })).status).toBe(204)
      })
    })

    describe("Allow", () => {
      const READ = "GET, HEAD, OPTIONS"
      const cases: ReadonlyArray<readonly [string, Record<"anonymous" | Role, string>]> = [
        [
          "/api/v4/packages/",
          {
            anonymous: READ,
            editor: "GET, POST, HEAD, OPTIONS",
            moderator: "GET, POST, HEAD, OPTIONS",
            admin: "GET, POST, HEAD, OPTIONS"
          }
        ],
        [
          "/api/v4/packages/2012/",
          {
            anonymous: READ,
            editor: "GET, PUT, PATCH, HEAD, OPTIONS",
            moderator: "GET, PUT, PATCH, DELETE, HEAD, OPTIONS",
            admin: "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"
          }
        ],
        [
          "/api/v4/grids/",
          {
            anonymous: READ,
            editor: "GET, POST, HEAD, OPTIONS",
            moderator: "GET, POST, HEAD, OPTIONS",
            admin: "GET, POST, HEAD, OPTIONS"
          }
        ],
        [
          "/api/v4/grids/5/",
          {
            anonymous: READ,
            editor: "GET, PUT, PATCH, HEAD, OPTIONS",
            moderator: "GET, PUT, PATCH, DELETE, HEAD, OPTIONS",
            admin: "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"
          }
        ],
        ["/api/v4/categories/", { anonymous: READ, editor: READ, moderator: READ, admin: "GET, POST, HEAD, OPTIONS" }],
        [
          "/api/v4/categories/1/",
          { anonymous: READ, editor: READ, moderator: READ, admin: "GET, PUT, PATCH, DELETE, HEAD, OPTIONS" }
        ]
      ]
      for (const [path, expected] of cases) {
        it(`shows each caller what it may do on ${path}`, async () => {
          for (const who of ["anonymous", "editor", "moderator", "admin"] as const) {
            const res = await call(server, "GET", path, who === "anonymous" ? {} : { key: callers[who].key })
            expect(res.status).toBe(200)
            expect(res.headers.get("allow"), who).toBe(expected[who])
          }
        })
      }

      it("shows the caller's Allow on a refused write too", async () => {
        const res = await call(server, "DELETE", "/api/v4/packages/2012/", { key: callers.editor.key })
        expect(res.status).toBe(403)
        expect(res.headers.get("allow")).toBe("GET, PUT, PATCH, HEAD, OPTIONS")
        const anonymous = await call(server, "DELETE", "/api/v4/packages/2012/")
        expect(anonymous.headers.get("allow")).toBe(READ)
      })
    })
  })
}
