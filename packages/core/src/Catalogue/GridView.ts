/**
 * A grid as people asked to see it (REFERENCE §5.2, §9.1): packages (columns) ordered by score, deprecated
 * and archived packages hidden unless asked for, every cell parsed into its marker (CellMarker.ts).
 *
 * Pure: the scores are computed here from each member's facts at `asOf`, with the Scoring module, so the
 * order is the one the package pages explain. Unlike the reference, no package is hidden for a negative
 * legacy score (the rule that hid every package on a host it could not read, #850): what hides a package
 * is the directory's own verdict, deprecated or archived, and both can be asked for.
 */
import type { ElementId, FeatureId, PackageId } from "../Domain/Ids.ts"
import type { Feature, Grid } from "../Domain/Grid.ts"
import type { Package } from "../Domain/Package.ts"
import type { Release } from "../Domain/Release.ts"
import type { Timestamp } from "../Domain/Timestamp.ts"
import { factsOf, type Vulnerability } from "../Scoring/Facts.ts"
import { legacyScore } from "../Scoring/Legacy.ts"
import { compareScored, packageScore, type ScoreReport } from "../Scoring/PackageScore.ts"
import { searchWeight } from "../Scoring/SearchWeight.ts"
import type { StoredScores } from "../Scoring/Stored.ts"
import { type Cell, parseCell } from "./CellMarker.ts"

/** `score`: ours (dps-1), then Adoption, then slug. `legacy`: the reference's grid score. */
export const GRID_ORDERS = ["score", "legacy", "stars", "name"] as const
export type GridOrder = (typeof GRID_ORDERS)[number]

/** A member package with what its score needs besides the row (the store's releases and advisories). */
export interface GridMember {
  readonly package: Package
  readonly releases?: ReadonlyArray<Release> | undefined
  readonly vulnerabilities?: ReadonlyArray<Vulnerability> | undefined
}

export interface GridViewOptions {
  /** The instant the scores are computed for. */
  readonly asOf: Timestamp
  /** `score` unless given. */
  readonly order?: GridOrder | undefined
  readonly includeDeprecated?: boolean | undefined
  readonly includeArchived?: boolean | undefined
}

export interface GridCell extends Cell {
  readonly feature: FeatureId
  /** The stored cell, or null where the grid has none (the reference shows "—"). */
  readonly element: ElementId | null
  /** The cell's text as stored. */
  readonly raw: string
}

export interface GridColumn {
  readonly package: Package
  /** 1-based position in this view. */
  readonly rank: number
  /** The three scores at `asOf`, as the store keeps them. */
  readonly scores: StoredScores
  readonly report: ScoreReport
  readonly deprecated: boolean
  readonly archived: boolean
  /** One per feature, in the order of `features`. */
  readonly cells: ReadonlyArray<GridCell>
}

export interface HiddenPackage {
  readonly id: PackageId
  readonly slug: string
  readonly reason: "deprecated" | "archived"
}

export interface GridView {
  readonly grid: Grid
  readonly order: GridOrder
  /** The rows, by id (the reference orders features by primary key). */
  readonly features: ReadonlyArray<Feature>
  readonly columns: ReadonlyArray<GridColumn>
  /** Members left out by the filters, in the view's order. */
  readonly hidden: ReadonlyArray<HiddenPackage>
  /** Members given (columns + hidden). */
  readonly total: number
}

interface Scored {
  readonly member: GridMember
  readonly slug: string
  readonly report: ScoreReport
  readonly scores: StoredScores
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

const comparators: Record<GridOrder, (a: Scored, b: Scored) => number> = {
  score: compareScored,
  legacy: (a, b) => b.scores.score - a.scores.score || compareScored(a, b),
  stars: (a, b) => b.member.package.repo_watchers - a.member.package.repo_watchers || compareScored(a, b),
  name: (a, b) =>
    byText(a.member.package.title.toLowerCase(), b.member.package.title.toLowerCase()) || byText(a.slug, b.slug)
}

const scoreOf = (member: GridMember, asOf: Timestamp): Scored => {
  const pkg = member.package
  const facts = factsOf(
    pkg,
    member.releases,
    member.vulnerabilities === undefined ? {} : { vulnerabilities: member.vulnerabilities }
  )
  const report = packageScore(facts, { asOf })
  return {
    member,
    slug: pkg.slug,
    report,
    scores: {
      score: legacyScore(facts, asOf),
      search_weight: searchWeight(facts, asOf).total_score,
      package_score: Math.round(report.score)
    }
  }
}

const isMember = (m: Package | GridMember): m is GridMember => "package" in m && typeof m.package === "object"

/**
 * The grid's columns ordered by `order`, filtered, with each cell's marker. `members` are the grid's
 * packages (bare, or with releases and advisories); packages that are not members are ignored, and a
 * member given twice counts once.
 */
export const gridView = (
  grid: Grid,
  members: ReadonlyArray<Package | GridMember>,
  options: GridViewOptions
): GridView => {
  const order = options.order ?? "score"
  const inGrid = new Set<number>(grid.packages)
  const unique = new Map<number, GridMember>()
  for (const m of members) {
    const member = isMember(m) ? m : { package: m }
    if (inGrid.has(member.package.id) && !unique.has(member.package.id)) unique.set(member.package.id, member)
  }
  const sorted = [...unique.values()].map((m) => scoreOf(m, options.asOf)).sort(comparators[order])

  const features = [...grid.features].sort((a, b) => a.id - b.id)
  const cells = new Map(grid.elements.map((e) => [`${e.feature}/${e.package}`, e]))
  const columns: Array<GridColumn> = []
  const hidden: Array<HiddenPackage> = []
  for (const s of sorted) {
    const pkg = s.member.package
    const deprecated = pkg.date_deprecated !== null
    const archived = pkg.date_repo_archived !== null
    if (deprecated && options.includeDeprecated !== true) {
      hidden.push({ id: pkg.id, slug: pkg.slug, reason: "deprecated" })
      continue
    }
    if (archived && options.includeArchived !== true) {
      hidden.push({ id: pkg.id, slug: pkg.slug, reason: "archived" })
      continue
    }
    columns.push({
      package: pkg,
      rank: columns.length + 1,
      scores: s.scores,
      report: s.report,
      deprecated,
      archived,
      cells: features.map((f): GridCell => {
        const element = cells.get(`${f.id}/${pkg.id}`)
        return {
          feature: f.id,
          element: element?.id ?? null,
          raw: element?.text ?? "",
          ...parseCell(element?.text ?? "")
        }
      })
    })
  }
  return { grid, order, features, columns, hidden, total: sorted.length }
}
