/**
 * Whole refresh runs over real sockets: the synthetic packages in a real database (SQLite, and
 * PostgreSQL when configured), the simulator playing every upstream. First runs write every fact,
 * re-runs ask conditionally and are answered 304, and the selection options pick what is refreshed.
 */
import { Effect, Fiber } from "effect"
import { describe, expect, it } from "vitest"
import * as Refresh from "../../src/Refresh/Layer.ts"
import { Refresher } from "../../src/Refresh/Refresher.ts"
import { syntheticPypi, syntheticRepo } from "../../src/Refresh/internal/synthetic.ts"
import { bucketWeeks } from "../../src/Refresh/Weeks.ts"
import type { Timestamp } from "../../src/Domain/Timestamp.ts"
import { Scores } from "../../src/Store/Scores.ts"
import { RefreshStore } from "../../src/Store/Refresh.ts"
import { engines } from "../../src/Store/TestDatabase.ts"
import { githubPaths, useRefreshDatabase } from "./refreshSupport.ts"
import { testSettings, useSimulator } from "./support.ts"

const ANCHOR = Date.UTC(2026, 0, 15)
const sim = useSimulator({ anchorMs: ANCHOR })
const HOSTS = ["github", "gitlab", "codeberg", "bitbucket"] as const

for (const engine of engines()) {
  describe(`Refresher on ${engine.name}`, () => {
    const db = useRefreshDatabase(engine, sim)

    it("writes every fact on a first run: repository, PyPI, releases, weeks and scores", async () => {
      await db.seed(8, { hosts: HOSTS })
      const before = Date.now() * 1000
      const summary = await db.refresh()
      expect(summary).toMatchObject({ total: 8, fetched: 8, notModified: 0, deferred: 0, skipped: 0, failed: {} })
      expect(summary.stopped).toEqual([])
      expect(summary.requests.pypi).toBe(8)
      // GitHub: the repository, contributors, the newest commit and the participation, 4 each.
      expect(summary.requests.github).toBe(4 * 2)
      expect(summary.quota.github?.remaining).toBeGreaterThan(0)

      const repo = syntheticRepo(0, [], ANCHOR)
      const doc = syntheticPypi(0, [], ANCHOR) as { info: { version: string }; releases: Record<string, unknown> }
      const pkg = await db.pkg("synthetic-0")
      expect(pkg).toMatchObject({
        repo_url: "https://github.com/synthetic/synthetic-0",
        repo_watchers: repo.stars,
        repo_forks: repo.forks,
        repo_description: repo.description,
        open_issues: repo.openIssues,
        contributors: repo.contributors.length,
        commit_count: repo.commits.length,
        last_commit_date: Math.floor(repo.commits[0]!.dateMs / 1000) * 1_000_000,
        pypi_version: doc.info.version,
        supports_python3: true,
        pypi_license: "MIT",
        documentation_url: "https://synthetic-0.readthedocs.io/",
        last_exception: null,
        last_exception_count: 0,
        date_deprecated: null
      })
      expect(pkg.participants).toEqual(repo.contributors.map((c) => c.login))
      expect(pkg.commits_over_52w).toEqual(
        bucketWeeks(
          repo.commits.map((c) => (Math.floor(c.dateMs / 1000) * 1_000_000) as Timestamp),
          (Date.now() * 1000) as Timestamp
        )
      )
      expect(pkg.last_fetched).toBeGreaterThanOrEqual(before)
      // synthetic-4 has neither Requires-Python nor a Python 3 classifier: "cannot tell" stays null.
      expect((await db.pkg("synthetic-4")).supports_python3).toBeNull()

      const rows = await db.rows()
      for (const [slug, row] of rows) {
        expect(row.last_fetched, slug).not.toBeNull()
        expect(row.fetch_repo, slug).not.toBeNull()
        expect(row.fetch_pypi, slug).not.toBeNull()
        expect(row.claimed_by, slug).toBeNull()
        // The scores are those of the new facts (with the stored releases and advisories), as of the
        // refresh: recomputing them then changes nothing.
        const again = await db.run(Effect.flatMap(Scores, (s) => s.recomputeOne(row.id, row.last_fetched as Timestamp)))
        expect(again.changed, slug).toBe(false)
        expect({ score: row.score, search_weight: row.search_weight, package_score: row.package_score }, slug).toEqual(
          again.scores
        )
      }
      // Every host's adapter ran: the stars of each are the synthetic repository's.
      for (let n = 0; n < 8; n++) {
        expect(rows.get(`synthetic-${n}`)!.repo_watchers, `synthetic-${n} on ${HOSTS[n % 4]}`).toBe(
          syntheticRepo(n, [], ANCHOR).stars
        )
      }
      const releases = await db.query((sql) => sql`SELECT number FROM releases WHERE package = ${pkg.id}`)
      expect(releases.map((r) => r.number).sort()).toEqual(Object.keys(doc.releases).sort())
    })

    it("asks conditionally on a re-run: fewer requests, answered 304, the facts kept", async () => {
      const first = await db.rows()
      sim().reset()
      const summary = await db.refresh({ all: true })
      expect(summary).toMatchObject({ total: 8, fetched: 0, notModified: 8, failed: {} })
      // One conditional request per package and upstream: the repository (or project) and PyPI.
      expect(summary.requests.github).toBe(2)
      expect(summary.requests.pypi).toBe(8)
      expect(summary.notModifiedReplies).toMatchObject({ github: 2, pypi: 8 })
      const sent = sim().requests
      expect(sent.every((r) => r.status === 304)).toBe(true)
      expect(sent.every((r) => (r.headers["if-none-match"] ?? "") !== "")).toBe(true)
      const total = Object.values(summary.requests).reduce((a, b) => a + b, 0)
      expect(total).toBeLessThan(8 * 4)
      const after = await db.rows()
      for (const [slug, row] of after) {
        const was = first.get(slug)!
        expect({ ...row, last_fetched: 0, fetch_repo: "", fetch_pypi: "" }, slug).toEqual({
          ...was,
          last_fetched: 0,
          fetch_repo: "",
          fetch_pypi: ""
        })
        expect(row.last_fetched!).toBeGreaterThan(was.last_fetched!)
      }
    })

    it("fetches again what changed upstream, and only that", async () => {
      const was = await db.row("synthetic-0")
      sim().reset()
      sim().touch(0)
      const summary = await db.refresh({ all: true })
      expect(summary).toMatchObject({ total: 8, fetched: 1, notModified: 7 })
      const now = await db.row("synthetic-0")
      expect(now.repo_watchers).toBe(was.repo_watchers + 1)
      expect(now.commit_count).toBe(was.commit_count + 1)
      expect(now.pypi_version).not.toBe(was.pypi_version)
      // After a push: the repository, then contributors, commits and participation again (conditional).
      expect(sim().count("github", githubPaths(0))).toBe(4)
    })

    it("refreshes only stale packages by default, and what --slug, --limit and --skip-* name", async () => {
      sim().reset()
      expect((await db.refresh()).total).toBe(0)
      expect(sim().requests).toHaveLength(0)

      const one = await db.refresh({ slug: "synthetic-4" })
      expect(one.total).toBe(1)
      expect(new Set(sim().requests.map((r) => r.path.replace(/\/(contributors|commits|stats).*$/, "")))).toEqual(
        new Set(["/repos/synthetic/synthetic-4", "/pypi/synthetic-4/json"])
      )
      expect((await db.refresh({ slug: "no-such-package" })).total).toBe(0)

      sim().reset()
      expect((await db.refresh({ all: true, limit: 3 })).total).toBe(3)
      sim().reset()
      const noPypi = await db.refresh({ all: true, skipPypi: true })
      expect(noPypi.total).toBe(8)
      expect(sim().count("pypi")).toBe(0)
      sim().reset()
      const noRepo = await db.refresh({ all: true, skipRepo: true })
      expect(noRepo.total).toBe(8)
      expect(sim().requests.every((r) => r.host === "pypi")).toBe(true)
      sim().reset()
      const nothing = await db.refresh({ all: true, skipRepo: true, skipPypi: true })
      expect(nothing).toMatchObject({ total: 8, skipped: 8 })
      expect(sim().requests).toHaveLength(0)
      // Skipped packages were released, not written: a package with stale facts stays stale.
      expect([...(await db.rows()).values()].every((r) => r.claimed_by === null)).toBe(true)
    })

    it("leaves a package claimed by another worker alone until its lease lapses", async () => {
      sim().reset()
      const store = (f: (s: RefreshStore) => Effect.Effect<unknown, unknown>) =>
        db.run(Effect.provide(Effect.flatMap(RefreshStore, f), RefreshStore.Default))
      await store((s) =>
        s.claim({
          worker: "elsewhere",
          limit: 1,
          staleBefore: 0 as Timestamp,
          leaseMicros: 60_000_000,
          slug: "synthetic-5"
        })
      )
      expect((await db.refresh({ slug: "synthetic-5" })).total).toBe(0)
      expect((await db.refresh({ all: true })).total).toBe(7)
      expect(sim().count("pypi", "/pypi/synthetic-5/json")).toBe(0)
      // A claim whose lease ran out no longer holds.
      await store((s) => s.release(6, "elsewhere")) // synthetic-5's id
      await store((s) =>
        s.claim({ worker: "elsewhere", limit: 1, staleBefore: 0 as Timestamp, leaseMicros: 1, slug: "synthetic-5" })
      )
      await new Promise((r) => setTimeout(r, 5))
      expect((await db.refresh({ slug: "synthetic-5" })).total).toBe(1)
      expect(sim().count("pypi", "/pypi/synthetic-5/json")).toBe(1)
    })

    it("stops claiming when the time budget is spent and gives back what it did not start", async () => {
      sim().reset()
      sim().setLatency(150)
      const summary = await db.refresh({ all: true, timeBudgetMillis: 200, concurrency: 1 })
      expect(summary.outOfTime).toBe(true)
      expect(summary.total).toBeGreaterThanOrEqual(1)
      expect(summary.total).toBeLessThan(8)
      expect([...(await db.rows()).values()].every((r) => r.claimed_by === null)).toBe(true)
    })

    it("gives back its claims when interrupted mid-run, writing nothing half-done", async () => {
      sim().reset()
      sim().setLatency(200)
      const before = await db.rows()
      const fiber = await db.run(
        Effect.forkDaemon(
          Effect.flatMap(Refresher, (r) => r.run({ all: true, concurrency: 2 })).pipe(
            Effect.provide(Refresh.layerWith(Refresh.configFor(sim().baseUrls, testSettings())))
          )
        )
      )
      await new Promise((r) => setTimeout(r, 300))
      const claimed = await db.query(
        (sql) =>
          sql`SELECT COUNT(*) AS n FROM packages WHERE claimed_by IS NOT NULL` as Effect.Effect<
            ReadonlyArray<{ n: number }>,
            unknown,
            never
          >
      )
      expect(Number(claimed[0]!.n)).toBeGreaterThan(0)
      await db.run(Fiber.interrupt(fiber))
      const after = await db.rows()
      for (const [slug, row] of after) {
        expect(row.claimed_by, slug).toBeNull()
        // Untouched (as before) or refreshed as a whole: never facts without their fetch.
        const was = before.get(slug)!
        if (row.last_fetched === was.last_fetched) expect(row, slug).toEqual(was)
      }
    })
  })
}
