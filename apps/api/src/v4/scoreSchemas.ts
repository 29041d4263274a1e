/**
 * Wire schemas of packgrid's own v4 extensions, beside the reference's shapes (which stay untouched):
 * a package's scores explained (`/packages/{lookup}/score/`) and a grid as a comparison table
 * (`/grids/{lookup}/comparison/`). The OpenAPI document is generated from these.
 */
import { Schema } from "effect"
import { GRID_ORDERS } from "@packgrid/core/Catalogue/GridView"
import { FeatureV4 } from "./schemas.ts"

const Url = Schema.String.annotations({ jsonSchema: { type: "string", format: "uri" } })
const DateTime = Schema.NullOr(Schema.String).annotations({
  description: "ISO 8601 in PACKGRID_TIME_ZONE, microseconds when non-zero"
})
const Instant = Schema.String.annotations({ description: "ISO 8601 in UTC, the instant the scores are computed for" })

export const StoredScoresV4 = Schema.Struct({
  score: Schema.Int.annotations({ description: "Django Packages' grid score (stars with a commit-age penalty)" }),
  search_weight: Schema.Int.annotations({ description: "Django Packages' search weight, 0–100" }),
  package_score: Schema.Int.annotations({ description: "packgrid's explainable score (dps-1), 0–100" })
}).annotations({ identifier: "StoredScores" })

const ScoreComponentV4 = Schema.Struct({
  key: Schema.String,
  label: Schema.String,
  input: Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null),
  normalized: Schema.Number,
  points: Schema.Number,
  tenths: Schema.Int,
  max: Schema.Number,
  known: Schema.Boolean,
  reason: Schema.String,
  hint: Schema.optional(Schema.String),
  doc_anchor: Schema.String
}).annotations({ identifier: "ScoreComponent" })

const ScorePillarV4 = Schema.Struct({
  key: Schema.Literal("maintenance", "compatibility", "adoption", "hygiene", "community"),
  label: Schema.String,
  points: Schema.Number,
  tenths: Schema.Int,
  max: Schema.Number,
  percent: Schema.Number,
  components: Schema.Array(ScoreComponentV4),
  adjustments: Schema.Array(
    Schema.Struct({
      key: Schema.Literal("backlog", "stable_current_floor"),
      label: Schema.String,
      points: Schema.Number,
      tenths: Schema.Int,
      reason: Schema.String
    })
  )
}).annotations({ identifier: "ScorePillar" })

const ScoreFlagV4 = Schema.Struct({
  key: Schema.String,
  label: Schema.String,
  multiplier: Schema.Number,
  applied: Schema.Boolean,
  reason: Schema.String,
  hint: Schema.optional(Schema.String)
}).annotations({ identifier: "ScoreFlag" })

const Confidence = Schema.Literal("High", "Medium", "Low")

export const ScoreReportV4 = Schema.Struct({
  score: Schema.Int,
  score_version: Schema.String,
  as_of: Instant,
  confidence: Schema.Struct({ value: Schema.Number, level: Confidence, notes: Schema.Array(Schema.String) }),
  labels: Schema.Array(Schema.String),
  flags: Schema.Array(ScoreFlagV4),
  pillars: Schema.Array(ScorePillarV4),
  total: Schema.Struct({
    subtotal: Schema.Number,
    subtotal_tenths: Schema.Int,
    multiplier: Schema.Number,
    flag_adjustment: Schema.Number,
    flag_tenths: Schema.Int,
    rounding: Schema.Number,
    rounding_tenths: Schema.Int
  }),
  improvements: Schema.Array(Schema.Struct({ key: Schema.String, hint: Schema.String, gain: Schema.Number }))
}).annotations({
  identifier: "ScoreReport",
  description: "packgrid's score (dps-1, SCORING.md §8.7): pillars of labelled components, flags, confidence"
})

export const PackageScoreV4 = Schema.Struct({
  package: Schema.Struct({ id: Schema.Int, slug: Schema.String, title: Schema.String, url: Url }),
  as_of: Instant,
  scores: StoredScoresV4.annotations({ description: "The three scores at `as_of`" }),
  stored: StoredScoresV4.annotations({ description: "The three scores as stored (recomputed daily and on writes)" }),
  package_score: ScoreReportV4,
  legacy: Schema.Struct({
    score: Schema.Int,
    stars: Schema.Number,
    months_since_last_commit: Schema.NullOr(Schema.Int),
    quarters: Schema.Int,
    commit_age_penalty: Schema.Number,
    python3_penalty: Schema.Number,
    floored: Schema.Boolean
  }).annotations({ description: "Django Packages' grid score and its terms (REFERENCE §2.1)" }),
  search_weight: Schema.Struct({
    total_score: Schema.Int,
    message: Schema.String,
    breakdown: Schema.Array(
      Schema.Struct({
        rule: Schema.String,
        description: Schema.String,
        score: Schema.Int,
        max_score: Schema.Int,
        message: Schema.String,
        documentation_url: Url
      })
    )
  }).annotations({ description: "Django Packages' search weight and its rules (REFERENCE §2.2)" }),
  history: Schema.Array(
    Schema.Struct({
      day: Schema.String,
      score: Schema.Int,
      search_weight: Schema.Int,
      package_score: Schema.Int,
      score_version: Schema.String
    })
  ).annotations({ description: "The days the scores changed, oldest first (the last year)" })
}).annotations({ identifier: "PackageScore" })

const CellV4 = Schema.Struct({
  feature: Schema.Int,
  marker: Schema.Literal("good", "bad", "neutral", "none"),
  level: Schema.Int.annotations({ description: "Ticks or crosses, 1–3; 0 without a marker" }),
  text: Schema.String.annotations({ description: "The text beside the marker" }),
  raw: Schema.String.annotations({ description: "The cell as stored" })
}).annotations({ identifier: "ComparisonCell" })

const ColumnV4 = Schema.Struct({
  rank: Schema.Int,
  id: Schema.Int,
  slug: Schema.String,
  title: Schema.String,
  url: Url,
  repo_url: Schema.String,
  repo_watchers: Schema.Int,
  repo_forks: Schema.Int,
  pypi_version: Schema.NullOr(Schema.String),
  last_updated: DateTime,
  deprecated: Schema.Boolean,
  archived: Schema.Boolean,
  scores: StoredScoresV4,
  confidence: Confidence,
  labels: Schema.Array(Schema.String),
  flags: Schema.Array(
    Schema.Struct({ key: Schema.String, label: Schema.String, multiplier: Schema.Number, applied: Schema.Boolean })
  ),
  pillars: Schema.Array(
    Schema.Struct({ key: Schema.String, points: Schema.Number, max: Schema.Number, percent: Schema.Number })
  ),
  cells: Schema.Array(CellV4)
}).annotations({ identifier: "ComparisonColumn" })

export const GridComparisonV4 = Schema.Struct({
  grid: Schema.Struct({
    id: Schema.Int,
    slug: Schema.String,
    title: Schema.String,
    description: Schema.String,
    url: Url
  }),
  as_of: Instant,
  order: Schema.Literal(...GRID_ORDERS),
  include_deprecated: Schema.Boolean,
  include_archived: Schema.Boolean,
  features: Schema.Array(FeatureV4),
  packages: Schema.Array(ColumnV4),
  hidden: Schema.Array(
    Schema.Struct({ id: Schema.Int, slug: Schema.String, reason: Schema.Literal("deprecated", "archived") })
  ),
  total: Schema.Int
}).annotations({ identifier: "GridComparison" })
