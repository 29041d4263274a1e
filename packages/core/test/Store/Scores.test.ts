import { SqlClient } from "@effect/sql"
import { Clock, Effect, Layer, Option } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import type { CategoryId } from "../../src/Domain/Ids.ts"
import type { PackageDraft } from "../../src/Domain/Package.ts"
import { Slug } from "../../src/Domain/Slug.ts"
import type { Timestamp } from "../../src/Domain/Timestamp.ts"
import { SCORE_VERSION } from "../../src/Scoring/PackageScore.ts"
import { storedScores } from "../../src/Scoring/Stored.ts"
import { Categories } from "../../src/Store/Categories.ts"
import { Community } from "../../src/Store/Community.ts"
import { Packages } from "../../src/Store/Packages.ts"
import { DAILY_MICROS, scoreDay, Scores } from "../../src/Store/Scores.ts"
import { engines } from "../../src/Store/TestDatabase.ts"
import { at } from "../Scoring/at.ts"
import { useRuntime } from "./useRuntime.ts"

const DAY = 24 * 3600 * 1_000_000
const T0 = at("2026-09-01T12:00:00Z")
const days = (n: number) => (T0 + n * DAY) as Timestamp

/** A clock stopped at `t`: what the store's writes read as "now" (Store/Clock.ts). */
const stoppedAt = (t: Timestamp): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => Math.floor(t / 1000),
  currentTimeMillis: Effect.sync(() => Math.floor(t / 1000)),
  unsafeCurrentTimeNanos: () => BigInt(t) * 1000n,
  currentTimeNanos: Effect.sync(() => BigInt(t) * 1000n),
  sleep: () => Effect.void
})

for (const engine of engines()) {
  describe(`Store.Scores on ${engine.name}`, () => {
    const db = useRuntime(
      Layer.mergeAll(Scores.Default, Packages.Default, Categories.Default, Community.Default).pipe(
        Layer.provideMerge(engine.layer)
      )
    )
    const scores = Effect.flatMap(Scores, Effect.succeed)
    const sql = <A>(f: (sql: SqlClient.SqlClient) => Effect.Effect<A, unknown>) =>
      db.run(Effect.flatMap(SqlClient.SqlClient, f) as Effect.Effect<A>)
    const stored = (id: number) =>
      sql((s) =>
        Effect.map(
          s<{
            score: number
            search_weight: number
            package_score: number
          }>`SELECT score, search_weight, package_score FROM packages WHERE id = ${id}`,
          ([r]) => ({
            score: Number(r!.score),
            search_weight: Number(r!.search_weight),
            package_score: Number(r!.package_score)
          })
        )
      )
    /** Runs a write as if at `t`. */
    const writeAt = <A, E>(t: Timestamp, effect: Effect.Effect<A, E, Packages | Community>) =>
      db.run(Effect.withClock(effect, stoppedAt(t)))
    const history = (id: number) => db.run(Effect.flatMap(scores, (s) => s.history(id)))
    const recompute = (asOf: Timestamp, ids?: ReadonlyArray<number>, batchSize?: number) =>
      db.run(Effect.flatMap(scores, (s) => s.recompute({ asOf, ids, batchSize })))

    let category: CategoryId
    let sequence = 0
    const create = async (extra: Partial<PackageDraft> = {}, when: Timestamp = T0) => {
      sequence += 1
      const name = `scored-${sequence}`
      return writeAt(
        when,
        Effect.flatMap(Packages, (p) =>
          p.create({
            slug: Slug.make(name),
            title: name,
            category,
            repo_url: `https://github.com/packgrid-test/${name}`,
            ...extra
          })
        )
      )
    }
    /** An active package whose scores decay with time (dated commits and release). */
    const active = (when?: Timestamp) =>
      create(
        {
          repo_watchers: 1200,
          repo_forks: 150,
          contributors: 20,
          open_issues: 10,
          pypi_url: "https://pypi.org/project/django-active/",
          pypi_version: "2.3.0",
          pypi_downloads: 40_000,
          pypi_classifiers: ["Framework :: Django :: 5.2", "Programming Language :: Python :: 3.13"],
          supports_python3: true,
          repo_description: "An active Django app",
          last_commit_date: days(-20),
          latest_release_date: days(-40),
          last_fetched: days(-1)
        },
        when
      )
    /** A package with no dated fact: its scores do not move with time. */
    const timeless = (when?: Timestamp) => create({ repo_watchers: 50, repo_forks: 5 }, when)

    beforeAll(async () => {
      category = (await db.run(Effect.flatMap(Categories, (c) => c.create({ slug: Slug.make("apps"), title: "App" }))))
        .id
    })

    it("recomputes every package's three scores as Scoring/Stored computes them, then writes nothing more", async () => {
      const a = await active()
      const b = await timeless()
      const first = await recompute(T0)
      expect(first.packages).toBeGreaterThanOrEqual(2)
      expect(first.day).toBe("2026-09-01")
      for (const p of [a, b]) {
        const pkg = await db.run(Effect.flatMap(Packages, (s) => s.get({ id: p.id })))
        expect(await stored(p.id)).toEqual(storedScores(pkg, T0))
        expect(pkg.score).toBe(storedScores(pkg, T0).score)
      }
      expect((await stored(a.id)).package_score).toBeGreaterThan(50)
      const again = await recompute(T0)
      expect(again).toMatchObject({ changed: 0, history: 0, packages: first.packages })
    })

    it("keeps one history row per package per day the scores changed, and none for days they did not", async () => {
      // Created at T0: the write scored them, and recorded the day.
      const a = await active()
      const b = await timeless()
      const day0 = { day: "2026-09-01", ...(await stored(a.id)), score_version: SCORE_VERSION }
      expect(await history(a.id)).toEqual([day0])
      expect(await recompute(days(0), [a.id, b.id])).toMatchObject({ changed: 0, history: 0 })
      // The next day nothing moved: no row.
      expect(await recompute(days(1), [a.id, b.id])).toMatchObject({ changed: 0, history: 0 })
      // Years later the active package has decayed: a second row, the day's; the timeless one has none.
      const later = await recompute(days(900), [a.id, b.id])
      expect(later).toMatchObject({ changed: 1, history: 1 })
      const trend = await history(a.id)
      expect(trend.map((h) => h.day)).toEqual(["2026-09-01", scoreDay(days(900))])
      expect(trend[1]!.package_score).toBeLessThan(trend[0]!.package_score)
      expect(trend[1]).toEqual({ day: scoreDay(days(900)), ...(await stored(a.id)), score_version: SCORE_VERSION })
      expect(await history(b.id)).toHaveLength(1)
      // `limit` keeps the latest days, oldest first.
      expect(await db.run(Effect.flatMap(scores, (s) => s.history(a.id, { limit: 1 })))).toEqual([trend[1]])
    })

    it("rescores an editor's update in the same transaction, and drops a day whose change was undone", async () => {
      const p = await timeless(days(-1))
      const before = await stored(p.id)
      const update = (patch: Parameters<Packages["update"]>[1]) =>
        writeAt(
          T0,
          Effect.flatMap(Packages, (s) => s.update({ id: p.id }, patch))
        )

      const updated = await update({ repo_watchers: 4000, repo_forks: 700, contributors: 30 })
      const after = await stored(p.id)
      expect(after.package_score).toBeGreaterThan(before.package_score)
      expect(updated.score).toBe(after.score)
      expect(after).toEqual(storedScores(updated, T0))
      expect((await history(p.id)).map((h) => [h.day, h.package_score])).toEqual([
        ["2026-08-31", before.package_score],
        ["2026-09-01", after.package_score]
      ])

      // Back to the previous day's facts the same day: no change that day, so no row for it.
      await update({ repo_watchers: 50, repo_forks: 5, contributors: null })
      expect(await stored(p.id)).toEqual(before)
      expect((await history(p.id)).map((h) => h.day)).toEqual(["2026-08-31"])
    })

    it("rolls the scores and the history back with a write that fails", async () => {
      const p = await timeless()
      const before = await stored(p.id)
      const failed = await db.failure(
        Effect.flatMap(SqlClient.SqlClient, (s) =>
          s.withTransaction(
            Effect.zipRight(
              Effect.flatMap(Packages, (x) => x.update({ id: p.id }, { repo_watchers: 9000, repo_forks: 900 })),
              Effect.fail("boom" as const)
            )
          )
        )
      )
      expect(failed).toBe("boom")
      expect(await stored(p.id)).toEqual(before)
      expect(await history(p.id)).toHaveLength(1)
    })

    it("rescores on usage and favourites, which count in the scores", async () => {
      const p = await timeless()
      const before = await stored(p.id)
      const users = await sql((s) =>
        Effect.forEach(["ada", "bob", "cy", "di", "ed"], (u) =>
          Effect.map(
            s<{
              id: number
            }>`INSERT INTO users (username, role, created) VALUES (${`${u}-${p.id}`}, ${"editor"}, ${0}) RETURNING id`,
            ([r]) => Number(r!.id)
          )
        )
      )
      for (const u of users)
        await writeAt(
          T0,
          Effect.flatMap(Community, (c) => c.setUsage(p.id, u, true))
        )
      const after = await stored(p.id)
      expect(after.search_weight).toBeGreaterThan(before.search_weight)
      expect(after.package_score).toBeGreaterThanOrEqual(before.package_score)
    })

    it("reads the stored releases and advisories: a known vulnerability flags the latest release", async () => {
      const p = await active()
      const clean = await stored(p.id)
      await sql((s) =>
        Effect.all([
          s`INSERT INTO releases ${s.insert([
            {
              package: p.id,
              number: "2.2.0",
              upload_time: days(-200),
              licenses: "[]",
              development_status: 5,
              yanked: 0
            },
            { package: p.id, number: "2.3.0", upload_time: days(-40), licenses: "[]", development_status: 5, yanked: 0 }
          ])}`,
          s`INSERT INTO fetch_state (package, repo, pypi) VALUES (${p.id}, ${null}, ${"{}"})`,
          s`UPDATE packages SET vulnerabilities = ${JSON.stringify([
            { id: "GHSA-abcd", aliases: [], summary: null, fixed_in: ["2.3.1"], link: null, withdrawn: null }
          ])} WHERE id = ${p.id}`
        ])
      )
      const explained = await db.run(Effect.flatMap(scores, (s) => s.explain({ id: p.id }, T0)))
      expect(explained.package_score.flags.map((f) => [f.key, f.applied])).toEqual([["vulnerable", true]])
      expect(explained.package_score.flags[0]!.reason).toContain("GHSA-abcd affects 2.3.0, fixed in 2.3.1")
      expect(explained.scores.package_score).toBeLessThan(clean.package_score)
      expect(explained.stored).toEqual(clean)
      await recompute(T0, [p.id])
      expect(await stored(p.id)).toEqual(explained.scores)
      expect((await history(p.id)).map((h) => h.package_score)).toEqual([explained.scores.package_score])
      // A withdrawn advisory no longer counts.
      await sql(
        (s) =>
          s`UPDATE packages SET vulnerabilities = ${JSON.stringify([{ id: "GHSA-abcd", fixed_in: [], withdrawn: days(-1) }])} WHERE id = ${p.id}`
      )
      expect((await db.run(Effect.flatMap(scores, (s) => s.explain({ id: p.id }, T0)))).package_score.flags).toEqual([])
    })

    it("explains by id or slug, with the legacy and search weight breakdowns; unknown packages are NotFound", async () => {
      const p = await active()
      const bySlug = await db.run(Effect.flatMap(scores, (s) => s.explain({ slug: p.slug }, T0)))
      const byId = await db.run(Effect.flatMap(scores, (s) => s.explain({ id: p.id }, T0)))
      expect(byId).toEqual(bySlug)
      expect(bySlug.package).toEqual({ id: p.id, slug: p.slug, title: p.title })
      expect(bySlug.as_of).toBe("2026-09-01T12:00:00Z")
      expect(bySlug.scores).toEqual({
        score: bySlug.legacy.score,
        search_weight: bySlug.search_weight.total_score,
        package_score: bySlug.package_score.score
      })
      expect(bySlug.search_weight.breakdown).toHaveLength(8)
      for (const lookup of [{ slug: "no-such-package" }, { id: 987654 }, { slug: "nul\u0000" }]) {
        const e = await db.failure(Effect.flatMap(scores, (s) => s.explain(lookup, T0)))
        expect(e._tag).toBe("NotFound")
      }
    })

    it("works in batches, logs full runs, and knows when the daily run is due", async () => {
      const ids = [await timeless(), await timeless(), await timeless(), await timeless(), await timeless()].map(
        (p) => p.id
      )
      expect(await recompute(days(10), ids, 2)).toMatchObject({ packages: 5, batches: 3 })
      const due = (asOf: Timestamp) => db.run(Effect.flatMap(scores, (s) => s.runIfDue({ asOf })))
      const first = await due(days(20))
      expect(Option.isSome(first)).toBe(true)
      const last = await db.run(Effect.flatMap(scores, (s) => s.lastRun))
      expect(Option.getOrThrow(last)).toMatchObject({ as_of: days(20), scope: "all", score_version: SCORE_VERSION })
      expect(Option.isNone(await due((days(20) + DAILY_MICROS - 1) as Timestamp))).toBe(true)
      expect(Option.isSome(await due((days(20) + DAILY_MICROS) as Timestamp))).toBe(true)
      // A run over some packages is not the daily run.
      await recompute(days(30), ids)
      expect(Option.getOrThrow(await db.run(Effect.flatMap(scores, (s) => s.lastRun))).as_of).toBe(days(21))
    })

    it("forgets a deleted package's history", async () => {
      const p = await timeless()
      expect(await history(p.id)).toHaveLength(1)
      await db.run(Effect.flatMap(Packages, (s) => s.remove({ id: p.id })))
      expect(await history(p.id)).toEqual([])
      const one = await db.failure(Effect.flatMap(scores, (s) => s.recomputeOne(p.id, T0)))
      expect(one._tag).toBe("NotFound")
    })
  })
}
