/**
 * Django Packages' search weight (`searchv3/rules.py`, `calc_package_weight`), reproduced exactly: eight
 * rules worth 20 each, `int(sum / 160 * 100)`, with the reference's rule names, descriptions, messages and
 * documentation URLs. Durations compare whole instants (Python's `now - date < timedelta(days)`).
 */
import { type Timestamp } from "../Domain/Timestamp.ts"
import { type ScoringFacts } from "./Facts.ts"
import { DAY } from "./internal/Calendar.ts"

/** The facts the search weight reads. */
export type WeightFacts = Pick<
  ScoringFacts,
  | "date_deprecated"
  | "repo_description"
  | "pypi_downloads"
  | "repo_forks"
  | "last_commit_date"
  | "latest_release_date"
  | "usage_count"
  | "repo_watchers"
  | "favorite_count"
  | "documentation_url"
>

/** The reference's `settings.DOCS_URL` in production. */
export const REFERENCE_DOCS_URL = "https://docs.djangopackages.org"

export interface RuleCheck {
  readonly score: number
  readonly message: string
}

/** One rule of the reference (`ScoreRule`), or a group of rules (`ScoreRuleGroup`). */
export interface ScoreRule {
  readonly name: string
  readonly description: string
  readonly max_score: number
  /** The part after `DOCS_URL`. */
  readonly documentation_path: string
  readonly check: (facts: WeightFacts, asOf: Timestamp) => RuleCheck
}

/** One row of the breakdown, as `calc_package_weight` builds it. */
export interface RuleResult {
  readonly rule: string
  readonly description: string
  readonly score: number
  readonly max_score: number
  readonly message: string
  readonly documentation_url: string
}

export interface SearchWeight {
  readonly total_score: number
  /** Every rule's message, joined by spaces. */
  readonly message: string
  readonly breakdown: ReadonlyArray<RuleResult>
}

const MAX = 20
// Python's str.isspace() set, which differs from JavaScript's trim() (U+001C–U+001F and U+0085 in, U+FEFF out).
const PY_WHITESPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
  0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000
])
const isBlank = (s: string) => [...s].every((c) => PY_WHITESPACE.has(c.codePointAt(0) ?? 0))
const anchor = (cls: string) => `/rules/#searchv3.rules.${cls}`
const olderThan = (asOf: Timestamp, t: Timestamp, days: number) => !(asOf - t < days * DAY)

export const DeprecatedRule: ScoreRule = {
  name: "Deprecated Rule",
  description: "Check if the package is deprecated",
  max_score: MAX,
  documentation_path: anchor("DeprecatedRule"),
  check: (f) =>
    f.date_deprecated === null
      ? { score: MAX, message: "Package is not deprecated." }
      : { score: 0, message: "Package is deprecated." }
}

export const FavoritePackageRule: ScoreRule = {
  name: "Favorite Package Rule",
  description: "Check if the package is favorite",
  max_score: MAX,
  documentation_path: anchor("FavoritePackageRule"),
  check: (f) =>
    f.favorite_count > 0
      ? { score: MAX, message: "Package is favorite." }
      : { score: 0, message: "Package is not favorite." }
}

export const DescriptionRule: ScoreRule = {
  name: "Description Rule",
  description: "Check if the package has a description",
  max_score: MAX,
  documentation_path: anchor("DescriptionRule"),
  check: (f) =>
    !isBlank(f.repo_description)
      ? { score: MAX, message: "Package has a description." }
      : { score: 0, message: "Package has no description." }
}

export const DocumentationRule: ScoreRule = {
  name: "Documentation Rule",
  description: "Check if the package has a documentation URL",
  max_score: MAX,
  documentation_path: anchor("DocumentationRule"),
  check: (f) =>
    f.documentation_url !== null && f.documentation_url !== ""
      ? { score: MAX, message: "Documentation exists." }
      : { score: 0, message: "No documentation." }
}

export const DownloadsRule: ScoreRule = {
  name: "Downloads Rule",
  description: "Score based on the number of PyPi downloads",
  max_score: MAX,
  documentation_path: anchor("DownloadsRule"),
  check: (f) => {
    const d = f.pypi_downloads ?? 0
    return d !== 0
      ? { score: Math.min(Math.trunc(d / 1_000), MAX), message: `Package has ${d} PyPi downloads.` }
      : { score: 0, message: "No PyPi downloads data for the package." }
  }
}

export const ForkRule: ScoreRule = {
  name: "Fork Rule",
  description: "Score based on the number of forks",
  max_score: MAX,
  documentation_path: anchor("ForkRule"),
  check: (f) => {
    const n = f.repo_forks ?? 0
    return n !== 0
      ? { score: Math.min(n, MAX), message: `Package repository has ${n} forks.` }
      : { score: 0, message: "No forks data for the package repository." }
  }
}

export const LastUpdatedRule: ScoreRule = {
  name: "Last Updated Rule",
  description: "Score based on how recently the package was last updated",
  max_score: MAX,
  documentation_path: anchor("LastUpdatedRule"),
  check: (f, asOf) => {
    const t = f.last_commit_date
    if (t === null) return { score: 0, message: "No update data found for the package." }
    if (!olderThan(asOf, t, 90)) return { score: MAX, message: "Package was updated less than 3 months ago." }
    if (!olderThan(asOf, t, 182))
      return { score: Math.trunc(MAX / 2), message: "Package was updated less than 6 months ago." }
    if (!olderThan(asOf, t, 365))
      return { score: Math.trunc(MAX / 4), message: "Package was updated less than 1 year ago." }
    return { score: 0, message: "Package was updated more than 1 year ago." }
  }
}

export const RecentReleaseRule: ScoreRule = {
  name: "Recent Release Rule",
  description: "Score if the last release is less than a year old",
  max_score: MAX,
  documentation_path: anchor("RecentReleaseRule"),
  check: (f, asOf) => {
    const t = f.latest_release_date
    if (t === null) return { score: 0, message: "No release data found for the package." }
    return olderThan(asOf, t, 365)
      ? { score: 0, message: "Last release is more than a year old." }
      : { score: MAX, message: "Last release is less than a year old." }
  }
}

export const UsageCountRule: ScoreRule = {
  name: "Usage Count Rule",
  description: "Score based on the usage count",
  max_score: MAX,
  documentation_path: anchor("UsageCountRule"),
  check: (f) =>
    f.usage_count !== 0
      ? { score: Math.min(f.usage_count, MAX), message: `Package has a usage count of ${f.usage_count}.` }
      : { score: 0, message: "No usage data found for the package." }
}

export const WatchersRule: ScoreRule = {
  name: "Watchers Rule",
  description: "Score based on the number of watchers",
  max_score: MAX,
  documentation_path: anchor("WatchersRule"),
  check: (f) => {
    const n = f.repo_watchers ?? 0
    return n !== 0
      ? { score: Math.min(n, MAX), message: `Package repository has ${n} watchers.` }
      : { score: 0, message: "No watchers data for the package repository." }
  }
}

/** `ScoreRuleGroup`: its rules' sum scaled to its own max, truncated; messages joined by spaces. */
export const scoreRuleGroup = (
  group: Pick<ScoreRule, "name" | "description" | "max_score" | "documentation_path">,
  rules: ReadonlyArray<ScoreRule>
): ScoreRule => ({
  ...group,
  check: (facts, asOf) => {
    const results = rules.map((rule) => rule.check(facts, asOf))
    const total = results.reduce((s, r) => s + r.score, 0)
    const possible = rules.reduce((s, r) => s + r.max_score, 0)
    const normalized = possible > 0 ? (total / possible) * group.max_score : 0
    return { score: Math.trunc(normalized), message: results.map((r) => r.message).join(" ") }
  }
})

/** The eight rules of the search index, in the reference's order (`searchv3/builders.py`). */
export const SEARCH_INDEX_RULES: ReadonlyArray<ScoreRule> = [
  DeprecatedRule,
  DescriptionRule,
  DownloadsRule,
  ForkRule,
  LastUpdatedRule,
  RecentReleaseRule,
  UsageCountRule,
  WatchersRule
]

/** The package "rules" page's set: the activity rules grouped, worth 40 (`PackageRulesView`). */
export const RULES_PAGE_RULES: ReadonlyArray<ScoreRule> = [
  DeprecatedRule,
  DescriptionRule,
  DownloadsRule,
  ForkRule,
  UsageCountRule,
  WatchersRule,
  scoreRuleGroup(
    {
      name: "Activity Rules",
      description: "Rules related to the package's recent activity",
      max_score: 40,
      documentation_path: "/rules/#searchv2.rules.ScoreRuleGroup"
    },
    [LastUpdatedRule, RecentReleaseRule]
  )
]

export interface WeightOptions {
  readonly rules?: ReadonlyArray<ScoreRule>
  /** The total's scale (`max_score`), 100 unless given. */
  readonly maxScore?: number
  /** Prefix of every documentation URL; the reference's production value unless given. */
  readonly docsUrl?: string
}

/** `calc_package_weight`: the search weight at `asOf`, with the per-rule breakdown. */
export const searchWeight = (facts: WeightFacts, asOf: Timestamp, options: WeightOptions = {}): SearchWeight => {
  const rules = options.rules ?? SEARCH_INDEX_RULES
  const maxScore = options.maxScore ?? 100
  const docsUrl = options.docsUrl ?? REFERENCE_DOCS_URL
  let total = 0
  const breakdown = rules.map((rule): RuleResult => {
    const result = rule.check(facts, asOf)
    total += result.score
    return {
      rule: rule.name,
      description: rule.description,
      score: result.score,
      max_score: rule.max_score,
      message: result.message,
      documentation_url: `${docsUrl}${rule.documentation_path}`
    }
  })
  const possible = rules.reduce((s, r) => s + r.max_score, 0)
  const normalized = possible > 0 ? (total / possible) * maxScore : 0
  return { total_score: Math.trunc(normalized), message: breakdown.map((b) => b.message).join(" "), breakdown }
}
