/**
 * Injected faults during a refresh run: each one leaves the other packages refreshed and the failed one
 * with its last good facts and the error recorded (message, time, count); a 404 deprecates, a 301
 * moves the stored URL; a rate-limited host stops its phase for the rest of the run and leaves its
 * packages stale rather than failed.
 */
import { describe, expect, it } from "vitest"
import { syntheticRepo } from "../../src/Refresh/internal/synthetic.ts"
import type { Fault, FaultRule } from "../../src/Refresh/Simulator.ts"
import { engines } from "../../src/Store/TestDatabase.ts"
import { githubPaths, type StoredRow, useRefreshDatabase } from "./refreshSupport.ts"
import { testSettings, useSimulator } from "./support.ts"

const ANCHOR = Date.UTC(2026, 0, 15)
const sim = useSimulator({ anchorMs: ANCHOR })
/** Stars of `synthetic-n` after `touches` changes upstream (each adds one). */
const stars = (n: number, touches: number) => syntheticRepo(n, [], ANCHOR).stars + touches
const COUNT = 6
const VICTIM = 2
const slug = (n: number) => `synthetic-${n}`

// Short timeouts and one retry keep the slow faults quick.
const settings = testSettings({}, { timeout: "1 second", maxRetries: 1, baseDelay: "5 millis" })

/** The repository facts a failed GitHub phase must leave as they were. */
const repoFacts = (r: StoredRow) => ({
  repo_url: r.repo_url,
  repo_watchers: r.repo_watchers,
  repo_forks: r.repo_forks,
  commit_count: r.commit_count,
  contributors: r.contributors,
  fetch_repo: r.fetch_repo
})

for (const engine of engines()) {
  describe(`refresh faults on ${engine.name}`, () => {
    const db = useRefreshDatabase(engine, sim)
    let generation = 0

    /** Every package changes upstream, `fault` hits the victim, and a run over everything follows. */
    const runWithFault = async (rule: FaultRule, fault: Fault) => {
      const before = await db.rows()
      sim().reset()
      // `reset` forgets the simulator's touches too: give back the earlier ones, and one more.
      generation += 1
      for (let n = 0; n < COUNT; n++) for (let t = 0; t < generation; t++) sim().touch(n)
      sim().inject(rule, fault)
      const summary = await db.refresh({ all: true }, settings)
      return { before, after: await db.rows(), summary }
    }

    /** The packages other than the victim took the upstream change. */
    const othersRefreshed = (
      before: Map<string, StoredRow>,
      after: Map<string, StoredRow>,
      except: ReadonlyArray<number> = [VICTIM]
    ) => {
      for (let n = 0; n < COUNT; n++) {
        if (except.includes(n)) continue
        const was = before.get(slug(n))!
        const now = after.get(slug(n))!
        expect(now.repo_watchers, slug(n)).toBe(stars(n, generation))
        expect(now.pypi_version, slug(n)).not.toBe(was.pypi_version)
        expect(now.last_fetched!, slug(n)).toBeGreaterThan(was.last_fetched!)
        expect(now.last_exception_count, slug(n)).toBe(0)
        expect(now.claimed_by, slug(n)).toBeNull()
      }
    }

    /** The victim kept its repository facts and recorded the error. */
    const victimFailed = (before: Map<string, StoredRow>, after: Map<string, StoredRow>, message: RegExp) => {
      const was = before.get(slug(VICTIM))!
      const now = after.get(slug(VICTIM))!
      expect(repoFacts(now)).toEqual(repoFacts(was))
      expect(now.last_exception).toMatch(message)
      expect(now.last_exception_at!).toBeGreaterThan(was.last_fetched!)
      expect(now.last_exception_count).toBe(was.last_exception_count + 1)
      expect(now.claimed_by).toBeNull()
      // The phase that worked is kept: PyPI's new release is there.
      expect(now.pypi_version).not.toBe(was.pypi_version)
      return now
    }

    it("starts from a clean first run", async () => {
      await db.seed(COUNT)
      const summary = await db.refresh()
      expect(summary).toMatchObject({ total: COUNT, fetched: COUNT, failed: {} })
    })

    it("5xx after every retry: the others refreshed, the victim's old facts kept with the error", async () => {
      const { before, after, summary } = await runWithFault(
        { host: "github", path: githubPaths(VICTIM) },
        { kind: "serverError", status: 502 }
      )
      expect(summary).toMatchObject({ total: COUNT, fetched: COUNT - 1, failed: { "github UpstreamFailed 502": 1 } })
      // The first attempt and one retry.
      expect(sim().count("github", `/repos/synthetic/${slug(VICTIM)}`)).toBe(2)
      othersRefreshed(before, after)
      victimFailed(before, after, /^github: UpstreamFailed: /)
    })

    it("a 5xx that clears on retry is no failure at all", async () => {
      const { before, after, summary } = await runWithFault(
        { host: "github", path: `/repos/synthetic/${slug(VICTIM)}`, times: 1 },
        { kind: "serverError" }
      )
      expect(summary).toMatchObject({ total: COUNT, fetched: COUNT, failed: {} })
      othersRefreshed(before, after, [])
      // A success resets the error count the previous test left.
      expect(after.get(slug(VICTIM))!.last_exception_count).toBe(0)
    })

    it("a timeout (no answer at all)", async () => {
      const { before, after, summary } = await runWithFault(
        { host: "github", path: githubPaths(VICTIM) },
        { kind: "timeout" }
      )
      expect(summary.failed).toEqual({ "github UpstreamFailed null": 1 })
      othersRefreshed(before, after)
      victimFailed(before, after, /no complete answer within/)
    })

    it("a body that trickles in slower than the timeout", async () => {
      const { before, after, summary } = await runWithFault(
        { host: "github", path: githubPaths(VICTIM) },
        { kind: "slowBody", chunkDelayMs: 300, chunks: 8 }
      )
      expect(summary.failed).toEqual({ "github UpstreamFailed null": 1 })
      othersRefreshed(before, after)
      victimFailed(before, after, /no complete answer within/)
    })

    it("malformed JSON", async () => {
      const { before, after, summary } = await runWithFault(
        { host: "github", path: `/repos/synthetic/${slug(VICTIM)}` },
        { kind: "malformed" }
      )
      expect(summary.failed).toEqual({ "github MalformedResponse": 1 })
      othersRefreshed(before, after)
      victimFailed(before, after, /MalformedResponse: invalid JSON/)
    })

    it("a PyPI failure keeps the old PyPI facts and writes the repository's new ones", async () => {
      const { before, after, summary } = await runWithFault(
        { host: "pypi", path: `/pypi/${slug(VICTIM)}/json` },
        { kind: "serverError", status: 503 }
      )
      expect(summary.failed).toEqual({ "pypi UpstreamFailed 503": 1 })
      othersRefreshed(before, after)
      const was = before.get(slug(VICTIM))!
      const now = after.get(slug(VICTIM))!
      expect(now.pypi_version).toBe(was.pypi_version)
      expect(now.fetch_pypi).toBe(was.fetch_pypi)
      expect(now.repo_watchers).toBe(stars(VICTIM, generation))
      expect(now.last_exception).toMatch(/^PyPI: UpstreamFailed: /)
      expect(now.last_exception_count).toBe(was.last_exception_count + 1)
    })

    it("a 301 is followed and the stored URL moved (unless another package has that URL)", async () => {
      const moved = await runWithFault(
        { host: "github", path: `/repos/synthetic/${slug(VICTIM)}` },
        { kind: "moved", to: "/repos/synthetic/synthetic-900" }
      )
      expect(moved.summary).toMatchObject({ fetched: COUNT, failed: {} })
      othersRefreshed(moved.before, moved.after)
      const now = moved.after.get(slug(VICTIM))!
      expect(now.repo_url).toBe("https://github.com/synthetic/synthetic-900")
      expect(now.repo_watchers).toBe(stars(900, 0))
      // A success clears the error count (the last message stays, for the record).
      expect(now.last_exception_count).toBe(0)
      expect(sim().count("github", "/repos/synthetic/synthetic-900")).toBe(1)

      // synthetic-3 moved onto synthetic-4's repository: its facts are fetched, its URL is kept.
      sim().reset()
      sim().inject(
        { host: "github", path: "/repos/synthetic/synthetic-3" },
        { kind: "moved", to: "/repos/synthetic/synthetic-4" }
      )
      await db.refresh({ slug: slug(3) }, settings)
      expect((await db.row(slug(3))).repo_url).toBe("https://github.com/synthetic/synthetic-3")
    })

    it("a 404 deprecates the package, as the reference does, and records why", async () => {
      const { before, after, summary } = await runWithFault(
        { host: "github", path: githubPaths(5) },
        { kind: "notFound" }
      )
      expect(summary.failed).toEqual({ "github UpstreamNotFound": 1 })
      // (synthetic-2 lives at synthetic-900 since the 301, which did not change.)
      othersRefreshed(before, after, [5, VICTIM])
      const now = after.get(slug(5))!
      expect(now.date_deprecated).not.toBeNull()
      expect(now.last_exception).toMatch(/UpstreamNotFound/)
      expect(repoFacts(now)).toEqual(repoFacts(before.get(slug(5))!))
      // Deprecated packages are not refreshed again.
      sim().reset()
      expect((await db.refresh({ all: true }, settings)).total).toBe(COUNT - 1)
      expect(sim().count("github", githubPaths(5))).toBe(0)
    })

    it("a rate limit stops the host for the run and leaves its packages stale, not failed", async () => {
      await db.seed(COUNT, { from: 100, firstId: 101 })
      sim().reset()
      sim().inject({ host: "github", path: "/repos/synthetic/synthetic-102" }, { kind: "rateLimit" })
      const stale = { staleHours: 24 }
      const summary = await db.refresh({ ...stale, concurrency: 1 }, settings)
      // Only the new packages were stale; 100 and 101 went before the limit, 102 hit it, the rest waited.
      expect(summary).toMatchObject({ total: COUNT, fetched: 2, deferred: COUNT - 2, failed: {} })
      expect(summary.stopped).toEqual(["github"])
      expect(summary.quota.github?.remaining).toBe(0)
      // Nothing was asked of GitHub after the 403.
      expect(sim().count("github", /synthetic-10[3-5]/)).toBe(0)
      const rows = await db.rows()
      for (let n = 102; n < 100 + COUNT; n++) {
        const r = rows.get(slug(n))!
        expect(r.last_fetched, slug(n)).toBeNull()
        expect(r.last_exception, slug(n)).toBeNull()
        expect(r.last_exception_count, slug(n)).toBe(0)
        expect(r.claimed_by, slug(n)).toBeNull()
      }
      // synthetic-102's PyPI facts came before the 403 and are kept; the package stays stale all the same.
      expect(rows.get(slug(102))!.pypi_version).not.toBeNull()

      // The next run (the limit over) refreshes exactly what was left.
      sim().reset()
      const next = await db.refresh(stale, settings)
      expect(next).toMatchObject({ total: COUNT - 2, fetched: COUNT - 2, failed: {} })
      expect(sim().count("github", /synthetic-10[01]/)).toBe(0)
    })

    it("a simulated quota running low stops the host before it is spent", async () => {
      await db.seed(4, { from: 200, firstId: 201 })
      sim().reset()
      sim().setQuota("github", { limit: 10, windowSeconds: 3600 })
      const summary = await db.refresh({ concurrency: 1 }, testSettings({ github: { reserve: 2 } }))
      // 4 requests per package: two packages fit in 10 - 2, the third would not.
      expect(summary).toMatchObject({ total: 4, fetched: 2, deferred: 2, failed: {} })
      expect(summary.stopped).toEqual(["github"])
      expect(sim().requests.filter((r) => r.host === "github" && r.status === 403)).toHaveLength(0)
    })
  })
}
