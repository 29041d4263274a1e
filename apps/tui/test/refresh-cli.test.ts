/**
 * `packgrid refresh` as operators run it: the shipped bundle as a child process, on a real SQLite file,
 * against the upstream simulator over real sockets. Its output (progress on stderr, the summary on
 * stdout), its exit codes, and what a SIGKILL halfway through leaves behind.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Simulator, startSimulator } from "@packgrid/core/Refresh/Simulator"
import { syntheticCatalogue } from "@packgrid/core/Refresh/SyntheticCatalogue"
import * as Database from "@packgrid/core/Store/Database"

const cli = fileURLToPath(new URL("../dist/packgrid.js", import.meta.url))
const build = fileURLToPath(new URL("../build.mjs", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "packgrid-refresh-cli-"))

let sim: Simulator

interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs the CLI without blocking this process (the simulator answers from here); `watch` sees stderr as
 * it comes and may kill the child.
 */
const packgrid = (database: string, args: ReadonlyArray<string>, watch?: (stderr: string, kill: () => void) => void) =>
  new Promise<Finished>((resolve) => {
    const child = spawn(process.execPath, [cli, "--database", database, ...args], {
      env: { ...process.env, ...sim.env, INIT_CWD: dir },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString()
      watch?.(stderr, () => child.kill("SIGKILL"))
    })
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }))
  })

/** A new SQLite database holding `count` synthetic packages. */
const seeded = async (name: string, count: number) => {
  const database = `file:${join(dir, `${name}.sqlite`)}`
  const file = join(dir, `${name}.json`)
  writeFileSync(file, JSON.stringify(syntheticCatalogue(count)))
  const imported = await packgrid(database, ["import", file])
  expect(imported.code, imported.stderr).toBe(0)
  return database
}

/** Queries a database file from this process. */
const query = <A extends object>(
  database: string,
  f: (sql: SqlClient.SqlClient) => Effect.Effect<ReadonlyArray<A>, unknown>
) => Effect.runPromise(Effect.provide(Effect.flatMap(SqlClient.SqlClient, f), Database.layerFromUrl(database)))

const numbers = (s: Simulator) =>
  new Set(
    s.requests.flatMap((r) => {
      const m = /synthetic-(\d+)/.exec(r.path)
      return m === null ? [] : [Number(m[1])]
    })
  )

beforeAll(async () => {
  expect(spawnSync(process.execPath, [build]).status).toBe(0)
  sim = await startSimulator()
}, 60_000)
afterAll(async () => {
  await sim?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe("packgrid refresh", () => {
  let database: string
  beforeAll(async () => {
    database = await seeded("cli", 20)
  }, 60_000)

  it("refreshes the stale packages: progress on stderr, the summary table on stdout, exit 0 despite a failure", async () => {
    sim.reset()
    sim.inject(
      { host: "github", path: /^\/repos\/synthetic\/synthetic-3(?:[/?]|$)/ },
      { kind: "serverError", status: 502 }
    )
    const r = await packgrid(database, ["refresh", "--progress-every", "5", "--worker", "ops-1"])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr.split("\n").filter((l) => l !== "")).toEqual([
      expect.stringMatching(/^refresh: 5\/20 packages \(\d+\.\d\/s\)$/),
      expect.stringMatching(/^refresh: 10\/20 packages/),
      expect.stringMatching(/^refresh: 15\/20 packages/),
      expect.stringMatching(/^refresh: 20\/20 packages \(\d+\.\d\/s, 1 failed\)$/)
    ])
    const lines = r.stdout.split("\n")
    expect(lines[0]).toMatch(/^refresh by ops-1\/[0-9a-f]{8} in \S+$/)
    expect(r.stdout).toMatch(/^ {2}packages +20$/m)
    expect(r.stdout).toMatch(/^ {2}fetched +19$/m)
    expect(r.stdout).toMatch(/^ {2}not modified +0$/m)
    expect(r.stdout).toMatch(/^ {2}failed +1$/m)
    expect(r.stdout).toMatch(/^ {4}github UpstreamFailed 502 +1$/m)
    // 4 requests for each of 19 GitHub packages, 1 + 3 retries for the failing one.
    expect(r.stdout).toMatch(/^ {4}github +80 +0$/m)
    expect(r.stdout).toMatch(/^ {4}pypi +20 +0$/m)
    expect(r.stdout).toMatch(/^ {2}quota left$/m)
  }, 60_000)

  it("prints the summary as JSON; a re-run asks conditionally and is answered 304", async () => {
    sim.reset()
    const r = await packgrid(database, ["refresh", "--all", "--json"])
    expect(r.code, r.stderr).toBe(0)
    const summary = JSON.parse(r.stdout)
    // The one that failed has no validators yet: it is fetched in full; the others answer 304.
    expect(summary).toMatchObject({ total: 20, fetched: 1, notModified: 19, failed: {} })
    expect(summary.requests).toEqual({ github: 19 + 4, pypi: 20 })
    // (the failed package's PyPI facts were written with the rest of it: 304 too).
    expect(summary.notModifiedReplies).toEqual({ github: 19, pypi: 20 })
  }, 60_000)

  it("selects with --slug, --limit and --skip-*, and refreshes nothing that is fresh", async () => {
    sim.reset()
    const fresh = await packgrid(database, ["refresh", "--json"])
    expect(JSON.parse(fresh.stdout)).toMatchObject({ total: 0 })
    expect(sim.requests).toHaveLength(0)
    const one = await packgrid(database, ["refresh", "--slug", "synthetic-7", "--skip-pypi", "--json"])
    expect(JSON.parse(one.stdout)).toMatchObject({ total: 1, requests: { github: 1 } })
    expect(numbers(sim)).toEqual(new Set([7]))
    sim.reset()
    const some = await packgrid(database, ["refresh", "--all", "--limit", "4", "--skip-repo", "--json"])
    expect(JSON.parse(some.stdout)).toMatchObject({ total: 4, requests: { pypi: 4 } })
  }, 60_000)

  it("refuses bad flags with exit code 2, and fails with 1 only when the run cannot go on", async () => {
    for (const args of [
      ["--time-budget", "soon"],
      ["--limit", "0"],
      ["--all", "--slug", "x"],
      ["--concurrency", "many"],
      ["--lease", "-1m"],
      ["--bogus"]
    ]) {
      const r = await packgrid(database, ["refresh", ...args])
      expect(r.code, args.join(" ")).toBe(2)
      expect(r.stderr, args.join(" ")).toMatch(/^packgrid: /)
      expect(r.stdout).toBe("")
    }
    const down = await packgrid("postgres://postgres@127.0.0.1:9/nowhere", ["refresh"])
    expect(down.code).toBe(1)
    expect(down.stderr).toMatch(/^packgrid: /)
  }, 60_000)
})

describe("packgrid refresh killed with SIGKILL halfway", () => {
  const COUNT = 150
  let database: string
  beforeAll(async () => {
    database = await seeded("killed", COUNT)
  }, 60_000)

  it("leaves a consistent database, and the next run refreshes exactly what was left", async () => {
    sim.reset()
    sim.setLatency(30)
    const killed = await packgrid(
      database,
      ["refresh", "--lease", "2s", "--concurrency", "4", "--progress-every", "10"],
      (stderr, kill) => {
        if (/refresh: 50\//.test(stderr)) kill()
      }
    )
    expect(killed.signal).toBe("SIGKILL")
    expect(killed.stdout).toBe("")

    const [integrity] = await query<{ integrity_check: string }>(database, (sql) => sql`PRAGMA integrity_check`)
    expect(integrity!.integrity_check).toBe("ok")

    // Every package is untouched or wholly refreshed: facts, releases and adapter state come together.
    const rows = await query<{
      slug: string
      last_fetched: number | null
      pypi_version: string | null
      repo_watchers: number
      releases: number
      state: number
      claimed_until: number | null
    }>(
      database,
      (sql) => sql`
        SELECT p.slug, p.last_fetched, p.pypi_version, p.repo_watchers, p.claimed_until,
          (SELECT COUNT(*) FROM releases r WHERE r.package = p.id) AS releases,
          (SELECT COUNT(*) FROM fetch_state f WHERE f.package = p.id AND f.repo IS NOT NULL AND f.pypi IS NOT NULL) AS state
        FROM packages p ORDER BY p.id`
    )
    expect(rows).toHaveLength(COUNT)
    const refreshed = rows.filter((r) => r.last_fetched !== null)
    for (const r of rows) {
      const done = r.last_fetched !== null
      expect({ slug: r.slug, pypi: r.pypi_version !== null, releases: r.releases > 0, state: r.state === 1 }).toEqual({
        slug: r.slug,
        pypi: done,
        releases: done,
        state: done
      })
    }
    expect(refreshed.length).toBeGreaterThanOrEqual(50)
    expect(refreshed.length).toBeLessThan(COUNT)
    // The dead worker's claims hold only for their short lease.
    const claims = rows.filter((r) => r.claimed_until !== null)
    for (const c of claims) expect(c.claimed_until!).toBeLessThanOrEqual((Date.now() + 2_000) * 1000)
    await new Promise((r) => setTimeout(r, 2_100))

    // The next run takes up exactly the packages left stale, and nothing else.
    const left = new Set(rows.filter((r) => r.last_fetched === null).map((r) => Number(r.slug.split("-")[1])))
    sim.reset()
    const next = await packgrid(database, ["refresh", "--json", "--concurrency", "8"])
    expect(next.code, next.stderr).toBe(0)
    expect(JSON.parse(next.stdout)).toMatchObject({ total: left.size, fetched: left.size, failed: {} })
    expect(numbers(sim)).toEqual(left)
    const [after] = await query<{ stale: number; claimed: number }>(
      database,
      (sql) => sql`SELECT SUM(CASE WHEN last_fetched IS NULL THEN 1 ELSE 0 END) AS stale,
        SUM(CASE WHEN claimed_by IS NOT NULL THEN 1 ELSE 0 END) AS claimed FROM packages`
    )
    expect({ stale: Number(after!.stale), claimed: Number(after!.claimed) }).toEqual({ stale: 0, claimed: 0 })
  }, 120_000)
})
