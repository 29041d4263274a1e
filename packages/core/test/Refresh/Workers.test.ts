/**
 * Several workers at once: two processes refresh the same 1,000 synthetic packages, claiming in batches
 * (`FOR UPDATE SKIP LOCKED` on PostgreSQL; the write lock on SQLite). The simulator counts the requests
 * for every repository and PyPI project: each is asked exactly once, and together the two runs did all.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Layer, ManagedRuntime } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import type { RunSummary } from "../../src/Refresh/Refresher.ts"
import { syntheticCatalogue } from "../../src/Refresh/SyntheticCatalogue.ts"
import { CatalogueStore } from "../../src/Store/CatalogueStore.ts"
import * as Database from "../../src/Store/Database.ts"
import { migrate } from "../../src/Store/Migrations.ts"
import { engines, TEST_DATABASE_URL_VARIABLE, withDatabaseName } from "../../src/Store/TestDatabase.ts"
import { useSimulator } from "./support.ts"

const COUNT = 1000
const worker = fileURLToPath(new URL("./worker-main.ts", import.meta.url))
const coreRoot = fileURLToPath(new URL("../..", import.meta.url))

// Quotas off: 4,000 GitHub requests would spend most of a simulated hour's 5,000, and the test is about claims.
const sim = useSimulator({ latencyMs: 5, quotas: { github: null, gitlab: null } })

const running = new Set<ChildProcess>()
// A failed worker must not leave the other one sending requests into the next test's counts.
afterEach(() => {
  for (const child of running) child.kill("SIGKILL")
  running.clear()
})

/** Runs one worker process to its end; its summary. */
const runWorker = (url: string, name: string) =>
  new Promise<RunSummary>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", worker, url, name, "8"], {
      cwd: coreRoot,
      env: { ...process.env, ...sim().env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    running.add(child)
    let out = ""
    let err = ""
    child.stdout.on("data", (d: Buffer) => (out += d.toString()))
    child.stderr.on("data", (d: Buffer) => (err += d.toString()))
    child.on("exit", (code) => {
      running.delete(child)
      return code === 0
        ? resolve(JSON.parse(out.trim().split("\n").pop()!) as RunSummary)
        : reject(new Error(`worker ${name} exited ${code}: ${err}`))
    })
  })

/** A database for the two processes to share: a temp SQLite file, or a new PostgreSQL database. */
const sharedDatabase = (engine: string) => {
  if (engine === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "packgrid-workers-"))
    return {
      url: `file:${join(dir, "workers.sqlite")}`,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true }))
    }
  }
  const server = process.env[TEST_DATABASE_URL_VARIABLE]!.trim()
  const name = `packgrid_workers_${process.pid}_${Date.now() % 100000}`
  const onServer = (f: (sql: SqlClient.SqlClient) => Effect.Effect<unknown, unknown>) =>
    Effect.runPromise(Effect.provide(Effect.flatMap(SqlClient.SqlClient, f), Database.layerFromUrl(server)))
  return {
    url: withDatabaseName(server, name),
    create: () => onServer((sql) => sql`CREATE DATABASE ${sql(name)}`),
    drop: () => onServer((sql) => sql`DROP DATABASE IF EXISTS ${sql(name)} WITH (FORCE)`)
  }
}

for (const engine of engines()) {
  describe(`two refresh workers on ${engine.name}`, () => {
    const db = sharedDatabase(engine.name)
    let runtime: ManagedRuntime.ManagedRuntime<CatalogueStore | SqlClient.SqlClient, unknown>

    beforeAll(async () => {
      if ("create" in db) await db.create()
      runtime = ManagedRuntime.make(CatalogueStore.Default.pipe(Layer.provideMerge(Database.layerFromUrl(db.url))))
      await runtime.runPromise(migrate)
      await runtime.runPromise(Effect.flatMap(CatalogueStore, (c) => c.importCatalogue(syntheticCatalogue(COUNT))))
    })
    afterAll(async () => {
      await runtime?.dispose()
      await db.drop()
    })

    it(`refresh ${COUNT} packages with none fetched twice`, async () => {
      const [a, b] = await Promise.all([runWorker(db.url, "alpha"), runWorker(db.url, "beta")])
      // Both took part, and between them they did every package once.
      expect(a.fetched).toBeGreaterThan(0)
      expect(b.fetched).toBeGreaterThan(0)
      expect(a.fetched + b.fetched).toBe(COUNT)
      expect({ ...a.failed, ...b.failed }).toEqual({})
      expect(a.worker).toMatch(/^alpha\//)

      const perPath = new Map<string, number>()
      for (const r of sim().requests) {
        const key = r.path.replace(/\?.*$/, "")
        perPath.set(key, (perPath.get(key) ?? 0) + 1)
      }
      const twice: Array<string> = []
      for (let n = 0; n < COUNT; n++) {
        for (const path of [
          `/repos/synthetic/synthetic-${n}`,
          `/repos/synthetic/synthetic-${n}/contributors`,
          `/repos/synthetic/synthetic-${n}/commits`,
          `/repos/synthetic/synthetic-${n}/stats/participation`,
          `/pypi/synthetic-${n}/json`
        ]) {
          if (perPath.get(path) !== 1) twice.push(`${path}: ${perPath.get(path) ?? 0}`)
        }
      }
      expect(twice).toEqual([])
      expect(sim().requests).toHaveLength(COUNT * 5)

      const [row] = await runtime.runPromise(
        Effect.flatMap(
          SqlClient.SqlClient,
          (sql) => sql<{ stale: number; claimed: number }>`
              SELECT SUM(CASE WHEN last_fetched IS NULL THEN 1 ELSE 0 END) AS stale,
                     SUM(CASE WHEN claimed_by IS NOT NULL THEN 1 ELSE 0 END) AS claimed FROM packages`
        )
      )
      expect(Number(row!.stale)).toBe(0)
      expect(Number(row!.claimed)).toBe(0)
    }, 600_000) // 5,000 answers from one simulator and two processes' startup: slow on a busy machine
  })
}
