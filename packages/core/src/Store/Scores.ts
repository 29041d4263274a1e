/**
 * The three stored scores (`packages.score`, `search_weight`, `package_score`) kept current, and their
 * history. The scores are pure functions of a package's facts and a date (Scoring/Stored.ts): they change
 * when the facts change (a write rescores its package in its own transaction: Packages, Community) and
 * as time passes (a daily `recompute` of every package, and one after a catalogue import).
 *
 * History: one row per package per UTC day its scores changed, holding the scores at the day's last
 * computation. A day whose change was undone before it ended (back to the previous row's values) keeps
 * no row, so the history is exactly the days the scores moved. A recompute compares with the history as
 * well as with the row, so a change written by another path (a refresh) reaches the history at the next
 * run.
 *
 * A background recompute writes only the score columns: it does not touch `modified` or `revision`, so
 * an editor's `If-Match` is not made stale by the passing of time.
 */
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Option } from "effect"
import type { StoreUnavailable } from "../Domain/Errors.ts"
import { NotFound } from "../Domain/Errors.ts"
import type { PackageId } from "../Domain/Ids.ts"
import { Package } from "../Domain/Package.ts"
import { Release } from "../Domain/Release.ts"
import { formatTimestamp, type Timestamp, toMillis } from "../Domain/Timestamp.ts"
import { factsOf, type Vulnerability } from "../Scoring/Facts.ts"
import { type LegacyBreakdown, legacyScoreBreakdown } from "../Scoring/Legacy.ts"
import { packageScore, SCORE_VERSION, type ScoreReport } from "../Scoring/PackageScore.ts"
import { type SearchWeight, searchWeight } from "../Scoring/SearchWeight.ts"
import { type StoredScores, storedScores } from "../Scoring/Stored.ts"
import { now } from "./Clock.ts"
import type { Lookup } from "./Packages.ts"
import * as R from "./Rows.ts"

/** Packages rescored per transaction by `recompute`. */
export const BATCH_SIZE = 250
/** The daily run is due when the last full run computed scores for an instant this long ago. */
export const DAILY_MICROS = 24 * 3600 * 1_000_000

/** The UTC calendar day of an instant, `YYYY-MM-DD`: the key of a history row. */
export const scoreDay = (t: Timestamp): string => new Date(toMillis(t)).toISOString().slice(0, 10)

/** One day of a package's score history. */
export interface HistoryEntry {
  readonly day: string
  readonly score: number
  readonly search_weight: number
  readonly package_score: number
  readonly score_version: string
}

/** What a package's scores are computed from, as the store holds it. */
export interface ScoringInputs {
  readonly package: Package
  /** Every stored release; undefined when none is stored (the history is then unknown, not empty). */
  readonly releases: ReadonlyArray<Release> | undefined
  /** Advisories of the latest release; undefined when PyPI was never fetched (not checked). */
  readonly vulnerabilities: ReadonlyArray<Vulnerability> | undefined
  /** The scores the row holds now. */
  readonly stored: StoredScores
}

export interface RecomputeSummary {
  readonly as_of: string
  readonly day: string
  readonly packages: number
  /** Packages whose stored scores changed. */
  readonly changed: number
  /** History rows written or removed. */
  readonly history: number
  readonly batches: number
}

export interface ScoreRun {
  readonly started: Timestamp
  readonly finished: Timestamp | null
  readonly as_of: Timestamp
  readonly scope: "all" | "some"
  readonly packages: number
  readonly changed: number
  readonly score_version: string
}

/** Everything said about one package's scores: what `packgrid score` prints and `/score/` answers. */
export interface ScoreExplanation {
  readonly package: { readonly id: PackageId; readonly slug: string; readonly title: string }
  readonly as_of: string
  /** The three scores at `as_of`. */
  readonly scores: StoredScores
  /** The three scores the store holds (as of the last recompute or write). */
  readonly stored: StoredScores
  /** packgrid's score (dps-1): pillars, components, reasons, hints, flags, confidence. */
  readonly package_score: ScoreReport
  /** The reference's grid score and the terms it was computed from. */
  readonly legacy: LegacyBreakdown
  /** The reference's search weight and its rules. */
  readonly search_weight: SearchWeight
  /** The days the scores changed, oldest first. */
  readonly history: ReadonlyArray<HistoryEntry>
}

/** The explanation of `inputs` at `asOf` (pure: the same inputs give the same JSON). */
export const explainScores = (
  inputs: ScoringInputs,
  asOf: Timestamp,
  history: ReadonlyArray<HistoryEntry> = []
): ScoreExplanation => {
  const pkg = inputs.package
  const facts = factsOf(
    pkg,
    inputs.releases,
    inputs.vulnerabilities === undefined ? {} : { vulnerabilities: inputs.vulnerabilities }
  )
  const report = packageScore(facts, { asOf })
  const legacy = legacyScoreBreakdown(facts, asOf)
  const weight = searchWeight(facts, asOf)
  return {
    package: { id: pkg.id, slug: pkg.slug, title: pkg.title },
    as_of: formatTimestamp(asOf, "UTC"),
    scores: { score: legacy.score, search_weight: weight.total_score, package_score: Math.round(report.score) },
    stored: inputs.stored,
    package_score: report,
    legacy,
    search_weight: weight,
    history
  }
}

// --- Reading what the scores need ------------------------------------------------------------------------

const PACKAGE_FIELDS = Object.keys(Package.fields).filter((k) => k !== "grids")

/** A stored row as a Package without re-validating it (the store wrote it validated; this runs per package). */
const packageOfRow = (row: R.Row): Package => {
  const props: Record<string, unknown> = {}
  for (const k of PACKAGE_FIELDS) props[k] = row[k]
  return new Package(
    {
      ...(props as unknown as Package),
      id: R.num(row.id) as PackageId,
      category: R.num(row.category) as Package["category"],
      supports_python3: R.boolOrNull(row.supports_python3),
      pypi_classifiers: R.list(row.pypi_classifiers),
      pypi_licenses: R.list(row.pypi_licenses),
      participants: R.list(row.participants),
      commits_over_52w: R.list(row.commits_over_52w),
      topics: R.list(row.topics),
      grids: []
    },
    true
  )
}

const releaseOfRow = (row: R.Row): Release =>
  new Release(
    {
      package: R.num(row.package) as PackageId,
      number: R.str(row.number),
      upload_time: R.numOrNull(row.upload_time) as Timestamp | null,
      licenses: R.list(row.licenses),
      development_status: R.num(row.development_status),
      requires_python: R.strOrNull(row.requires_python),
      yanked: R.bool(row.yanked)
    },
    true
  )

const strings = (v: unknown): Array<string> => (Array.isArray(v) ? v.filter((x) => typeof x === "string") : [])

/** The `vulnerabilities` column (the refresher's JSON of Refresh/Facts `Vulnerability`), read leniently. */
const vulnerabilitiesOf = (v: unknown): Array<Vulnerability> =>
  R.list<unknown>(v).flatMap((x): Array<Vulnerability> => {
    if (typeof x !== "object" || x === null) return []
    const o = x as Record<string, unknown>
    if (typeof o.id !== "string") return []
    return [
      {
        id: o.id,
        aliases: strings(o.aliases),
        ...(typeof o.summary === "string" ? { summary: o.summary } : {}),
        fixed_in: strings(o.fixed_in),
        withdrawn: typeof o.withdrawn === "number" ? (o.withdrawn as Timestamp) : null
      }
    ]
  })

const storedOf = (row: R.Row): StoredScores => ({
  score: R.num(row.score),
  search_weight: R.num(row.search_weight ?? 0),
  package_score: R.num(row.package_score ?? 0)
})

/**
 * The scoring inputs of packages `ids` (missing ids are skipped). With `lock`, PostgreSQL locks the rows
 * until the transaction ends, so a concurrent write cannot slip between the read and the score's write.
 */
const loadInputs = (ids: ReadonlyArray<number>, lock: boolean) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const out = new Map<number, ScoringInputs>()
    if (ids.length === 0) return out
    const forUpdate = lock ? sql.onDialectOrElse({ pg: () => sql`FOR UPDATE`, orElse: () => sql`` }) : sql``
    const rows = yield* sql<R.Row>`SELECT * FROM packages WHERE ${sql.in("id", ids)} ORDER BY id ${forUpdate}`
    const releases = R.group(
      yield* sql<R.Row>`SELECT * FROM releases WHERE ${sql.in("package", ids)}`,
      (r) => R.num(r.package),
      releaseOfRow
    )
    const fetched = new Set(
      (yield* sql<R.Row>`SELECT package FROM fetch_state WHERE ${sql.in("package", ids)} AND pypi IS NOT NULL`).map(
        (r) => R.num(r.package)
      )
    )
    for (const row of rows) {
      const id = R.num(row.id)
      out.set(id, {
        package: packageOfRow(row),
        releases: releases.get(id),
        vulnerabilities: fetched.has(id) ? vulnerabilitiesOf(row.vulnerabilities) : undefined,
        stored: storedOf(row)
      })
    }
    return out
  })

const historyOf = (row: R.Row): HistoryEntry => ({
  day: R.str(row.day),
  score: R.num(row.score),
  search_weight: R.num(row.search_weight),
  package_score: R.num(row.package_score),
  score_version: R.str(row.score_version)
})

const sameScores = (h: HistoryEntry | undefined, s: StoredScores) =>
  h !== undefined &&
  h.score === s.score &&
  h.search_weight === s.search_weight &&
  h.package_score === s.package_score &&
  h.score_version === SCORE_VERSION

const CHUNK = 200

/**
 * Rescores packages `ids` at `asOf` in the caller's transaction (it opens none): writes the scores that
 * changed and the day's history rows. For a write path that has just changed a package's facts, so that
 * the facts and their scores commit together; `Scores.recompute` is the batch form.
 */
export const rescore = (
  ids: ReadonlyArray<number>,
  asOf: Timestamp
): Effect.Effect<
  { readonly changed: number; readonly history: number; readonly scores: ReadonlyMap<number, StoredScores> },
  SqlError,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const inputs = yield* loadInputs(ids, true)
    const scores = new Map<number, StoredScores>()
    if (inputs.size === 0) return { changed: 0, history: 0, scores }
    const present = [...inputs.keys()]
    const day = scoreDay(asOf)
    const previous = new Map(
      (yield* sql<R.Row>`SELECT h.* FROM score_history h WHERE ${sql.in("h.package", present)} AND h.day = (
          SELECT MAX(x.day) FROM score_history x WHERE x.package = h.package AND x.day < ${day})`).map((r) => [
        R.num(r.package),
        historyOf(r)
      ])
    )
    const today = new Map(
      (yield* sql<R.Row>`SELECT * FROM score_history WHERE ${sql.in("package", present)} AND day = ${day}`).map((r) => [
        R.num(r.package),
        historyOf(r)
      ])
    )
    const updates: Array<readonly [number, StoredScores]> = []
    const upserts: Array<R.Row> = []
    const undone: Array<number> = []
    for (const [id, input] of inputs) {
      const s = storedScores(input.package, asOf, input.releases, input.vulnerabilities)
      scores.set(id, s)
      const was = input.stored
      if (was.score !== s.score || was.search_weight !== s.search_weight || was.package_score !== s.package_score) {
        updates.push([id, s])
      }
      if (sameScores(previous.get(id), s)) {
        if (today.has(id)) undone.push(id)
      } else if (!sameScores(today.get(id), s)) {
        upserts.push({ package: id, day, ...s, score_version: SCORE_VERSION })
      }
    }
    // One statement per chunk: PostgreSQL regenerates a row's search vector on any update, and a round
    // trip per package made the first scoring of the demo catalogue take 20 s there.
    const int = (v: number) => sql.onDialectOrElse({ pg: () => sql`CAST(${v} AS BIGINT)`, orElse: () => sql`${v}` })
    for (let i = 0; i < updates.length; i += CHUNK) {
      const values = updates
        .slice(i, i + CHUNK)
        .map(([id, s]) => sql`(${int(id)}, ${int(s.score)}, ${int(s.search_weight)}, ${int(s.package_score)})`)
      yield* sql`UPDATE packages SET score = v.column2, search_weight = v.column3, package_score = v.column4
        FROM (VALUES ${sql.csv(values)}) AS v WHERE packages.id = v.column1`
    }
    for (let i = 0; i < upserts.length; i += CHUNK) {
      yield* sql`INSERT INTO score_history ${sql.insert(upserts.slice(i, i + CHUNK))} ON CONFLICT (package, day) DO UPDATE SET
        score = excluded.score, search_weight = excluded.search_weight, package_score = excluded.package_score,
        score_version = excluded.score_version`
    }
    for (let i = 0; i < undone.length; i += CHUNK) {
      yield* sql`DELETE FROM score_history WHERE day = ${day} AND ${sql.in("package", undone.slice(i, i + CHUNK))}`
    }
    return { changed: updates.length, history: upserts.length + undone.length, scores }
  })

// Packages.ts's `canExist`, restated: Packages.ts imports `rescore` from here, and modules must not cycle.
const canExist = (lookup: Lookup): boolean =>
  "id" in lookup ? Number.isSafeInteger(lookup.id) : !lookup.slug.includes("\u0000")

const runOf = (row: R.Row): ScoreRun => ({
  started: R.num(row.started) as Timestamp,
  finished: R.numOrNull(row.finished) as Timestamp | null,
  as_of: R.num(row.as_of) as Timestamp,
  scope: R.str(row.scope) === "all" ? "all" : "some",
  packages: R.num(row.packages),
  changed: R.num(row.changed),
  score_version: R.str(row.score_version)
})

export class Scores extends Effect.Service<Scores>()("Store.Scores", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const own = <A, E>(effect: Effect.Effect<A, E, SqlClient.SqlClient>) =>
      Effect.provideService(effect, SqlClient.SqlClient, sql)

    /**
     * Recomputes the stored scores of every package (or of `ids`) at `asOf`, `batchSize` packages per
     * transaction, writing only what changed, and logs the run.
     */
    const recompute = (options: {
      readonly asOf: Timestamp
      readonly ids?: ReadonlyArray<number> | undefined
      readonly batchSize?: number | undefined
    }): Effect.Effect<RecomputeSummary, StoreUnavailable> =>
      R.mapReadError(
        Effect.gen(function* () {
          const started = yield* now
          const ids =
            options.ids ?? (yield* sql<{ id: number }>`SELECT id FROM packages ORDER BY id`).map((r) => R.num(r.id))
          const size = Math.max(1, options.batchSize ?? BATCH_SIZE)
          let packages = 0
          let changed = 0
          let history = 0
          let batches = 0
          for (let i = 0; i < ids.length; i += size) {
            const result = yield* sql.withTransaction(own(rescore(ids.slice(i, i + size), options.asOf)))
            packages += result.scores.size
            changed += result.changed
            history += result.history
            batches += 1
          }
          yield* sql`INSERT INTO score_runs ${sql.insert({
            started,
            finished: yield* now,
            as_of: options.asOf,
            scope: options.ids === undefined ? "all" : "some",
            packages,
            changed,
            score_version: SCORE_VERSION
          })}`
          return {
            as_of: formatTimestamp(options.asOf, "UTC"),
            day: scoreDay(options.asOf),
            packages,
            changed,
            history,
            batches
          } satisfies RecomputeSummary
        })
      )

    /** Rescores one package in a transaction of its own (or the caller's, when it runs inside one). */
    const recomputeOne = (id: number, asOf: Timestamp) =>
      R.mapReadError(
        Effect.flatMap(sql.withTransaction(own(rescore([id], asOf))), (r) => {
          const scores = r.scores.get(id)
          return scores === undefined
            ? Effect.fail(new NotFound({ entity: "Package", key: id }))
            : Effect.succeed({ scores, changed: r.changed > 0 })
        })
      )

    /** The days a package's scores changed, oldest first (`limit`: the latest that many). */
    const history = (packageId: number, options: { readonly limit?: number | undefined } = {}) =>
      R.mapReadError(
        Effect.map(
          options.limit === undefined
            ? sql<R.Row>`SELECT * FROM score_history WHERE package = ${packageId} ORDER BY day`
            : sql<R.Row>`SELECT * FROM (SELECT * FROM score_history WHERE package = ${packageId} ORDER BY day DESC LIMIT ${options.limit}) t ORDER BY day`,
          (rows) => rows.map(historyOf)
        )
      )

    /** The last finished run over every package. */
    const lastRun = R.mapReadError(
      Effect.map(
        sql<R.Row>`SELECT * FROM score_runs WHERE scope = 'all' AND finished IS NOT NULL ORDER BY as_of DESC, id DESC LIMIT 1`,
        (rows) => Option.map(Option.fromNullable(rows[0]), runOf)
      )
    )

    /**
     * Recomputes everything at `asOf` if no full run computed scores for an instant within `maxAgeMicros`
     * (a day unless given) before it; the summary when it ran.
     */
    const runIfDue = (options: { readonly asOf: Timestamp; readonly maxAgeMicros?: number | undefined }) =>
      Effect.gen(function* () {
        const last = yield* lastRun
        const maxAge = options.maxAgeMicros ?? DAILY_MICROS
        if (Option.isSome(last) && last.value.as_of > options.asOf - maxAge) return Option.none<RecomputeSummary>()
        return Option.some(yield* recompute({ asOf: options.asOf }))
      })

    /** The scoring inputs of packages by id (missing ids are left out). */
    const inputs = (ids: ReadonlyArray<number>) => R.mapReadError(own(loadInputs(ids, false)))

    /** One package's three scores at `asOf`, explained, with its history. */
    const explain = (lookup: Lookup, asOf: Timestamp, options: { readonly historyLimit?: number } = {}) =>
      R.mapReadError(
        Effect.gen(function* () {
          const key = "id" in lookup ? lookup.id : lookup.slug
          const [row] = !canExist(lookup)
            ? []
            : "id" in lookup
              ? yield* sql<{ id: number }>`SELECT id FROM packages WHERE id = ${lookup.id}`
              : yield* sql<{ id: number }>`SELECT id FROM packages WHERE slug = ${lookup.slug}`
          if (row === undefined) return yield* new NotFound({ entity: "Package", key })
          const id = R.num(row.id)
          const found = (yield* own(loadInputs([id], false))).get(id)
          if (found === undefined) return yield* new NotFound({ entity: "Package", key })
          const trend = yield* history(id, { limit: options.historyLimit ?? 366 })
          return explainScores(found, asOf, trend)
        })
      )

    return { recompute, recomputeOne, history, lastRun, runIfDue, inputs, explain } as const
  })
}) {}
