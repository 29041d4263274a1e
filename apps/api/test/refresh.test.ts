/**
 * "Refresh this package now" through API v4 (`POST /api/v4/packages/{id|slug}/refresh/`) and the
 * server's refresh scheduler (`PACKGRID_REFRESH_INTERVAL`), against the upstream simulator.
 */
import { SqlClient } from "@effect/sql"
import { ConfigProvider, Effect, Either, Fiber, Layer, ManagedRuntime } from "effect"
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { HttpSettingsShape } from "@packgrid/core/Refresh/Http"
import * as Refresh from "@packgrid/core/Refresh/Layer"
import type { RunSummary } from "@packgrid/core/Refresh/Refresher"
import { type Simulator, startSimulator } from "@packgrid/core/Refresh/Simulator"
import { syntheticCatalogue } from "@packgrid/core/Refresh/SyntheticCatalogue"
import { syntheticRepo } from "@packgrid/core/Refresh/internal/synthetic"
import { prepare } from "@packgrid/core/Store/Bootstrap"
import * as Store from "@packgrid/core/Store/Store"
import { engines } from "@packgrid/core/Store/TestDatabase"
import { call, PACKAGE_KEYS, userWithToken } from "./clients.ts"
import { ServerConfig } from "../src/config.ts"
import { refreshScheduler } from "../src/refreshScheduler.ts"
import { startServer, type TestServer } from "./support.ts"

const ANCHOR = Date.UTC(2026, 0, 15)
const fast: HttpSettingsShape = {
  defaults: {
    concurrency: 4,
    reserve: 0,
    maxRetries: 1,
    baseDelay: "5 millis",
    timeout: "2 seconds",
    maxWait: "1 second"
  },
  hosts: {},
  userAgent: "packgrid-tests"
}

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ anchorMs: ANCHOR })
})
afterAll(() => sim?.close())

const engine = engines()[0]!

describe("POST /api/v4/packages/{lookup}/refresh/", () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer(engine, {}, () => syntheticCatalogue(6), Refresh.configFor(sim.baseUrls, fast))
  })
  afterAll(() => server.close())

  it("refreshes the package now and answers it in the v4 shape", async () => {
    const editor = await userWithToken(server, "editor")
    sim.reset()
    const res = await call(server, "POST", "/api/v4/packages/synthetic-1/refresh/", { key: editor.key })
    expect(res.status).toBe(200)
    expect(res.headers.get("x-refresh-status")).toBe("fetched")
    expect(res.headers.get("etag")).toMatch(/^"package-2-\d+"$/)
    expect(Object.keys(res.body)).toEqual(PACKAGE_KEYS)
    expect(res.body).toMatchObject({
      id: 2,
      slug: "synthetic-1",
      repo_watchers: syntheticRepo(1, [], ANCHOR).stars,
      pypi_version: expect.stringMatching(/^\d+\.\d+\.\d+$/)
    })
    expect(res.body.last_fetched).not.toBeNull()
    // That package only.
    expect(new Set(sim.requests.map((r) => r.path.match(/synthetic-\d+/)?.[0]))).toEqual(new Set(["synthetic-1"]))

    // By id, and again: nothing changed upstream, so the conditional requests are answered 304.
    sim.reset()
    const again = await call(server, "POST", "/api/v4/packages/2/refresh/", { key: editor.key })
    expect(again.status).toBe(200)
    expect(again.headers.get("x-refresh-status")).toBe("not_modified")
    expect(sim.requests.every((r) => r.status === 304)).toBe(true)
  })

  it("reports a failed upstream, keeping the last good facts", async () => {
    const editor = await userWithToken(server, "editor")
    sim.reset()
    sim.inject({ host: "github", path: /^\/repos\/synthetic\/synthetic-3/ }, { kind: "serverError", status: 502 })
    const res = await call(server, "POST", "/api/v4/packages/synthetic-3/refresh/", { key: editor.key })
    expect(res.status).toBe(200)
    expect(res.headers.get("x-refresh-status")).toBe("failed")
    expect(res.headers.get("x-refresh-reason")).toBe("github UpstreamFailed 502")
    expect(res.body.repo_watchers).toBe(0)
    expect(res.body.pypi_version).not.toBeNull()
    const [row] = await server.runtime.runPromise(
      Effect.flatMap(
        SqlClient.SqlClient,
        (sql) => sql<{ last_exception: string; last_exception_count: number }>`
          SELECT last_exception, last_exception_count FROM packages WHERE slug = 'synthetic-3'`
      )
    )
    expect(row!.last_exception).toMatch(/^github: UpstreamFailed/)
    expect(Number(row!.last_exception_count)).toBe(1)
  })

  it("needs a signed-in editor, and a package that exists", async () => {
    const anonymous = await call(server, "POST", "/api/v4/packages/synthetic-1/refresh/")
    expect(anonymous.status).toBe(401)
    expect(anonymous.body).toEqual({ detail: "Authentication credentials were not provided." })
    const editor = await userWithToken(server, "editor")
    const missing = await call(server, "POST", "/api/v4/packages/no-such-package/refresh/", { key: editor.key })
    expect(missing.status).toBe(404)
    expect(missing.body.detail).toBeTypeOf("string")
    // A JSON body is allowed (and ignored); another media type is not.
    const withBody = await call(server, "POST", "/api/v4/packages/synthetic-1/refresh/", { key: editor.key, json: {} })
    expect(withBody.status).toBe(200)
    const form = await call(server, "POST", "/api/v4/packages/synthetic-1/refresh/", {
      key: editor.key,
      raw: "a=b",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    })
    expect(form.status).toBe(415)
  })

  it("refuses a deprecated package with 409", async () => {
    const admin = await userWithToken(server, "admin")
    const patched = await call(server, "PATCH", "/api/v4/packages/synthetic-4/", {
      key: admin.key,
      json: { date_deprecated: "2025-01-01T00:00:00Z" }
    })
    expect(patched.status).toBe(200)
    const res = await call(server, "POST", "/api/v4/packages/synthetic-4/refresh/", { key: admin.key })
    expect(res.status).toBe(409)
    expect(res.body).toEqual({ detail: "A deprecated package is not refreshed." })
  })

  it("limits each user to 5 refreshes per 10 minutes: 429 with Retry-After", async () => {
    const editor = await userWithToken(server, "editor")
    for (let i = 0; i < 5; i++) {
      const ok = await call(server, "POST", "/api/v4/packages/synthetic-5/refresh/", { key: editor.key })
      expect(ok.status, `refresh ${i + 1}`).toBe(200)
    }
    sim.reset()
    const refused = await call(server, "POST", "/api/v4/packages/synthetic-5/refresh/", { key: editor.key })
    expect(refused.status).toBe(429)
    const retryAfter = Number(refused.headers.get("retry-after"))
    expect(retryAfter).toBeGreaterThan(500)
    expect(retryAfter).toBeLessThanOrEqual(600)
    expect(refused.body).toEqual({ detail: `Request was throttled. Expected available in ${retryAfter} seconds.` })
    expect(sim.requests).toHaveLength(0)
    // Another user has a window of their own.
    const other = await userWithToken(server, "editor")
    expect((await call(server, "POST", "/api/v4/packages/synthetic-5/refresh/", { key: other.key })).status).toBe(200)
  })
})

describe("the refresh scheduler", () => {
  it("reads PACKGRID_REFRESH_INTERVAL: off when unset, a duration when set, a startup error otherwise", async () => {
    const read = (env: Record<string, string>) =>
      Effect.runPromise(
        Effect.either(Effect.withConfigProvider(ServerConfig, ConfigProvider.fromMap(new Map(Object.entries(env)))))
      )
    const off = await read({})
    expect(Either.isRight(off) && off.right.refreshIntervalMillis).toBeUndefined()
    const hourly = await read({ PACKGRID_REFRESH_INTERVAL: "1h" })
    expect(Either.isRight(hourly) && hourly.right.refreshIntervalMillis).toBe(3_600_000)
    const mixed = await read({ PACKGRID_REFRESH_INTERVAL: "1h30m" })
    expect(Either.isRight(mixed) && mixed.right.refreshIntervalMillis).toBe(5_400_000)
    const bad = await read({ PACKGRID_REFRESH_INTERVAL: "sometimes" })
    expect(Either.isLeft(bad) && String(bad.left)).toMatch(/PACKGRID_REFRESH_INTERVAL: "sometimes" is not a duration/)

    // The server itself refuses to start with it.
    const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))
    const r = spawnSync(process.execPath, ["--import", "tsx", main], {
      encoding: "utf8",
      env: { ...process.env, PACKGRID_REFRESH_INTERVAL: "0m", PACKGRID_DATABASE_URL: ":memory:", PORT: "0" },
      timeout: 60_000
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^packgrid: .*PACKGRID_REFRESH_INTERVAL: "0m" is not a duration/m)
  })

  it("runs at start and every interval, one run at a time, logs one JSON line each, and stops when interrupted", async () => {
    const runtime = ManagedRuntime.make(
      Refresh.layerWith(Refresh.configFor(sim.baseUrls, fast)).pipe(
        Layer.provideMerge(Store.repositories),
        Layer.provideMerge(engine.layer)
      )
    )
    try {
      await runtime.runPromise(prepare(Effect.succeed(syntheticCatalogue(12))))
      sim.reset()
      // Slow upstreams: a run (12 packages, 2 at a time) takes longer than the interval.
      sim.setLatency(60)
      const lines: Array<string> = []
      const runs: Array<{ summary: RunSummary | undefined; at: number }> = []
      const fiber = runtime.runFork(
        refreshScheduler({
          everyMillis: 200,
          run: { concurrency: 2 },
          log: (msg, fields) => lines.push(JSON.stringify({ msg, ...fields })),
          onRun: (summary) => runs.push({ summary, at: Date.now() })
        })
      )
      const deadline = Date.now() + 60_000
      while (runs.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      await runtime.runPromise(Fiber.interrupt(fiber))
      expect(runs.length).toBeGreaterThanOrEqual(3)
      expect(runs[0]!.summary).toMatchObject({ total: 12, fetched: 12 })
      expect(runs[0]!.summary!.millis).toBeGreaterThan(200)
      // Nothing is stale any more: the later runs find nothing to do.
      expect(runs[1]!.summary).toMatchObject({ total: 0 })
      // Never two at once: each run began after the previous one ended.
      for (let i = 1; i < runs.length; i++) {
        expect(runs[i]!.at - runs[i]!.summary!.millis).toBeGreaterThanOrEqual(runs[i - 1]!.at - 5)
      }
      const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
      expect(logged[0]).toMatchObject({ msg: "refresh", total: 12, fetched: 12, failed: {} })
      expect(lines.every((l) => !l.includes("\n"))).toBe(true)
      const runsAfter = runs.length
      await new Promise((r) => setTimeout(r, 400))
      expect(runs.length).toBe(runsAfter)
    } finally {
      await runtime.dispose()
    }
  })

  it("gives back its claims when the server stops it mid-run", async () => {
    const runtime = ManagedRuntime.make(
      Refresh.layerWith(Refresh.configFor(sim.baseUrls, fast)).pipe(
        Layer.provideMerge(Store.repositories),
        Layer.provideMerge(engine.layer)
      )
    )
    try {
      await runtime.runPromise(prepare(Effect.succeed(syntheticCatalogue(12))))
      sim.reset()
      sim.setLatency(300)
      const fiber = runtime.runFork(refreshScheduler({ everyMillis: 60_000, log: () => {}, run: { concurrency: 2 } }))
      await new Promise((r) => setTimeout(r, 500))
      const claimed = () =>
        runtime.runPromise(
          Effect.flatMap(SqlClient.SqlClient, (sql) =>
            Effect.map(sql<{ n: number }>`SELECT COUNT(*) AS n FROM packages WHERE claimed_by IS NOT NULL`, (r) =>
              Number(r[0]!.n)
            )
          )
        )
      expect(await claimed()).toBeGreaterThan(0)
      await runtime.runPromise(Fiber.interrupt(fiber))
      expect(await claimed()).toBe(0)
    } finally {
      await runtime.dispose()
    }
  })
})
