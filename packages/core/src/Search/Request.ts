/**
 * A search's question and answer as Schemas, so the API can decode query parameters and a client can
 * decode results with the same definitions. Browser-safe.
 */
import { Schema } from "effect"
import { Timestamp } from "../Domain/Timestamp.ts"
import { SORTS } from "./Rank.ts"

/** A Django release series as in the `Framework :: Django :: X` classifiers: `5`, `4.2`, `5.2`. */
export const DjangoSeries = Schema.String.pipe(
  Schema.pattern(/^\d{1,2}(\.\d{1,2})?$/, { message: () => "Enter a Django version such as 4.2 or 5.2." })
)

/**
 * Narrowing a search. Category, grid, Python 3 and Django apply to packages only, so any of them leaves
 * grids out. Deprecated and archived packages are hidden unless asked for.
 */
export const SearchFilters = Schema.Struct({
  category: Schema.optional(Schema.Int.pipe(Schema.positive())),
  grid: Schema.optional(Schema.Int.pipe(Schema.positive())),
  /** true: declared Python 3 support; false: known not to support it (unknown matches neither). */
  python3: Schema.optional(Schema.Boolean),
  /** Declares `Framework :: Django :: <django>` among its PyPI classifiers. */
  django: Schema.optional(DjangoSeries),
  includeDeprecated: Schema.optional(Schema.Boolean),
  includeArchived: Schema.optional(Schema.Boolean)
})
export type SearchFilters = typeof SearchFilters.Type

export const SearchSort = Schema.Literal(...SORTS)
export type SearchSort = typeof SearchSort.Type

export const SearchRequest = Schema.Struct({
  q: Schema.String,
  limit: Schema.Int.pipe(Schema.positive()),
  offset: Schema.Int.pipe(Schema.nonNegative()),
  filters: Schema.optional(SearchFilters),
  sort: Schema.optional(SearchSort)
})
export type SearchRequest = typeof SearchRequest.Type

/**
 * One match: the reference's SearchV3 row (its `weight` is `search_weight`, its `usage` is
 * `usage_count`) plus our `package_score`, `relevance` (text only, 0..1) and `rank` (what "relevance"
 * sorts by). A grid has no category, counts or dates of its own: those are "" / 0 / null.
 */
export const SearchHit = Schema.Struct({
  item_type: Schema.Literal("package", "grid"),
  id: Schema.Int,
  slug: Schema.String,
  title: Schema.String,
  description: Schema.String,
  /** The category's title. */
  category: Schema.String,
  repo_watchers: Schema.Int,
  repo_forks: Schema.Int,
  pypi_downloads: Schema.Int,
  /** The legacy (reference) score. */
  score: Schema.Int,
  search_weight: Schema.Int,
  package_score: Schema.Int,
  usage_count: Schema.Int,
  /** Comma-separated, as the reference's search rows store them. */
  participants: Schema.String,
  last_committed: Schema.NullOr(Timestamp),
  last_released: Schema.NullOr(Timestamp),
  created: Timestamp,
  modified: Timestamp,
  relevance: Schema.Number,
  rank: Schema.Number
})
export type SearchHit = typeof SearchHit.Type

export const SearchPage = Schema.Struct({ count: Schema.Int, results: Schema.Array(SearchHit) })
export type SearchPage = typeof SearchPage.Type
