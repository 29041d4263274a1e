/**
 * Django Packages' grid score (`package/scores.py::_calculate_score`), reproduced exactly:
 *
 *     score = max(-500, int(W - trunc(months / 3) * W / 10 - py3_penalty))
 *
 * W is the star count, `months` is dateutil's `relativedelta(now, last_commit_date)` as
 * `12 * years + months` (days ignored), a missing commit date costs one quarter (W / 10), and
 * py3_penalty = min(W * 30 / 100, 1000) unless Python 3 support is known to be true: null penalises like
 * false, as in the reference. The floating-point operations run in the reference's order, so results are
 * identical to Python's, including `int()` truncating toward zero.
 *
 * Months are counted on the UTC calendar (see internal/Calendar.ts): the reference counts them in naive
 * US/Eastern wall-clock time (`USE_TZ = False`), which only shifts month boundaries by the zone offset.
 */
import { type Timestamp } from "../Domain/Timestamp.ts"
import { type ScoringFacts } from "./Facts.ts"
import { calendarMonths } from "./internal/Calendar.ts"

/** The facts the legacy score reads. */
export type LegacyFacts = Pick<ScoringFacts, "repo_watchers" | "last_commit_date" | "supports_python3">

/** The reference's floor (hard-coded in `_calculate_score`; `PACKAGE_SCORE_MIN` only filters grids). */
export const LEGACY_SCORE_FLOOR = -500

export interface LegacyBreakdown {
  readonly score: number
  readonly stars: number
  /** Whole calendar months since the last commit, or null without a commit date. */
  readonly months_since_last_commit: number | null
  /** Whole quarters charged: trunc(months / 3), or 1 without a commit date. */
  readonly quarters: number
  readonly commit_age_penalty: number
  readonly python3_penalty: number
  readonly floored: boolean
}

/** The legacy score with the terms it was computed from. */
export const legacyScoreBreakdown = (facts: LegacyFacts, asOf: Timestamp): LegacyBreakdown => {
  const w = facts.repo_watchers ?? 0
  let months: number | null = null
  let quarters: number
  let agePenalty: number
  if (facts.last_commit_date !== null) {
    months = calendarMonths(asOf, facts.last_commit_date)
    quarters = Math.trunc(months / 3)
    agePenalty = (quarters * w) / 10
  } else {
    quarters = 1
    agePenalty = w / 10
  }
  const py3Penalty = facts.supports_python3 === true ? 0 : Math.min((w * 30) / 100, 1000)
  const raw = Math.trunc(w - agePenalty - py3Penalty)
  const score = Math.max(LEGACY_SCORE_FLOOR, raw === 0 ? 0 : raw)
  return {
    score,
    stars: w,
    months_since_last_commit: months,
    quarters: quarters === 0 ? 0 : quarters,
    commit_age_penalty: agePenalty === 0 ? 0 : agePenalty,
    python3_penalty: py3Penalty,
    floored: raw < LEGACY_SCORE_FLOOR
  }
}

/** Django Packages' grid score at `asOf` (grids order by it, descending). */
export const legacyScore = (facts: LegacyFacts, asOf: Timestamp): number => legacyScoreBreakdown(facts, asOf).score
