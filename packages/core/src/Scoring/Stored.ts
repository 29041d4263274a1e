/** The three scores as the store keeps them beside a package's facts (recomputed whenever facts change). */
import type { Package } from "../Domain/Package.ts"
import type { Release } from "../Domain/Release.ts"
import type { Timestamp } from "../Domain/Timestamp.ts"
import { factsOf, type Vulnerability } from "./Facts.ts"
import { legacyScore } from "./Legacy.ts"
import { packageScore } from "./PackageScore.ts"
import { searchWeight } from "./SearchWeight.ts"

export interface StoredScores {
  /** The reference's grid score (`packages.score`). */
  readonly score: number
  /** The reference's search weight, 0–100 (`packages.search_weight`). */
  readonly search_weight: number
  /** Our explainable score rounded to an integer 0–100 (`packages.package_score`), for ranking and sorting. */
  readonly package_score: number
}

export const storedScores = (
  pkg: Package,
  asOf: Timestamp,
  releases?: ReadonlyArray<Release>,
  vulnerabilities?: ReadonlyArray<Vulnerability>
): StoredScores => {
  const facts = factsOf(pkg, releases, vulnerabilities === undefined ? {} : { vulnerabilities })
  return {
    score: legacyScore(facts, asOf),
    search_weight: searchWeight(facts, asOf).total_score,
    package_score: Math.round(packageScore(facts, { asOf }).score)
  }
}
