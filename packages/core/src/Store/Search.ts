/**
 * Search over packages and grids, on SQLite (FTS5) and PostgreSQL (full text plus pg_trgm), with one
 * implementation: each engine answers three lookups (text, substring, typo) with the few rows ranking
 * needs, `Search/Rank` orders them in TypeScript, and only the requested page is read in full. The
 * dialect parts are the three lookups and nothing else.
 *
 * - text: the word index (FTS5 `MATCH` with `bm25`; PostgreSQL `@@` with `ts_rank`), the query as
 *   `Search/Query` writes it for the engine, with a prefix match on the last word for type-ahead;
 * - substring: titles and slugs containing every query word, also inside longer words (`rest` in
 *   `djangorestframework`): the FTS5 trigram table, or `LIKE` on the pg_trgm-indexed columns;
 * - typo: only when the first two found fewer than `RANKING.fuzzyBelow`: titles and slugs with a trigram
 *   similarity of at least 0.3 (PostgreSQL's `%` or the FTS5 trigram table find them, `Search/Trigram`
 *   scores them the same way on both).
 *
 * An empty query returns nothing (the v4 endpoint's `[]`), unless a filter or a sort other than
 * relevance is given: then it lists the packages that pass the filters in that order (relevance meaning
 * score), so a "browse" page needs no other call.
 */
import { SqlClient } from "@effect/sql"
import type { Fragment } from "@effect/sql/Statement"
import { Effect, ParseResult, Schema } from "effect"
import { Invalid } from "../Domain/Errors.ts"
import type { Timestamp } from "../Domain/Timestamp.ts"
import * as Query from "../Search/Query.ts"
import * as Rank from "../Search/Rank.ts"
import { type SearchFilters, type SearchHit, type SearchPage, SearchRequest } from "../Search/Request.ts"
import { setSimilarity, trigrams } from "../Search/Trigram.ts"
import * as R from "./Rows.ts"

type Kind = "package" | "grid"

/** At most this many typo candidates are scored per kind (SQLite: the trigram table's best by bm25). */
const FUZZY_CANDIDATES = 200

/** FTS5 `bm25` column weights, in the proportions of PostgreSQL's default A/B/C/D weights (1, 0.4, 0.2, 0.1). */
const BM25 = { package: "10.0, 4.0, 2.0, 1.0", grid: "10.0, 4.0, 2.0" } as const

const TABLES = {
  package: { table: "packages", fts: "packages_fts", trgm: "packages_trgm" },
  grid: { table: "grids", fts: "grids_fts", trgm: "grids_trgm" }
} as const

/** One lookup's row: what ranking and sorting need, nothing more. */
interface CandidateRow {
  readonly id: unknown
  readonly title: unknown
  readonly slug: unknown
  readonly score: unknown
  readonly repo_watchers: unknown
  readonly last_committed: unknown
  readonly last_released: unknown
  readonly raw?: unknown
}

interface Candidate {
  readonly kind: Kind
  readonly id: number
  readonly title: string
  readonly slug: string
  readonly score: number
  readonly repoWatchers: number
  readonly lastCommitted: number | null
  readonly lastReleased: number | null
  raw: number
  substring: boolean
  similarity: number
}

interface Ranked extends Rank.Sortable {
  readonly relevance: number
}

const decodeRequest = Schema.decodeUnknown(SearchRequest, { errors: "all" })
const invalid = (e: ParseResult.ParseError) =>
  new Invalid({
    issues: ParseResult.ArrayFormatter.formatErrorSync(e).map((i) => ({ path: i.path.join("."), message: i.message }))
  })

export class Search extends Effect.Service<Search>()("Store.Search", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const isPg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })

    // Grids carry no score, stars or dates; their score is derived from their packages (Rank.gridScore).
    const columns = (kind: Kind): Fragment =>
      kind === "package"
        ? sql`x.id, x.title, x.slug, x.package_score AS score, x.repo_watchers,
              x.last_commit_date AS last_committed, x.latest_release_date AS last_released`
        : sql`x.id, x.title, x.slug, 0 AS repo_watchers, NULL AS last_committed, NULL AS last_released,
              (SELECT MAX(p.package_score) FROM grid_packages gp JOIN packages p ON p.id = gp.package
                WHERE gp.grid = x.id AND p.date_deprecated IS NULL AND p.date_repo_archived IS NULL) AS score`

    const from = (kind: Kind) => sql.unsafe(`${TABLES[kind].table} x`)

    // ---- the dialect parts: text, substring and typo lookups ------------------------------------------

    const sqliteNotExcluded = (kind: Kind, q: Query.ParsedQuery): Fragment => {
      const excluded = Query.fts5Exclusion(q)
      const fts = TABLES[kind].fts
      return excluded === undefined
        ? sql`1=1`
        : sql`x.id NOT IN (SELECT rowid FROM ${sql.unsafe(fts)} WHERE ${sql.unsafe(fts)} MATCH ${excluded})`
    }

    const pgNotExcluded = (q: Query.ParsedQuery): Fragment => {
      const excluded = Query.postgresExclusion(q)
      return excluded === undefined
        ? sql`1=1`
        : sql`NOT (x.search_vector @@ websearch_to_tsquery('english', ${excluded}))`
    }

    const pgTsquery = (pq: Query.PostgresQuery): Fragment =>
      pq.prefix === undefined
        ? sql`websearch_to_tsquery('english', ${pq.websearch})`
        : sql`(websearch_to_tsquery('english', ${pq.websearch})
              || (websearch_to_tsquery('english', ${pq.head}) && to_tsquery(${pq.prefix.config}::regconfig, ${pq.prefix.query})))`

    const textLookup = (kind: Kind, q: Query.ParsedQuery, where: Fragment) => {
      if (isPg) {
        const pq = Query.toPostgres(q)
        if (pq === undefined) return Effect.succeed([])
        return sql<CandidateRow>`SELECT ${columns(kind)}, ts_rank(x.search_vector, q.tsq) AS raw
          FROM ${from(kind)} CROSS JOIN (SELECT ${pgTsquery(pq)} AS tsq) q
          WHERE x.search_vector @@ q.tsq AND ${where}`
      }
      const match = Query.toFts5(q)
      if (match === undefined) return Effect.succeed([])
      const fts = TABLES[kind].fts
      return sql<CandidateRow>`SELECT ${columns(kind)}, -bm25(${sql.unsafe(`${fts}, ${BM25[kind]}`)}) AS raw
        FROM ${sql.unsafe(fts)} JOIN ${from(kind)} ON x.id = ${sql.unsafe(fts)}.rowid
        WHERE ${sql.unsafe(fts)} MATCH ${match} AND ${where}`
    }

    const substringLookup = (kind: Kind, q: Query.ParsedQuery, where: Fragment) => {
      const words = Query.substringWords(q)
      if (words.length === 0) return Effect.succeed([])
      if (isPg) {
        // Words are letters and digits only, so they need no LIKE escaping.
        const contains = words.map((w) => sql`(lower(x.title) LIKE ${`%${w}%`} OR x.slug LIKE ${`%${w}%`})`)
        return sql<CandidateRow>`SELECT ${columns(kind)} FROM ${from(kind)}
          WHERE ${sql.and(contains)} AND ${where} AND ${pgNotExcluded(q)}`
      }
      const trgm = TABLES[kind].trgm
      return sql<CandidateRow>`SELECT ${columns(kind)}
        FROM ${sql.unsafe(trgm)} JOIN ${from(kind)} ON x.id = ${sql.unsafe(trgm)}.rowid
        WHERE ${sql.unsafe(trgm)} MATCH ${Query.toFts5Substring(q)!} AND ${where} AND ${sqliteNotExcluded(kind, q)}`
    }

    const fuzzyLookup = (kind: Kind, q: Query.ParsedQuery, where: Fragment) => {
      const text = Query.fuzzyText(q)
      if (text === undefined) return Effect.succeed([])
      if (isPg) {
        // `%` is pg_trgm's similarity_threshold (0.3 by default), the same bar as RANKING.fuzzyThreshold.
        return sql<CandidateRow>`SELECT ${columns(kind)} FROM ${from(kind)}
          WHERE (lower(x.title) % ${text} OR x.slug % ${text}) AND ${where} AND ${pgNotExcluded(q)}
          LIMIT ${FUZZY_CANDIDATES}`
      }
      const grams = Query.toFts5Trigrams(q)
      if (grams === undefined) return Effect.succeed([])
      const trgm = TABLES[kind].trgm
      return sql<CandidateRow>`SELECT ${columns(kind)}
        FROM ${sql.unsafe(trgm)} JOIN ${from(kind)} ON x.id = ${sql.unsafe(trgm)}.rowid
        WHERE ${sql.unsafe(trgm)} MATCH ${grams} AND ${where} AND ${sqliteNotExcluded(kind, q)}
        ORDER BY bm25(${sql.unsafe(trgm)}) LIMIT ${FUZZY_CANDIDATES}`
    }

    // ---- filters, shared ------------------------------------------------------------------------------

    const packageWhere = (f: SearchFilters): Fragment =>
      sql.and(
        [
          f.category === undefined ? undefined : sql`x.category = ${f.category}`,
          f.grid === undefined ? undefined : sql`x.id IN (SELECT package FROM grid_packages WHERE grid = ${f.grid})`,
          f.python3 === undefined ? undefined : sql`x.supports_python3 = ${R.flag(f.python3)}`,
          // Classifiers are stored as JSON text; the series is digits and dots only (the request schema).
          f.django === undefined
            ? undefined
            : sql`x.pypi_classifiers LIKE ${`%${JSON.stringify(`Framework :: Django :: ${f.django}`)}%`}`,
          f.includeDeprecated === true ? undefined : sql`x.date_deprecated IS NULL`,
          f.includeArchived === true ? undefined : sql`x.date_repo_archived IS NULL`
        ].filter((c) => c !== undefined)
      )

    /** Category, grid, Python 3 and Django describe packages: with any of them, grids are left out. */
    const packagesOnly = (f: SearchFilters) =>
      f.category !== undefined || f.grid !== undefined || f.python3 !== undefined || f.django !== undefined

    // ---- ranking --------------------------------------------------------------------------------------

    const toCandidate = (kind: Kind, r: CandidateRow): Candidate => ({
      kind,
      id: R.num(r.id),
      title: R.str(r.title),
      slug: R.str(r.slug),
      score: kind === "package" ? R.num(r.score ?? 0) : Rank.gridScore(R.numOrNull(r.score)),
      repoWatchers: R.num(r.repo_watchers ?? 0),
      lastCommitted: R.numOrNull(r.last_committed),
      lastReleased: R.numOrNull(r.last_released),
      raw: 0,
      substring: false,
      similarity: 0
    })

    const collect = (q: Query.ParsedQuery, where: Fragment, kinds: ReadonlyArray<Kind>) =>
      Effect.gen(function* () {
        const found = new Map<string, Candidate>()
        const add = (kind: Kind, rows: ReadonlyArray<CandidateRow>, mark: (c: Candidate, r: CandidateRow) => void) => {
          for (const r of rows) {
            const key = `${kind}:${R.num(r.id)}`
            const c = found.get(key) ?? toCandidate(kind, r)
            found.set(key, c)
            mark(c, r)
          }
        }
        const whereOf = (kind: Kind) => (kind === "package" ? where : sql`1=1`)
        const firstPass = yield* Effect.forEach(
          kinds,
          (kind) =>
            Effect.all([textLookup(kind, q, whereOf(kind)), substringLookup(kind, q, whereOf(kind))], {
              concurrency: "unbounded"
            }),
          { concurrency: "unbounded" }
        )
        kinds.forEach((kind, i) => {
          const [text, substring] = firstPass[i]!
          add(kind, text, (c, r) => (c.raw = Math.max(c.raw, R.num(r.raw ?? 0))))
          add(kind, substring, (c) => (c.substring = true))
        })
        if (found.size < Rank.RANKING.fuzzyBelow) {
          const text = Query.fuzzyText(q)
          const asked = trigrams(text ?? "")
          const fuzzy = yield* Effect.forEach(kinds, (kind) => fuzzyLookup(kind, q, whereOf(kind)), {
            concurrency: "unbounded"
          })
          kinds.forEach((kind, i) => {
            const similar = fuzzy[i]!.filter((r) => {
              const s = Math.max(setSimilarity(asked, trigrams(R.str(r.title))), setSimilarity(asked, trigrams(R.str(r.slug))))
              return s >= Rank.RANKING.fuzzyThreshold
            })
            add(kind, similar, (c) => {
              c.similarity = Math.max(setSimilarity(asked, trigrams(c.title)), setSimilarity(asked, trigrams(c.slug)))
            })
          })
        }
        return [...found.values()]
      })

    const rankAll = (q: Query.ParsedQuery, candidates: ReadonlyArray<Candidate>): Array<Ranked> => {
      const best: Record<Kind, number> = { package: 0, grid: 0 }
      for (const c of candidates) best[c.kind] = Math.max(best[c.kind], c.raw)
      return candidates.map((c) => {
        const signals: Rank.Signals = {
          text: Rank.normalise(c.raw, best[c.kind]),
          substring: c.substring,
          similarity: c.similarity,
          exact: Query.isExactMatch(q, c.title) || Query.isExactMatch(q, c.slug),
          score: c.score
        }
        return {
          item_type: c.kind,
          id: c.id,
          title: c.title,
          rank: Rank.rank(signals),
          relevance: Rank.relevance(signals),
          package_score: c.score,
          repo_watchers: c.repoWatchers,
          last_committed: c.lastCommitted,
          last_released: c.lastReleased
        }
      })
    }

    // ---- the page, read in full -----------------------------------------------------------------------

    const hydrate = (page: ReadonlyArray<Ranked>) =>
      Effect.gen(function* () {
        const ids = (kind: Kind) => page.filter((h) => h.item_type === kind).map((h) => h.id)
        const [packageIds, gridIds] = [ids("package"), ids("grid")]
        const packages =
          packageIds.length === 0
            ? []
            : yield* sql<R.Row>`SELECT x.id, x.slug, x.title, x.repo_description, c.title AS category_title,
                x.repo_watchers, x.repo_forks, x.pypi_downloads, x.score, x.search_weight, x.package_score,
                x.usage_count, x.participants, x.last_commit_date, x.latest_release_date, x.created, x.modified
                FROM packages x JOIN categories c ON c.id = x.category WHERE ${sql.in("x.id", packageIds)}`
        const grids =
          gridIds.length === 0
            ? []
            : yield* sql<R.Row>`SELECT x.id, x.slug, x.title, x.description, x.is_locked, x.header, x.created,
                x.modified, (SELECT COUNT(*) FROM grid_packages gp WHERE gp.grid = x.id) AS members
                FROM grids x WHERE ${sql.in("x.id", gridIds)}`
        const maxWeight =
          gridIds.length === 0
            ? null
            : R.numOrNull((yield* sql<{ m: unknown }>`SELECT MAX(search_weight) AS m FROM packages`)[0]?.m)
        const byKey = new Map<string, R.Row>()
        for (const r of packages) byKey.set(`package:${R.num(r.id)}`, r)
        for (const r of grids) byKey.set(`grid:${R.num(r.id)}`, r)
        return page.flatMap((h): Array<SearchHit> => {
          const r = byKey.get(`${h.item_type}:${h.id}`)
          if (r === undefined) return [] // deleted between the lookup and now
          const common = {
            id: h.id,
            slug: R.str(r.slug),
            title: R.str(r.title),
            created: R.num(r.created) as Timestamp,
            modified: R.num(r.modified) as Timestamp,
            package_score: h.package_score,
            relevance: h.relevance,
            rank: h.rank
          }
          return h.item_type === "package"
            ? [
                {
                  item_type: "package",
                  ...common,
                  description: R.str(r.repo_description),
                  category: R.str(r.category_title),
                  repo_watchers: R.num(r.repo_watchers),
                  repo_forks: R.num(r.repo_forks),
                  pypi_downloads: R.num(r.pypi_downloads),
                  score: R.num(r.score),
                  search_weight: R.num(r.search_weight),
                  usage_count: R.num(r.usage_count),
                  participants: R.list<string>(r.participants).join(","),
                  last_committed: R.numOrNull(r.last_commit_date) as Timestamp | null,
                  last_released: R.numOrNull(r.latest_release_date) as Timestamp | null
                }
              ]
            : [
                {
                  item_type: "grid",
                  ...common,
                  description: R.str(r.description),
                  category: "",
                  repo_watchers: 0,
                  repo_forks: 0,
                  pypi_downloads: 0,
                  score: 0,
                  search_weight: Rank.gridSearchWeight({
                    maxPackageWeight: maxWeight,
                    isLocked: R.bool(r.is_locked),
                    header: R.bool(r.header),
                    packages: R.num(r.members)
                  }),
                  usage_count: 0,
                  participants: "",
                  last_committed: null,
                  last_released: null
                }
              ]
        })
      })

    // ---- browsing: no query, filters or a sort ---------------------------------------------------------

    const BROWSE_ORDERS: Record<Rank.Sort, string> = {
      relevance: "x.package_score DESC, x.repo_watchers DESC",
      score: "x.package_score DESC, x.repo_watchers DESC",
      stars: "x.repo_watchers DESC, x.package_score DESC",
      last_commit: "x.last_commit_date DESC NULLS LAST, x.package_score DESC, x.repo_watchers DESC",
      last_release: "x.latest_release_date DESC NULLS LAST, x.package_score DESC, x.repo_watchers DESC",
      name: ""
    }
    // The same name order as Rank.compare (code points of the lower-cased title) on both engines.
    const byName = isPg ? `lower(x.title) COLLATE "C" ASC, x.id ASC` : `lower(x.title) ASC, x.id ASC`

    const browse = (where: Fragment, sort: Rank.Sort, limit: number, offset: number) =>
      Effect.gen(function* () {
        const order = [BROWSE_ORDERS[sort], byName].filter((s) => s !== "").join(", ")
        const [countRow] = yield* sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM packages x WHERE ${where}`
        const rows = yield* sql<CandidateRow>`SELECT ${columns("package")} FROM packages x WHERE ${where}
          ORDER BY ${sql.unsafe(order)} LIMIT ${limit} OFFSET ${offset}`
        const page = rows.map((r): Ranked => {
          const c = toCandidate("package", r)
          const signals = { text: 0, substring: false, similarity: 0, exact: false, score: c.score }
          return {
            item_type: "package",
            id: c.id,
            title: c.title,
            rank: Rank.rank(signals),
            relevance: 0,
            package_score: c.score,
            repo_watchers: c.repoWatchers,
            last_committed: c.lastCommitted,
            last_released: c.lastReleased
          }
        })
        return { count: R.num(countRow?.n ?? 0), results: yield* hydrate(page) } satisfies SearchPage
      })

    // ---- the service ----------------------------------------------------------------------------------

    const run = (input: unknown, prefix: Query.PrefixMode) =>
      Effect.gen(function* () {
        const request = yield* Effect.mapError(decodeRequest(input), invalid)
        const filters = request.filters ?? {}
        const sort = request.sort ?? "relevance"
        const where = packageWhere(filters)
        const q = Query.parse(request.q, { prefix })
        if (Query.isEmpty(q)) {
          const browsing = packagesOnly(filters) || sort !== "relevance"
          return browsing
            ? yield* browse(where, sort, request.limit, request.offset)
            : ({ count: 0, results: [] } satisfies SearchPage)
        }
        const kinds: ReadonlyArray<Kind> = packagesOnly(filters) ? ["package"] : ["package", "grid"]
        const ranked = rankAll(q, yield* collect(q, where, kinds)).sort(Rank.compare(sort))
        const page = ranked.slice(request.offset, request.offset + request.limit)
        return { count: ranked.length, results: yield* hydrate(page) } satisfies SearchPage
      })

    /**
     * Packages and grids matching `q` (see the module comment), filtered, sorted and paged. Fails with
     * `Invalid` for a malformed request (a negative offset, a Django version that is not `X` or `X.Y`).
     */
    const search = (request: SearchRequest) =>
      R.mapReadError(run(request, "auto")).pipe(Effect.withSpan("Store.Search.search"))

    /**
     * Type-ahead: the best `limit` matches for what has been typed so far, the last word always taken as
     * unfinished (the reference's suggestion box and OpenSearch suggestions).
     */
    const suggest = (prefix: string, limit: number) =>
      R.mapReadError(
        Effect.map(run({ q: prefix, limit, offset: 0 }, "always"), (page) => page.results)
      ).pipe(Effect.withSpan("Store.Search.suggest"))

    return { search, suggest } as const
  })
}) {}
