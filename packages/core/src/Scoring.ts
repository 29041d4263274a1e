/**
 * Scoring, embeddable as `@packgrid/core/Scoring`: pure functions of a package's facts and an explicit
 * date (no clock, no I/O).
 *
 * - `legacyScore`: Django Packages' grid score, exactly (REFERENCE §2.1, SCORING.md §5.1).
 * - `searchWeight`: Django Packages' search weight with its rule breakdown (REFERENCE §2.2, SCORING.md §5.2).
 * - `packageScore`: packgrid's explainable score, dps-1 (SCORING.md §8 and the security addendum).
 *
 * Facts come from a catalogue `Package` with `factsOf`, or by hand with `scoringFacts`.
 */
export { factsOf, type ReleaseFact, scoringFacts, type ScoringFacts, type Vulnerability } from "./Scoring/Facts.ts"
export {
  LEGACY_SCORE_FLOOR,
  type LegacyBreakdown,
  type LegacyFacts,
  legacyScore,
  legacyScoreBreakdown
} from "./Scoring/Legacy.ts"
export {
  compareScored,
  type ConfidenceLevel,
  DPS1,
  type FlagKey,
  packageScore,
  type PillarAdjustment,
  type PillarKey,
  SCORE_VERSION,
  type ScoreComponent,
  type ScoreConfidence,
  type ScoreFlag,
  type ScoreImprovement,
  type ScorePillar,
  type ScoreReport,
  type ScoreTotal,
  type ScoringContext
} from "./Scoring/PackageScore.ts"
export {
  type FeatureRelease,
  RELEASE_TABLES,
  type ReleaseTables,
  resolve as resolveReleaseTable,
  type ResolvedRelease,
  supportedAt,
  targetAt
} from "./Scoring/ReleaseTables.ts"
export {
  DeprecatedRule,
  DescriptionRule,
  DocumentationRule,
  DownloadsRule,
  FavoritePackageRule,
  ForkRule,
  LastUpdatedRule,
  RecentReleaseRule,
  REFERENCE_DOCS_URL,
  type RuleCheck,
  type RuleResult,
  RULES_PAGE_RULES,
  type ScoreRule,
  scoreRuleGroup,
  SEARCH_INDEX_RULES,
  type SearchWeight,
  searchWeight,
  UsageCountRule,
  WatchersRule,
  type WeightFacts,
  type WeightOptions
} from "./Scoring/SearchWeight.ts"
