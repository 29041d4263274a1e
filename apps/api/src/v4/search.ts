/**
 * Search. `/api/v4/search/?q=` is the reference's endpoint, shape for shape: a plain array of at most 20
 * rows, packages and grids. `/api/v4/search/advanced/` is ours: filters, sorts, paging, and each
 * package's explainable score with its breakdown.
 */
import type { Request, Response } from "express"
import { Effect } from "effect"
import { formatTimestamp, type Timestamp } from "@packgrid/core/Domain/Timestamp"
import { factsOf, packageScore } from "@packgrid/core/Scoring"
import { Packages } from "@packgrid/core/Store/Packages"
import { Search } from "@packgrid/core/Store/Search"
import type { SearchHit } from "@packgrid/core/Search/Request"
import type { ServerConfig } from "../config.ts"
import { groupIssues } from "../http/errors.ts"
import { envelope, parsePageQuery } from "../http/pagination.ts"
import { type Logger, requestUrl, run, send, type SendOptions } from "../http/respond.ts"
import type { AppRuntime } from "../runtime.ts"
import type { SearchRowV4 } from "./schemas.ts"

const when = (zone: string, t: Timestamp | null) => (t === null ? null : formatTimestamp(t, zone))

/** A hit as the reference's SearchV3 serializer writes it (its compatibility shims included). */
export const searchRowV4 = (zone: string, hit: SearchHit): typeof SearchRowV4.Type => ({
  description: hit.description,
  title: hit.title,
  title_no_prefix: hit.title,
  slug_no_prefix: hit.slug,
  clean_title: hit.title,
  absolute_url: hit.item_type === "package" ? `/packages/p/${hit.slug}/` : `/grids/g/${hit.slug}/`,
  created: when(zone, hit.created),
  modified: when(zone, hit.modified),
  weight: hit.search_weight,
  item_type: hit.item_type,
  slug: hit.slug,
  category: hit.category,
  repo_watchers: hit.repo_watchers,
  repo_forks: hit.repo_forks,
  pypi_downloads: hit.pypi_downloads,
  score: hit.score,
  usage: hit.usage_count,
  participants: hit.participants,
  last_committed: when(zone, hit.last_committed),
  last_released: when(zone, hit.last_released)
})

const MAX_Q = 200

const text = (req: Request, name: string) => (typeof req.query[name] === "string" ? req.query[name] : undefined)

export const searchV4 =
  (runtime: AppRuntime, config: ServerConfig, log: Logger) => (req: Request, res: Response, options: SendOptions) => {
    const q = (text(req, "q") ?? "").trim()
    if (q.length > MAX_Q)
      return send(req, res, 400, { q: [`Ensure this field has no more than ${MAX_Q} characters.`] }, options)
    if (q === "") return send(req, res, 200, [], options)
    return run(
      runtime,
      req,
      res,
      Effect.flatMap(Search, (s) => s.search({ q, limit: 20, offset: 0 })),
      (page) =>
        send(
          req,
          res,
          200,
          page.results.map((hit) => searchRowV4(config.timeZone, hit)),
          options
        ),
      { ...options, log }
    )
  }

const FLAGS = new Set(["1", "true", "yes"])
const SORTS = new Set(["relevance", "score", "stars", "last_commit", "last_release", "name"])

/** Our search: the filters and sorts people asked for, paginated, each package with its score report. */
export const searchAdvanced =
  (runtime: AppRuntime, config: ServerConfig, log: Logger) => (req: Request, res: Response, options: SendOptions) => {
    const page = parsePageQuery(req.query)
    if ("error" in page) return send(req, res, 400, page.error, options)
    const issues: Array<{ path: string; message: string }> = []
    const id = (name: string) => {
      const v = text(req, name)
      if (v === undefined || v === "") return undefined
      if (!/^\d{1,12}$/.test(v) || Number(v) === 0)
        issues.push({ path: name, message: "A positive integer is required." })
      return Number(v)
    }
    const flag = (name: string) => {
      const v = text(req, name)
      return v === undefined || v === "" ? undefined : FLAGS.has(v.toLowerCase())
    }
    const sort = text(req, "sort") ?? "relevance"
    if (!SORTS.has(sort))
      issues.push({ path: "sort", message: `"${sort}" is not a valid choice: ${[...SORTS].join(", ")}.` })
    const q = (text(req, "q") ?? "").trim()
    if (q.length > MAX_Q) issues.push({ path: "q", message: `Ensure this field has no more than ${MAX_Q} characters.` })
    const filters = {
      category: id("category"),
      grid: id("grid"),
      python3: flag("python3"),
      django: text(req, "django") || undefined,
      includeDeprecated: flag("include_deprecated"),
      includeArchived: flag("include_archived")
    }
    if (issues.length > 0) return send(req, res, 400, groupIssues(issues), options)
    const defined = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined))
    return run(
      runtime,
      req,
      res,
      Effect.gen(function* () {
        const result = yield* Effect.flatMap(Search, (s) =>
          s.search({ q, limit: page.limit, offset: page.offset, filters: defined, sort: sort as never })
        )
        const ids = result.results.filter((h) => h.item_type === "package").map((h) => h.id)
        const packages = new Map(
          (yield* Effect.flatMap(Packages, (p) => p.getMany(ids))).map((p) => [p.id as number, p])
        )
        const asOf = (Date.now() * 1000) as Timestamp
        const results = result.results.map((hit) => {
          const pkg = packages.get(hit.id)
          return {
            ...searchRowV4(config.timeZone, hit),
            id: hit.id,
            package_score: hit.package_score,
            relevance: hit.relevance,
            score_report: hit.item_type === "package" && pkg !== undefined ? packageScore(factsOf(pkg), { asOf }) : null
          }
        })
        return { count: result.count, results }
      }),
      ({ count, results }) => send(req, res, 200, envelope(requestUrl(req, config), page, count, results), options),
      { ...options, log }
    )
  }
