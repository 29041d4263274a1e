/** API v4, djangopackages-compatible reads. */
import type { Grid } from "@packgrid/core/Domain/Grid"
import { type Request, type Response, Router } from "express"
import { Effect } from "effect"
import { parseLookup } from "@packgrid/core/Domain/Ids"
import { Categories } from "@packgrid/core/Store/Categories"
import { Grids } from "@packgrid/core/Store/Grids"
import { Packages } from "@packgrid/core/Store/Packages"
import type { ServerConfig } from "../config.ts"
import { envelope, parsePageQuery } from "../http/pagination.ts"
import { type Logger, requestUrl, run, send, type SendOptions, wireFor } from "../http/respond.ts"
import { route } from "../http/route.ts"
import type { AppRuntime, AppServices } from "../runtime.ts"
import { categoryV4, gridV4, packageV4, type Wire } from "./serializers.ts"
import { Views } from "./views.ts"
import { Allow, registerWrites } from "./writes.ts"
import { registerComparison } from "./comparison.ts"
import { etagOf, notModified } from "../http/etag.ts"
import { schemaView, serveOpenApi } from "../openapi/serve.ts"
import { searchAdvanced, searchV4 } from "./search.ts"

export const v4Router = (runtime: AppRuntime, config: ServerConfig, log: Logger) => {
  const router = Router()

  /** A paginated list: parse limit/offset, fetch a page, serialize each row. */
  const list =
    <A>(
      page: (q: {
        limit: number
        offset: number
      }) => Effect.Effect<{ count: number; results: ReadonlyArray<A> }, unknown, AppServices>,
      serialize: (wire: Wire, rows: ReadonlyArray<A>) => Effect.Effect<ReadonlyArray<unknown>, unknown, AppServices>
    ) =>
    (req: Request, res: Response, view: SendOptions) => {
      const options = { ...view, log }
      const query = parsePageQuery(req.query)
      if ("error" in query) return send(req, res, 400, query.error, options)
      const wire = wireFor(req, config)
      return run(
        runtime,
        req,
        res,
        Effect.flatMap(page(query), ({ count, results }) =>
          Effect.map(serialize(wire, results), (body) => ({ count, body }))
        ),
        ({ body, count }) => send(req, res, 200, envelope(requestUrl(req, config), query, count, body), options),
        options
      )
    }

  /** One object by id or slug (`bySlug` false: id only, as the reference's categories). */
  /** One object by id or slug, with its ETag; a current `If-None-Match` gets 304 and no body. */
  const detail =
    <A>(
      get: (lookup: { id: number } | { slug: string }) => Effect.Effect<A, unknown, AppServices>,
      etag: (a: A) => string,
      serialize: (wire: Wire, a: A) => Effect.Effect<unknown, unknown, AppServices>
    ) =>
    (req: Request<{ lookup: string }>, res: Response, view: SendOptions) => {
      const options = { ...view, log }
      const wire = wireFor(req, config)
      return run(
        runtime,
        req,
        res,
        Effect.flatMap(get(parseLookup(req.params.lookup)), (a) => {
          const tag = etag(a)
          return notModified(req, tag)
            ? Effect.succeed({ tag, body: undefined })
            : Effect.map(serialize(wire, a), (body) => ({ tag, body }))
        }),
        ({ body, tag }) => {
          if (body === undefined) {
            res.status(304).setHeader("ETag", tag)
            return res.end()
          }
          send(req, res, 200, body, { ...options, headers: { ETag: tag } })
        },
        options
      )
    }

  const gridsWithMembers = (wire: Wire, grids: ReadonlyArray<Grid>) =>
    Effect.map(
      Effect.flatMap(Packages, (p) => p.idsInGrids(grids.map((g) => g.id))),
      (members) => grids.map((g) => gridV4(wire, g, members.get(g.id) ?? []))
    )

  // Writes first: a route() answers the methods it was not given with 405, which would shadow them.
  registerWrites(router, runtime, config, log)
  registerComparison(router, runtime, config, log)

  route(router, "/", {
    view: Views.root,
    get: (req, res, options) => {
      const base = wireFor(req, config)
      send(
        req,
        res,
        200,
        {
          packages: base.link("/api/v4/packages/"),
          search: base.link("/api/v4/search/"),
          grids: base.link("/api/v4/grids/"),
          categories: base.link("/api/v4/categories/")
        },
        options
      )
    }
  })
  route(router, "/schema/", { view: schemaView, get: serveOpenApi(config) })
  route(router, "/search/", { view: Views.search, get: searchV4(runtime, config, log) })
  route(router, "/search/advanced/", { view: Views.searchAdvanced, get: searchAdvanced(runtime, config, log) })

  route(router, "/packages/", {
    view: Views.packageList,
    allow: Allow.packageList,
    get: list(
      (q) => Effect.flatMap(Packages, (p) => p.list({ ...q, order: "-id" })),
      (wire, rows) => Effect.succeed(rows.map((p) => packageV4(wire, p)))
    )
  })
  route<{ lookup: string }>(router, "/packages/:lookup/", {
    view: Views.packageInstance,
    allow: Allow.packageInstance,
    get: detail(
      (lookup) => Effect.flatMap(Packages, (p) => p.get(lookup)),
      (p) => etagOf("package", p.id, p.revision),
      (wire, p) => Effect.succeed(packageV4(wire, p))
    )
  })

  route(router, "/grids/", {
    view: Views.gridList,
    allow: Allow.gridList,
    get: list((q) => Effect.flatMap(Grids, (g) => g.list(q)), gridsWithMembers)
  })
  route<{ lookup: string }>(router, "/grids/:lookup/", {
    view: Views.gridInstance,
    allow: Allow.gridInstance,
    get: detail(
      (lookup) => Effect.flatMap(Grids, (g) => g.get(lookup)),
      (g) => etagOf("grid", g.id, g.revision),
      (wire, g) => Effect.map(gridsWithMembers(wire, [g]), ([one]) => one)
    )
  })

  route(router, "/categories/", {
    view: Views.categoryList,
    allow: Allow.categoryList,
    get: list(
      (q) => Effect.flatMap(Categories, (c) => c.list(q)),
      (wire, rows) => Effect.succeed(rows.map((c) => categoryV4(wire, c)))
    )
  })
  // Categories are looked up by id only in the reference: a slug is a 404.
  route<{ lookup: string }>(router, "/categories/:lookup/", {
    view: Views.categoryInstance,
    allow: Allow.categoryInstance,
    get: detail(
      (lookup) => Effect.flatMap(Categories, (c) => ("id" in lookup ? c.get(lookup) : c.get({ id: -1 }))),
      (c) => etagOf("category", c.id, c.modified),
      (wire, c) => Effect.succeed(categoryV4(wire, c))
    )
  })

  return router
}
