/**
 * How a search orders what it found: text relevance combined with the package's score. Pure and
 * browser-safe.
 *
 *     rank = EXACT (a package whose title or slug is the query) + α · relevance + β · score / 100
 *
 * `relevance` is in 0..1 and means the same on both engines. For a text match it is mostly *where* the
 * query occurs, weighted as PostgreSQL's default `ts_rank` weights the reference's A/B/C/D fields (title
 * 1, slug 0.4, description 0.2, topics 0.1, over their sum), plus a smaller share of the engine's own
 * rank (FTS5 `bm25` or `ts_rank`, divided by the query's best) to order matches within a field pattern.
 * Title and slug count as one name, by the share of the query it holds: "rest framework" is all in
 * "django-rest-framework" (slug `drf`) and half in "dj-rest-auth", whose description mentions both words.
 * A title or slug that contains the words only inside longer words (`rest` in `djangorestframework`)
 * gets a fixed share, a typo a share of its trigram similarity. The reference instead adds
 * `0.02 · weight` (up to 2.0) to a `ts_rank` of about 0–1, so its order is mostly the weight; here a
 * perfect text match is worth twice a perfect score, so relevance leads and the score decides between
 * comparably relevant packages (a healthy one above an abandoned one), and an exact name is first.
 */

/** The ranking constants; each one's reason is beside it. */
export const RANKING = {
  /** α: the weight of text relevance (0..1). */
  relevance: 1,
  /** β: the weight of the score (0..100 → 0..1): a perfect score is worth half a perfect text match. */
  score: 0.5,
  /**
   * Added when a package's title or slug is exactly the query: more than α + β, so the package a person
   * named is always first. Not for grids: a grid is a topic ("Stripe"), the packages are what is sought.
   */
  exact: 2,
  /** The share of a text match's relevance that is where it matched; the rest is the engine's own rank. */
  coverage: 0.8,
  /** The relevance of a title or slug that contains every query word only inside longer words. */
  substring: 0.5,
  /** A typo match's relevance is this share of its trigram similarity (at most 0.6, below a text match's 1). */
  fuzzy: 0.6,
  /** pg_trgm's default `similarity_threshold`: less similar titles are not typos of the query. */
  fuzzyThreshold: 0.3,
  /**
   * Typo matching runs when the text and substring lookups found fewer than this ("when the full text
   * finds little"). Always running it, as the reference does, adds dozens of titles that share only
   * "django" with the query (similarity 0.3–0.4) to every query that has real matches.
   */
  fuzzyBelow: 3,
  /**
   * A grid's score: this share of the best score among its current (not deprecated, not archived)
   * packages, as the reference weighs a typical grid at 4/6 of the best package weight.
   */
  gridScore: 2 / 3
} as const

/** Field weights: PostgreSQL's default `ts_rank` weights for the A, B, C and D vector classes. */
export const FIELD_WEIGHTS = { title: 1, slug: 0.4, description: 0.2, topics: 0.1 } as const

/**
 * Where the query matched. The name (title and slug together, weighted as both) counts by how much of
 * the query it holds; description and topics by whether they hold any query term. A grid has no topics
 * (undefined: not counted).
 */
export interface Fields {
  /** The share of the query's terms in the title and slug words (`Query.nameMatcher`), 0..1. */
  readonly name: number
  readonly description: boolean
  readonly topics?: boolean | undefined
}

export const NO_FIELDS: Fields = { name: 0, description: false }

/** What a search knows about one match. */
export interface Signals {
  /** Where the text index matched (all false when it did not). */
  readonly fields: Fields
  /** The engine's text rank over the best of the query (0..1), 0 when the text index did not match. */
  readonly engine: number
  /** Every query word is inside the title or slug (possibly within a longer word). */
  readonly substring: boolean
  /** The trigram similarity of the query with the title or slug (0..1), 0 when not computed. */
  readonly similarity: number
  /** A package whose title or slug is exactly the query, `django-`/`dj-` aside (`Query.exactMatcher`). */
  readonly exact: boolean
  /** The score, 0..100 (clamped). */
  readonly score: number
}

const clamp = (x: number, lo: number, hi: number) => (Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : lo)

/** An engine's text rank over the best of the query, in 0..1. */
export const normalise = (raw: number, best: number): number => (best > 0 && raw > 0 ? clamp(raw / best, 0, 1) : 0)

/** The weighted share of fields holding a query term, 0..1. */
export const coverage = (f: Fields): number => {
  const w = FIELD_WEIGHTS
  const total = w.title + w.slug + w.description + (f.topics === undefined ? 0 : w.topics)
  const hit = (w.title + w.slug) * clamp(f.name, 0, 1) + (f.description ? w.description : 0) + (f.topics ? w.topics : 0)
  return hit / total
}

/** The relevance of a text-index match, 0..1. */
export const textRelevance = (s: Pick<Signals, "fields" | "engine">): number =>
  RANKING.coverage * coverage(s.fields) + (1 - RANKING.coverage) * clamp(s.engine, 0, 1)

/** The text relevance of a match, 0..1: the best of its text, substring and typo evidence. */
export const relevance = (s: Signals): number =>
  Math.max(
    textRelevance(s),
    s.substring ? RANKING.substring : 0,
    s.similarity >= RANKING.fuzzyThreshold ? RANKING.fuzzy * clamp(s.similarity, 0, 1) : 0
  )

/** The combined rank: higher first. */
export const rank = (s: Signals): number =>
  (s.exact ? RANKING.exact : 0) + RANKING.relevance * relevance(s) + (RANKING.score * clamp(s.score, 0, 100)) / 100

/** A grid's score from the best score among its current packages (0 without any). */
export const gridScore = (bestPackageScore: number | null): number =>
  Math.round(RANKING.gridScore * clamp(bestPackageScore ?? 0, 0, 100))

/**
 * The reference's grid search weight (`calc_grid_weight`): with M the highest package weight (100 when
 * there is no package), a grid starts at M − M/6 and loses M/6 for each of: not locked, no header, no
 * packages.
 */
export const gridSearchWeight = (grid: {
  readonly maxPackageWeight: number | null
  readonly isLocked: boolean
  readonly header: boolean
  readonly packages: number
}): number => {
  const m = grid.maxPackageWeight ?? 100
  const inc = m / 6
  const w = m - inc - (grid.isLocked ? 0 : inc) - (grid.header ? 0 : inc) - (grid.packages > 0 ? 0 : inc)
  return Math.trunc(w)
}

/** The orders a search offers; "relevance" is `rank`. */
export const SORTS = ["relevance", "score", "stars", "last_commit", "last_release", "name"] as const
export type Sort = (typeof SORTS)[number]

/** What the comparator needs of a match. */
export interface Sortable {
  readonly item_type: "package" | "grid"
  readonly id: number
  readonly title: string
  readonly rank: number
  readonly package_score: number
  readonly repo_watchers: number
  readonly last_committed: number | null
  readonly last_released: number | null
}

const desc = (a: number, b: number) => (a === b ? 0 : a > b ? -1 : 1)
const descNullsLast = (a: number | null, b: number | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : desc(a, b)
/** Deterministic last resort: packages before grids, then id. */
const byIdentity = (a: Sortable, b: Sortable) =>
  a.item_type === b.item_type ? a.id - b.id : a.item_type === "package" ? -1 : 1

/**
 * The comparator for `sort`. Every order falls back to rank, then score, stars, name (code points of
 * the lower-cased title) and id, so equal keys never shuffle between pages or engines.
 */
export const compare = (sort: Sort): ((a: Sortable, b: Sortable) => number) => {
  // A comparator runs n·log n times: lower-case each title once.
  const names = new WeakMap<Sortable, string>()
  const nameOf = (s: Sortable) => {
    let n = names.get(s)
    if (n === undefined) names.set(s, (n = s.title.toLowerCase()))
    return n
  }
  const byName = (a: Sortable, b: Sortable) => {
    const [x, y] = [nameOf(a), nameOf(b)]
    return x === y ? 0 : x < y ? -1 : 1
  }
  return (a, b) => {
    const primary =
      sort === "score"
        ? desc(a.package_score, b.package_score)
        : sort === "stars"
          ? desc(a.repo_watchers, b.repo_watchers)
          : sort === "last_commit"
            ? descNullsLast(a.last_committed, b.last_committed)
            : sort === "last_release"
              ? descNullsLast(a.last_released, b.last_released)
              : sort === "name"
                ? byName(a, b)
                : 0
    return (
      primary ||
      desc(a.rank, b.rank) ||
      desc(a.package_score, b.package_score) ||
      desc(a.repo_watchers, b.repo_watchers) ||
      byName(a, b) ||
      byIdentity(a, b)
    )
  }
}
