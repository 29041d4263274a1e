/**
 * packgrid's own v4 reads, beside the reference's (whose shapes stay exactly as they were):
 *
 * - `GET /api/v4/grids/{id|slug}/comparison/`: the grid as a comparison table, packages ordered by score
 *   (`?order=score|legacy|stars|name`), deprecated and archived ones hidden unless asked
 *   (`?include_deprecated=1`, `?include_archived=1`), each cell's marker parsed (Catalogue/GridView).
 * - `GET /api/v4/packages/{id|slug}/score/`: the package's three scores explained (Store/Scores).
 *
 * Both compute the scores at the time of the request, from the store's facts, releases and advisories.
 */
import type { Request, Response, Router } from "express"
import { Effect } from "effect"
import { GRID_ORDERS, type GridOrder, type GridView, gridView } from "@packgrid/core/Catalogue/GridView"
import { parseLookup } from "@packgrid/core/Domain/Ids"
import { formatTimestamp, type Timestamp } from "@packgrid/core/Domain/Timestamp"
import { now } from "@packgrid/core/Store/Clock"
import { Grids } from "@packgrid/core/Store/Grids"
import { type ScoreExplanation, Scores } from "@packgrid/core/Store/Scores"
import type { ServerConfig } from "../config.ts"
import { type Logger, run, send, type SendOptions, type View, wireFor } from "../http/respond.ts"
import { route } from "../http/route.ts"
import type { AppRuntime } from "../runtime.ts"
import type { GridComparisonV4, PackageScoreV4 } from "./scoreSchemas.ts"
import type { Wire } from "./serializers.ts"

export const ComparisonViews = {
  gridComparison: {
    name: "Grid Comparison",
    description:
      "A grid as a comparison table: packages ordered by score, deprecated and archived ones hidden unless asked, cell markers parsed."
  },
  packageScore: {
    name: "Package Score",
    description: "A package's scores explained: packgrid's score with its pillars, and Django Packages' two scores."
  }
} as const satisfies Record<string, View>

const TRUE = new Set(["1", "true", "yes", "on"])
const FALSE = new Set(["0", "false", "no", "off", ""])

/** The last value of a query parameter (Django's `QueryDict.get`). */
const lastValue = (v: unknown): string | undefined =>
  Array.isArray(v) ? lastValue(v[v.length - 1]) : typeof v === "string" ? v : undefined

export interface ComparisonQuery {
  readonly order: GridOrder
  readonly includeDeprecated: boolean
  readonly includeArchived: boolean
}

/** The comparison's query parameters, or DRF-style field errors. */
export const parseComparisonQuery = (
  query: Record<string, unknown>
): ComparisonQuery | { readonly errors: Record<string, Array<string>> } => {
  const errors: Record<string, Array<string>> = {}
  const flag = (name: string) => {
    const v = lastValue(query[name])
    if (v === undefined) return false
    const low = v.trim().toLowerCase()
    if (TRUE.has(low)) return true
    if (!FALSE.has(low)) errors[name] = ["Must be a valid boolean."]
    return false
  }
  const includeDeprecated = flag("include_deprecated")
  const includeArchived = flag("include_archived")
  const rawOrder = lastValue(query.order)
  const order = rawOrder === undefined || rawOrder === "" ? "score" : rawOrder
  if (!(GRID_ORDERS as ReadonlyArray<string>).includes(order)) {
    errors.order = [`"${order}" is not a valid choice: use ${GRID_ORDERS.join(", ")}.`]
  }
  return Object.keys(errors).length > 0 ? { errors } : { order: order as GridOrder, includeDeprecated, includeArchived }
}

export const gridComparisonV4 = (
  wire: Wire,
  view: GridView,
  query: ComparisonQuery,
  asOf: Timestamp
): typeof GridComparisonV4.Type => ({
  grid: {
    id: view.grid.id,
    slug: view.grid.slug,
    title: view.grid.title,
    description: view.grid.description,
    url: wire.link(`/api/v4/grids/${view.grid.id}/`)
  },
  as_of: formatTimestamp(asOf, "UTC"),
  order: view.order,
  include_deprecated: query.includeDeprecated,
  include_archived: query.includeArchived,
  features: view.features.map((f) => ({ id: f.id, title: f.title, description: f.description })),
  packages: view.columns.map((c) => ({
    rank: c.rank,
    id: c.package.id,
    slug: c.package.slug,
    title: c.package.title,
    url: wire.link(`/api/v4/packages/${c.package.id}/`),
    repo_url: c.package.repo_url,
    repo_watchers: c.package.repo_watchers,
    repo_forks: c.package.repo_forks,
    pypi_version: c.package.pypi_version,
    last_updated: c.package.last_commit_date === null ? null : formatTimestamp(c.package.last_commit_date, wire.zone),
    deprecated: c.deprecated,
    archived: c.archived,
    scores: c.scores,
    confidence: c.report.confidence.level,
    labels: c.report.labels,
    flags: c.report.flags.map((f) => ({ key: f.key, label: f.label, multiplier: f.multiplier, applied: f.applied })),
    pillars: c.report.pillars.map((p) => ({ key: p.key, points: p.points, max: p.max, percent: p.percent })),
    cells: c.cells.map((x) => ({ feature: x.feature, marker: x.marker, level: x.level, text: x.text, raw: x.raw }))
  })),
  hidden: view.hidden.map((h) => ({ id: h.id, slug: h.slug, reason: h.reason })),
  total: view.total
})

export const packageScoreV4 = (wire: Wire, e: ScoreExplanation): typeof PackageScoreV4.Type => ({
  ...e,
  package: { ...e.package, url: wire.link(`/api/v4/packages/${e.package.id}/`) }
})

/** Mounts both reads on the v4 router (one line in routes.ts). */
export const registerComparison = (router: Router, runtime: AppRuntime, config: ServerConfig, log: Logger) => {
  route<{ lookup: string }>(router, "/grids/:lookup/comparison/", {
    view: ComparisonViews.gridComparison,
    get: (req: Request<{ lookup: string }>, res: Response, view: SendOptions) => {
      const options = { ...view, log }
      const query = parseComparisonQuery(req.query)
      if ("errors" in query) return send(req, res, 400, query.errors, options)
      const wire = wireFor(req, config)
      return run(
        runtime,
        req,
        res,
        Effect.gen(function* () {
          const grid = yield* Effect.flatMap(Grids, (g) => g.get(parseLookup(req.params.lookup)))
          const asOf = yield* now
          const inputs = yield* Effect.flatMap(Scores, (s) => s.inputs(grid.packages))
          return gridComparisonV4(wire, gridView(grid, [...inputs.values()], { asOf, ...query }), query, asOf)
        }),
        (body) => send(req, res, 200, body, options),
        options
      )
    }
  })

  route<{ lookup: string }>(router, "/packages/:lookup/score/", {
    view: ComparisonViews.packageScore,
    get: (req: Request<{ lookup: string }>, res: Response, view: SendOptions) => {
      const options = { ...view, log }
      const wire = wireFor(req, config)
      return run(
        runtime,
        req,
        res,
        Effect.flatMap(now, (asOf) => Effect.flatMap(Scores, (s) => s.explain(parseLookup(req.params.lookup), asOf))),
        (e) => send(req, res, 200, packageScoreV4(wire, e), options),
        options
      )
    }
  })
}
