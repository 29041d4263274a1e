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
 *   scores them the same way on both; SQLite asks by the query's rare trigrams first, by all of them
 *   only when those find too few).
 *
 * An empty query returns nothing (the v4 endpoint's `[]`), unless a filter or a sort other than
 * relevance is given: then it lists the packages that pass the filters in that order (relevance meaning
 * score), so a "browse" page needs no other call.
 */
import { SqlClient } from "@effect/sql"
import type { Fragment } from "@effect/sql/Statement"
import { Effect, Schema } from "effect"
import { invalidOf } from "../Domain/Errors.ts"
import type { Timestamp } from "../Domain/Timestamp.ts"
import * as Query from "../Search/Query.ts"
import * as Rank from "../Search/Rank.ts"
import { type SearchFilters, type SearchHit, type SearchPage, SearchRequest } from "../Search/Request.ts"
import { setSimilarity, trigrams } from "../Search/Trigram.ts"
import * as R from "./Rows.ts"

type Kind = "package" | "grid"

/**
 * At most this many typo matches per kind, the most similar first. PostgreSQL's `%` lists them by
 * similarity; SQLite's trigram table proposes the FUZZY_POOL titles sharing the rarest trigrams, which
 * Search/Trigram then scores, so both keep the same ones.
 */
const FUZZY_CANDIDATES = 200
const FUZZY_POOL = 1000

/** FTS5 `bm25` column weights, in the proportions of PostgreSQL's default A/B/C/D weights (1, 0.4, 0.2, 0.1). */
const BM25 = { package: "10.0, 4.0, 2.0, 1.0", grid: "10.0, 4.0, 2.0" } as const

const TABLES = {
  package: { table: "packages", fts: "packages_fts", trgm: "packages_trgm" },
  grid: { table: "grids", fts: "grids_fts", trgm: "grids_trgm" }
} as const

/** A lookup's row: what ranking and sorting need, nothing more. `in_*`: the field holds a query term. */
interface CandidateRow {
  readonly kind: unknown
  readonly id: unknown
  readonly title: unknown
  readonly slug: unknown
  readonly score: unknown
  readonly repo_watchers: unknown
  readonly last_committed: unknown
  readonly last_released: unknown
  readonly raw: unknown
  readonly in_description: unknown
  readonly in_topics: unknown
  /** Which lookup found the row: "text", "substring" or "typo". */
  readonly via: unknown
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
  /** The description, the topics hold a query term (a grid has no topics: undefined). */
  description: boolean
  topics: boolean | undefined
  /** Found by the word index: every query term is in one of its fields. */
  text: boolean
  substring: boolean
  similarity: number
}

interface Ranked extends Rank.Sortable {
  readonly relevance: number
}

const decodeRequest = Schema.decodeUnknown(SearchRequest, { errors: "all" })

export class Search extends Effect.Service<Search>()("Store.Search", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const isPg = sql.onDialectOrElse({ pg: () => true, orElse: () => false })
    const unionAll = sql.join(" UNION ALL ", false)

    /**
     * The columns every lookup returns, so that one statement can UNION them. Grids carry no score,
     * stars or dates of their own; their score comes from their packages (Rank.gridScore).
     */
    const columns = (kind: Kind, evidence: Fragment): Fragment =>
      kind === "package"
        ? sql`SELECT 'package' AS kind, x.id, x.title, x.slug, x.package_score AS score, x.repo_watchers,
              x.last_commit_date AS last_committed, x.latest_release_date AS last_released, ${evidence}`
        : sql`SELECT 'grid' AS kind, x.id, x.title, x.slug,
              (SELECT MAX(p.package_score) FROM grid_packages gp CROSS JOIN packages p
                WHERE gp.grid = x.id AND p.id = gp.package AND p.date_deprecated IS NULL
                  AND p.date_repo_archived IS NULL) AS score,
              0 AS repo_watchers, CAST(NULL AS BIGINT) AS last_committed, CAST(NULL AS BIGINT) AS last_released,
              ${evidence}`

    const noEvidence = (via: "substring" | "typo") =>
      sql.unsafe(`0 AS raw, 0 AS in_description, 0 AS in_topics, '${via}' AS via`)

    const from = (kind: Kind) => sql.unsafe(`${TABLES[kind].table} x`)
    const ident = (name: string) => sql.unsafe(name)

    // ---- the dialect parts: text, substring and typo lookups ------------------------------------------

    const sqliteNotExcluded = (kind: Kind, q: Query.ParsedQuery): Fragment => {
      const excluded = Query.fts5Exclusion(q)
      const fts = ident(TABLES[kind].fts)
      return excluded === undefined
        ? sql`1=1`
        : sql`x.id NOT IN (SELECT rowid FROM ${fts} WHERE ${fts} MATCH ${excluded})`
    }

    const pgNotExcluded = (q: Query.ParsedQuery): Fragment => {
      const excluded = Query.postgresExclusion(q)
      return excluded === undefined
        ? sql`1=1`
        : sql`NOT (x.search_vector @@ websearch_to_tsquery('simple', ${excluded}))`
    }

    const pgTsquery = (pq: Query.PostgresQuery): Fragment =>
      pq.prefix === undefined
        ? sql`websearch_to_tsquery('simple', ${pq.websearch})`
        : sql`(websearch_to_tsquery('simple', ${pq.websearch})
              || (websearch_to_tsquery('simple', ${pq.head}) && to_tsquery('simple', ${pq.prefix})))`

    const pgAnyTsquery = (pa: NonNullable<ReturnType<typeof Query.toPostgresAny>>): Fragment =>
      pa.prefix === undefined
        ? sql`websearch_to_tsquery('simple', ${pa.websearch})`
        : sql`(websearch_to_tsquery('simple', ${pa.websearch}) || to_tsquery('simple', ${pa.prefix}))`

    /** The word index: the query's rank, and which fields hold any of its terms. */
    const textLookup = (kind: Kind, q: Query.ParsedQuery, where: Fragment): Fragment | undefined => {
      if (isPg) {
        const pq = Query.toPostgres(q)
        const pa = Query.toPostgresAny(q)
        if (pq === undefined || pa === undefined) return undefined
        const tsq = pgTsquery(pq)
        const any = pgAnyTsquery(pa)
        const holds = (weight: string) =>
          sql`(ts_filter(x.search_vector, ${sql.unsafe(`'{${weight}}'`)}) @@ ${any})::int`
        return sql`${columns(
          kind,
          sql`ts_rank(x.search_vector, ${tsq}) AS raw, ${holds("c")} AS in_description,
              ${kind === "package" ? holds("d") : sql`0`} AS in_topics, 'text' AS via`
        )} FROM ${from(kind)} WHERE x.search_vector @@ ${tsq} AND ${where}`
      }
      const match = Query.toFts5(q)
      const any = Query.toFts5Any(q)
      if (match === undefined || any === undefined) return undefined
      const fts = ident(TABLES[kind].fts)
      const holds = (column: string) =>
        sql`x.id IN (SELECT rowid FROM ${fts} WHERE ${fts} MATCH ${`${column} : (${any})`})`
      return sql`${columns(
        kind,
        sql`-bm25(${ident(`${TABLES[kind].fts}, ${BM25[kind]}`)}) AS raw, ${holds("description")} AS in_description,
            ${kind === "package" ? holds("topics") : sql`0`} AS in_topics, 'text' AS via`
      )} FROM ${fts} JOIN ${from(kind)} ON x.id = ${fts}.rowid WHERE ${fts} MATCH ${match} AND ${where}`
    }

    /**
     * Titles and slugs containing every query word, some only inside longer words (`rest` in
     * `djangorestframework`). Where the word index finds the whole query in the title and slug, this adds
     * nothing, so those rows are left out (a broad query would otherwise return every row twice).
     */
    const substringLookup = (kind: Kind, q: Query.ParsedQuery, where: Fragment): Fragment | undefined => {
      const words = Query.substringWords(q)
      if (words.length === 0) return undefined
      const positive: Query.ParsedQuery = { ...q, exclude: [] }
      if (isPg) {
        const pq = Query.toPostgres(positive)
        const named = pq === undefined ? sql`1=1` : sql`NOT (ts_filter(x.search_vector, '{a,b}') @@ ${pgTsquery(pq)})`
        // Words are letters and digits only, so they need no LIKE escaping.
        const contains = words.map((w) => sql`(lower(x.title) LIKE ${`%${w}%`} OR x.slug LIKE ${`%${w}%`})`)
        return sql`${columns(kind, noEvidence("substring"))} FROM ${from(kind)}
          WHERE ${sql.and(contains)} AND ${named} AND ${where} AND ${pgNotExcluded(q)}`
      }
      const match = Query.toFts5(positive)
      const fts = ident(TABLES[kind].fts)
      const named =
        match === undefined
          ? sql`1=1`
          : sql`x.id NOT IN (SELECT rowid FROM ${fts} WHERE ${fts} MATCH ${`{title slug} : (${match})`})`
      const trgm = ident(TABLES[kind].trgm)
      return sql`${columns(kind, noEvidence("substring"))} FROM ${trgm} JOIN ${from(kind)} ON x.id = ${trgm}.rowid
        WHERE ${trgm} MATCH ${Query.toFts5Substring(q)!} AND ${named} AND ${where} AND ${sqliteNotExcluded(kind, q)}`
    }

    /**
     * SQLite: of the query's trigrams, those at most FUZZY_POOL titles hold. A trigram of `jango` is in
     * nearly every title; asking for it makes the trigram table rank all of them to keep FUZZY_POOL, the
     * rarest first anyway (100 ms at 100,000 packages, against 10 for the rare ones alone).
     */
    const rareTrigrams = (kind: Kind, grams: ReadonlyArray<string>) =>
      Effect.map(
        sql<{ term: string; doc: number }>`SELECT term, doc FROM ${ident(`${TABLES[kind].trgm}_vocab`)}
          WHERE ${sql.in("term", grams)}`,
        (rows) => {
          const doc = new Map(rows.map((r) => [r.term, R.num(r.doc)]))
          return grams.filter((g) => (doc.get(g) ?? 0) <= FUZZY_POOL)
        }
      )

    /**
     * Titles and slugs sharing trigrams with the query; Search/Trigram decides which are typos of it.
     * `narrow` (SQLite): only by the rare trigrams, when there are any; `narrowed` says whether it was.
     */
    const fuzzyLookup = (kind: Kind, q: Query.ParsedQuery, where: Fragment, narrow: boolean) =>
      Effect.gen(function* () {
        const text = Query.fuzzyText(q)
        if (text === undefined) return { parts: [], narrowed: false }
        if (isPg) {
          // `%` is pg_trgm's similarity_threshold (0.3 by default), the same bar as RANKING.fuzzyThreshold;
          // `<->` (1 - similarity) walks the GiST index nearest first, so a query sharing `jango` with every
          // title reads FUZZY_CANDIDATES rows, not all of them (migration 6_nearest_trigrams).
          // Title and slug apart: each uses its index, where an OR of the two is often planned as a scan.
          const parts = (["title", "slug"] as const).map((field) => {
            const column = field === "title" ? sql`lower(x.title)` : sql`x.slug`
            return sql`SELECT * FROM (${columns(kind, noEvidence("typo"))} FROM ${from(kind)}
              WHERE ${column} % ${text} AND ${where} AND ${pgNotExcluded(q)}
              ORDER BY ${column} <-> ${text}
              LIMIT ${FUZZY_CANDIDATES}) ${ident(`fuzzy_${kind}_${field}`)}`
          })
          return { parts, narrowed: false }
        }
        const all = Query.fuzzyTrigrams(q)
        const rare = narrow && all.length > 0 ? yield* rareTrigrams(kind, all) : all
        const narrowed = rare.length > 0 && rare.length < all.length
        const grams = Query.fts5AnyTrigram(narrowed ? rare : all)
        if (grams === undefined) return { parts: [], narrowed: false }
        const trgm = ident(TABLES[kind].trgm)
        const parts = [
          sql`SELECT * FROM (${columns(kind, noEvidence("typo"))} FROM ${trgm} JOIN ${from(kind)} ON x.id = ${trgm}.rowid
            WHERE ${trgm} MATCH ${grams} AND ${where} AND ${sqliteNotExcluded(kind, q)}
            ORDER BY bm25(${trgm}) LIMIT ${FUZZY_POOL}) ${ident(`fuzzy_${kind}`)}`
        ]
        return { parts, narrowed }
      })

    /** The lookups as one statement (one round trip, whatever the number of kinds and lookups). */
    const lookup = (parts: ReadonlyArray<Fragment | undefined>) => {
      const present = parts.filter((p) => p !== undefined)
      return present.length === 0 ? Effect.succeed([]) : sql<CandidateRow>`${unionAll(present)}`
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

    const flag = (v: unknown) => R.bool(v) || v === true

    const collect = (q: Query.ParsedQuery, where: Fragment, kinds: ReadonlyArray<Kind>) =>
      Effect.gen(function* () {
        // Keyed by id and kind in one number: a broad query merges thousands of rows.
        const found = new Map<number, Candidate>()
        const keyOf = (r: CandidateRow) => R.num(r.id) * 2 + (r.kind === "grid" ? 1 : 0)
        const add = (rows: ReadonlyArray<CandidateRow>) => {
          for (const r of rows) {
            const kind: Kind = r.kind === "grid" ? "grid" : "package"
            const key = keyOf(r)
            let c = found.get(key)
            if (c === undefined) {
              c = {
                kind,
                id: R.num(r.id),
                title: R.str(r.title),
                slug: R.str(r.slug),
                score: kind === "package" ? R.num(r.score ?? 0) : Rank.gridScore(R.numOrNull(r.score)),
                repoWatchers: R.num(r.repo_watchers ?? 0),
                lastCommitted: R.numOrNull(r.last_committed),
                lastReleased: R.numOrNull(r.last_released),
                raw: 0,
                description: false,
                topics: kind === "package" ? false : undefined,
                text: false,
                substring: false,
                similarity: 0
              }
              found.set(key, c)
            }
            c.raw = Math.max(c.raw, R.num(r.raw ?? 0))
            c.text ||= r.via === "text"
            c.substring ||= r.via === "substring"
            c.description ||= flag(r.in_description)
            if (c.topics !== undefined) c.topics ||= flag(r.in_topics)
          }
        }
        const whereOf = (kind: Kind) => (kind === "package" ? where : sql`1=1`)
        add(
          yield* lookup(
            kinds.flatMap((kind) => [textLookup(kind, q, whereOf(kind)), substringLookup(kind, q, whereOf(kind))])
          )
        )
        if (found.size < Rank.RANKING.fuzzyBelow) {
          const asked = trigrams(Query.fuzzyText(q) ?? "")
          const similarityOf = (r: { title: unknown; slug: unknown }) =>
            Math.max(setSimilarity(asked, trigrams(R.str(r.title))), setSimilarity(asked, trigrams(R.str(r.slug))))
          /** The typos among the candidates of one pass: per kind, the most similar first. */
          const typoPass = (narrow: boolean) =>
            Effect.gen(function* () {
              const lookups = yield* Effect.forEach(kinds, (kind) => fuzzyLookup(kind, q, whereOf(kind), narrow))
              const candidates = yield* lookup(lookups.flatMap((l) => l.parts))
              const scored = new Map<number, { row: CandidateRow; similarity: number }>()
              for (const row of candidates) scored.set(keyOf(row), { row, similarity: similarityOf(row) })
              const typos = kinds.flatMap((kind) =>
                [...scored.values()]
                  .filter(
                    (t) => (t.row.kind === "grid") === (kind === "grid") && t.similarity >= Rank.RANKING.fuzzyThreshold
                  )
                  .sort((a, b) => b.similarity - a.similarity || R.num(a.row.id) - R.num(b.row.id))
                  .slice(0, FUZZY_CANDIDATES)
              )
              return { typos, narrowed: lookups.some((l) => l.narrowed) }
            })
          // The rare trigrams first; all of them when those found too few typos (a misspelt short name
          // may share only common trigrams with what was meant: `fadnjango`, `fandjango`).
          const first = yield* typoPass(true)
          const { typos } =
            first.narrowed && first.typos.length < Rank.RANKING.fuzzyBelow ? yield* typoPass(false) : first
          add(typos.map((t) => t.row))
          for (const t of typos) found.get(keyOf(t.row))!.similarity = t.similarity
        }
        return [...found.values()]
      })

    /** `asked`: the whole query, though the lookups matched only its specific part (`Query.specific`). */
    const rankAll = (asked: Query.ParsedQuery, candidates: ReadonlyArray<Candidate>): Array<Ranked> => {
      const best: Record<Kind, number> = { package: 0, grid: 0 }
      for (const c of candidates) best[c.kind] = Math.max(best[c.kind], c.raw)
      const isExact = Query.exactMatcher(asked)
      // "django" is matched by nothing, but a name that has it is the better match ("django cri").
      const nameShare = Query.nameMatcher(asked)
      return candidates.map((c) => {
        const signals: Rank.Signals = {
          // The name's share is read from the title and slug here, the same on both engines.
          fields: { name: c.text ? nameShare(c.title, c.slug) : 0, description: c.description, topics: c.topics },
          engine: Rank.normalise(c.raw, best[c.kind]),
          substring: c.substring,
          similarity: c.similarity,
          exact: c.kind === "package" && (isExact(c.title) || isExact(c.slug)),
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
                x.modified, (SELECT COUNT(*) FROM grid_packages gp WHERE gp.grid = x.id) AS members,
                (SELECT MAX(search_weight) FROM packages) AS max_weight
                FROM grids x WHERE ${sql.in("x.id", gridIds)}`
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
                    maxPackageWeight: R.numOrNull(r.max_weight),
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
        const rows = yield* sql<R.Row>`SELECT x.id, x.title, x.package_score, x.repo_watchers, x.last_commit_date,
          x.latest_release_date, COUNT(*) OVER () AS n FROM packages x WHERE ${where}
          ORDER BY ${sql.unsafe(order)} LIMIT ${limit} OFFSET ${offset}`
        // Past the last page there is no row to carry the count.
        const count =
          rows.length > 0
            ? R.num(rows[0]!.n)
            : R.num((yield* sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM packages x WHERE ${where}`)[0]?.n ?? 0)
        const page = rows.map((r): Ranked => ({
          item_type: "package",
          id: R.num(r.id),
          title: R.str(r.title),
          rank: Rank.rank({
            fields: Rank.NO_FIELDS,
            engine: 0,
            substring: false,
            similarity: 0,
            exact: false,
            score: R.num(r.package_score)
          }),
          relevance: 0,
          package_score: R.num(r.package_score),
          repo_watchers: R.num(r.repo_watchers),
          last_committed: R.numOrNull(r.last_commit_date),
          last_released: R.numOrNull(r.latest_release_date)
        }))
        return { count, results: yield* hydrate(page) } satisfies SearchPage
      })

    // ---- the service ----------------------------------------------------------------------------------

    const run = (input: unknown, prefix: Query.PrefixMode) =>
      Effect.gen(function* () {
        const request = yield* Effect.mapError(decodeRequest(input), invalidOf)
        const filters = request.filters ?? {}
        const sort = request.sort ?? "relevance"
        const where = packageWhere(filters)
        const asked = Query.parse(request.q, { prefix })
        const q = Query.specific(asked)
        if (Query.isEmpty(q)) {
          const browsing = packagesOnly(filters) || sort !== "relevance"
          return browsing
            ? yield* browse(where, sort, request.limit, request.offset)
            : ({ count: 0, results: [] } satisfies SearchPage)
        }
        const kinds: ReadonlyArray<Kind> = packagesOnly(filters) ? ["package"] : ["package", "grid"]
        const ranked = rankAll(asked, yield* collect(q, where, kinds)).sort(Rank.compare(sort))
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
      R.mapReadError(Effect.map(run({ q: prefix, limit, offset: 0 }, "always"), (page) => page.results)).pipe(
        Effect.withSpan("Store.Search.suggest")
      )

    return { search, suggest } as const
  })
}) {}
