/**
 * API v3 as djangopackages still serves it (`apiv3/urls.py`, `apiv3/views.py`): django-jsonview function
 * views, JSON only, GET and HEAD; slug lookups; `{"meta", "objects"}` pages with relative links; errors as
 * jsonview writes them, `{"error": <status>, "message": "..."}`. Also `v1Gone`, the 410 for APIv1.
 */
import { type NextFunction, type Request, type Response, Router } from "express"
import { Effect, Exit } from "effect"
import type { Grid } from "@packgrid/core/Domain/Grid"
import type { Package } from "@packgrid/core/Domain/Package"
import { Categories } from "@packgrid/core/Store/Categories"
import { Grids } from "@packgrid/core/Store/Grids"
import { Packages } from "@packgrid/core/Store/Packages"
import { Users } from "@packgrid/core/Store/Users"
import type { ServerConfig } from "../config.ts"
import { httpErrorOf } from "../http/errors.ts"
import type { Logger } from "../http/respond.ts"
import type { AppRuntime, AppServices } from "../runtime.ts"
import { type Json, writeJson } from "./json.ts"
import { categoryV3, gridV3, packageV3, type PackageLinks } from "./resources.ts"

/** `GET_int`'s default page size. */
export const V3_DEFAULT_LIMIT = 20

/** The most rows one store query is asked for (both engines take it as an integer). */
const ALL_ROWS = 2_147_483_647

/** Django's `[-\w]+` URL pattern (Python's `\w` is Unicode); anything else matches no v3 route. */
const SLUG_PATTERN = /^[-\p{L}\p{N}_]+$/u

const V3_PATHS = [
  "/",
  "/packages/",
  "/packages/:slug/",
  "/grids/",
  "/grids/:slug/",
  "/grids/:slug/packages/",
  "/categories/",
  "/categories/:slug/",
  "/users/",
  "/users/:account/"
]

const LOGIN_REQUIRED =
  "Login required: the APIv3 users endpoints are only served to signed-in users, and APIv3 has no sign-in here."

interface Paging {
  readonly limit: number
  readonly offset: number
}

/** A query parameter as Django's `request.GET.get` reads it: the last value when repeated. */
const lastValue = (raw: unknown): string | undefined => {
  if (typeof raw === "string") return raw
  if (Array.isArray(raw)) {
    const last: unknown = raw[raw.length - 1]
    return typeof last === "string" ? last : undefined
  }
  return undefined
}

/** What Python's `int(str)` accepts: surrounding spaces, a sign, digits with single `_` between them. */
const PYTHON_INT = /^\s*([+-]?\d+(?:_\d+)*)\s*$/

/**
 * `GET_int`: a value `int()` cannot read falls back to the default, as in the reference. A negative one
 * is a 400 here (the reference's queryset slicing raises, so it answers 500).
 */
const readPaging = (query: Record<string, unknown>): Paging | { readonly error: string } => {
  const read = (name: string, fallback: number): number | string => {
    const raw = lastValue(query[name])
    const m = raw === undefined ? null : PYTHON_INT.exec(raw)
    if (m === null) return fallback
    const n = Number(m[1]!.replace(/_/g, ""))
    return Number.isSafeInteger(n) && n >= 0
      ? n + 0
      : `${name} must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}.`
  }
  const limit = read("limit", V3_DEFAULT_LIMIT)
  const offset = read("offset", 0)
  if (typeof limit === "string") return { error: limit }
  if (typeof offset === "string") return { error: offset }
  return { limit, offset }
}

/** `calc_next` / `calc_previous`: the request's path only, so any other parameter (`category`) is dropped. */
const meta = (path: string, { limit, offset }: Paging, count: number): Json => ({
  limit,
  next: count > limit + offset ? `${path}?limit=${limit}&offset=${offset + limit}` : null,
  offset,
  previous: offset <= 0 ? null : `${path}?limit=${limit}&offset=${Math.max(offset - limit, 0)}`,
  total_count: count
})

const storePage = ({ limit, offset }: Paging) => ({
  limit: Math.min(limit, ALL_ROWS),
  offset: Math.min(offset, ALL_ROWS)
})

/** Grids in the reference's default order (`Grid.Meta.ordering = ["title"]`), ties by id. */
const byTitle = (a: { title: string; id: number }, b: { title: string; id: number }) =>
  a.title < b.title ? -1 : a.title > b.title ? 1 : a.id - b.id

const unique = (ids: ReadonlyArray<number>) => [...new Set(ids)]

/** Slugs and logins the package resources on one page refer to, fetched once for the page. */
const packageLinks = (rows: ReadonlyArray<Package>): Effect.Effect<PackageLinks, unknown, AppServices> =>
  Effect.all({
    categorySlugs: Effect.map(
      Effect.flatMap(Categories, (c) => c.all),
      (all) => new Map(all.map((c) => [c.id as number, c.slug as string]))
    ),
    gridSlugs: rows.some((p) => p.grids.length > 0)
      ? Effect.map(
          Effect.flatMap(Grids, (g) => g.list({ limit: ALL_ROWS, offset: 0 })),
          ({ results }) => new Map(results.map((g) => [g.id as number, g.slug as string]))
        )
      : Effect.succeed(new Map<number, string>()),
    usernames: Effect.flatMap(Users, (users) =>
      Effect.map(
        Effect.forEach(
          unique(rows.flatMap((p) => [p.created_by, p.last_modified_by].filter((id) => id !== null))),
          (id) =>
            users.byId(id).pipe(
              Effect.map((u): [number, string] | undefined => [id, u.username]),
              Effect.catchTag("NotFound", () => Effect.succeed(undefined))
            )
        ),
        (pairs) => new Map(pairs.filter((p) => p !== undefined))
      )
    )
  })

const packageResources = (rows: ReadonlyArray<Package>) =>
  Effect.map(packageLinks(rows), (links) => rows.map((p) => packageV3(p, links)))

/** Grid resources, each listing its members' v3 URIs in package-title order. */
const gridResources = (grids: ReadonlyArray<Grid>): Effect.Effect<Array<Json>, unknown, AppServices> =>
  Effect.gen(function* () {
    const packages = yield* Packages
    const members = yield* packages.idsInGrids(grids.map((g) => g.id))
    const rows = yield* packages.getMany(unique([...members.values()].flat()))
    const slugs = new Map(rows.map((p) => [p.id as number, p.slug as string]))
    return grids.map((g) =>
      gridV3(
        g,
        (members.get(g.id) ?? []).flatMap((id) => {
          const slug = slugs.get(id)
          return slug === undefined ? [] : [slug]
        })
      )
    )
  })

/** The reference's APIv1 410 body (`core/apiv1.py`, served as HTML), its endpoint link pointing at this server. */
export const APIV1_GONE_MESSAGE = `APIv1 was removed on April 2, 2015.
Please switch to APIv3:

<ul>
    <li><a href="/api/v3/">APIv3 Endpoint</a></li>
    <li><a href="https://docs.djangopackages.org/en/latest/apiv3_docs">APIv3 Documentation</a></li>
    <li><a href="http://www.pydanny.com/phasing-out-django-packages-apiv1-apiv2.html">APIv1 end-of-life notification</a></li>
</ul>

`

/** Mount with `app.use("/api/v1", v1Gone)`: every method and path under it is 410 (`/api/v1` itself gets its slash first). */
export const v1Gone = (req: Request, res: Response) => {
  const q = req.originalUrl.indexOf("?")
  const path = q === -1 ? req.originalUrl : req.originalUrl.slice(0, q)
  // Django's `^api/v1/.*$` needs the slash after `v1`; APPEND_SLASH redirects the bare prefix to it.
  if ((req.method === "GET" || req.method === "HEAD") && path === req.baseUrl) {
    return res.redirect(301, `${path}/${q === -1 ? "" : req.originalUrl.slice(q)}`)
  }
  const bytes = Buffer.from(APIV1_GONE_MESSAGE, "utf8")
  res.status(410)
  res.setHeader("Content-Type", "text/html; charset=utf-8")
  res.setHeader("Content-Length", bytes.length)
  res.end(bytes)
}

export const v3Router = (runtime: AppRuntime, _config: ServerConfig, log: Logger) => {
  const router = Router()

  /** Runs `effect` and writes its value, or the failure as jsonview's error body (mapped by the API's error table). */
  const answer = async (res: Response, effect: Effect.Effect<Json, unknown, AppServices>) => {
    const exit = await runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return writeJson(res, 200, exit.value)
    const { status, body } = httpErrorOf(exit, (cause) => log("v3 handler failed", { cause: String(cause) }))
    const detail = (body as { detail?: unknown }).detail
    writeJson(res, status, {
      error: status,
      message: status === 500 || typeof detail !== "string" ? "An error occurred" : detail
    })
  }

  /** A paginated view: reads `limit`/`offset` (400 when negative), then builds the body for that page. */
  const paged =
    (body: (paging: Paging, path: string, req: Request) => Effect.Effect<Json, unknown, AppServices>) =>
    (req: Request, res: Response) => {
      const paging = readPaging(req.query)
      if ("error" in paging) return writeJson(res, 400, { error: 400, message: paging.error })
      return answer(res, body(paging, `${req.baseUrl}${req.path}`, req))
    }

  /** A `<slug>` route: a slug outside `[-\w]+` matches no route, as in Django's URLconf. */
  const withSlug =
    (handler: (slug: string, req: Request, res: Response) => unknown) =>
    (req: Request, res: Response, next: NextFunction) => {
      const slug = req.params.slug
      if (typeof slug !== "string" || !SLUG_PATTERN.test(slug)) return next()
      return handler(slug, req, res)
    }

  // The views are GET-only to clients; every other method is jsonview's 405.
  router.all(V3_PATHS, (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next()
    writeJson(res, 405, { error: 405, message: "HTTP method not allowed." }, { Allow: "GET, HEAD" })
  })

  router.get("/", (_req, res) =>
    writeJson(res, 200, {
      categories: "/api/v3/categories/",
      grids: "/api/v3/grids/",
      packages: "/api/v3/packages/",
      users: "/api/v3/users/"
    })
  )

  // `?category=<slug>` filters; an unknown or missing slug lists everything. The body's `"category"` is
  // always null: the reference sets it before filtering and never fills it in.
  router.get(
    "/packages/",
    paged((paging, path, req) =>
      Effect.gen(function* () {
        const slug = lastValue(req.query.category)
        const category =
          slug === undefined
            ? null
            : yield* Effect.flatMap(Categories, (c) => c.get({ slug })).pipe(
                Effect.catchTag("NotFound", () => Effect.succeed(null))
              )
        const page = yield* Effect.flatMap(Packages, (p) =>
          p.list({
            ...storePage(paging),
            order: "title",
            where: category === null ? {} : { category: category.id }
          })
        )
        return {
          meta: meta(path, paging, page.count),
          category: null,
          objects: yield* packageResources(page.results)
        }
      })
    )
  )

  router.get(
    "/packages/:slug/",
    withSlug((slug, _req, res) =>
      answer(
        res,
        Effect.gen(function* () {
          const pkg = yield* Effect.flatMap(Packages, (p) => p.get({ slug }))
          const [resource] = yield* packageResources([pkg])
          return resource!
        })
      )
    )
  )

  router.get(
    "/grids/",
    paged((paging, path) =>
      Effect.gen(function* () {
        const { results } = yield* Effect.flatMap(Grids, (g) => g.list({ limit: ALL_ROWS, offset: 0 }))
        const ordered = [...results].sort(byTitle)
        const page = ordered.slice(paging.offset, paging.offset + paging.limit)
        return { meta: meta(path, paging, ordered.length), objects: yield* gridResources(page) }
      })
    )
  )

  router.get(
    "/grids/:slug/",
    withSlug((slug, _req, res) =>
      answer(
        res,
        Effect.gen(function* () {
          const grid = yield* Effect.flatMap(Grids, (g) => g.get({ slug }))
          const [resource] = yield* gridResources([grid])
          return resource!
        })
      )
    )
  )

  // Like the package list, with `"grid"` between `meta` and `objects`; members in package-title order.
  router.get(
    "/grids/:slug/packages/",
    withSlug((slug, req, res) =>
      paged((paging, path) =>
        Effect.gen(function* () {
          const grid = yield* Effect.flatMap(Grids, (g) => g.get({ slug }))
          const [gridResource] = yield* gridResources([grid])
          const page = yield* Effect.flatMap(Packages, (p) =>
            p.list({ ...storePage(paging), order: "title", where: { grid: grid.id } })
          )
          return {
            meta: meta(path, paging, page.count),
            grid: gridResource!,
            objects: yield* packageResources(page.results)
          }
        })
      )(req, res)
    )
  )

  router.get(
    "/categories/",
    paged((paging, path) =>
      Effect.map(
        Effect.flatMap(Categories, (c) => c.all),
        (all) => ({
          meta: meta(path, paging, all.length),
          objects: all.slice(paging.offset, paging.offset + paging.limit).map(categoryV3)
        })
      )
    )
  )

  router.get(
    "/categories/:slug/",
    withSlug((slug, _req, res) =>
      answer(
        res,
        Effect.map(
          Effect.flatMap(Categories, (c) => c.get({ slug })),
          categoryV3
        )
      )
    )
  )

  // `@login_required` in the reference (an anonymous caller is redirected to the login page). APIv3 has
  // no sign-in here, so the answer is jsonview's 403 whether or not the user exists.
  const loginRequired = (_req: Request, res: Response) => writeJson(res, 403, { error: 403, message: LOGIN_REQUIRED })
  router.get("/users/", loginRequired)
  router.get("/users/:account/", (req: Request, res: Response, next: NextFunction) => {
    const account = req.params.account
    if (typeof account !== "string" || !SLUG_PATTERN.test(account)) return next()
    loginRequired(req, res)
  })

  return router
}
