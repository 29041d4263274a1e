/**
 * Writes through API v4 (beyond the reference, whose v4 is read-only): packages, grids with their
 * features, members and cells, and categories. Each handler: who is calling → may they (Policy) →
 * decode the body (Schema) → one store transaction → the new value with its ETag.
 */
import type { Grid } from "@packgrid/core/Domain/Grid"
import type { Category } from "@packgrid/core/Domain/Category"
import { type Request, type Response, type Router } from "express"
import { Effect, Either, type Schema } from "effect"
import { type Action, allowedMethods, can } from "@packgrid/core/Auth/Policy"
import { Forbidden, Invalid, NotFound, type StoreUnavailable, Unauthenticated } from "@packgrid/core/Domain/Errors"
import { parseLookup } from "@packgrid/core/Domain/Ids"
import type { Package, PackagePatch } from "@packgrid/core/Domain/Package"
import { parseTimestamp, type Timestamp } from "@packgrid/core/Domain/Timestamp"
import { Categories } from "@packgrid/core/Store/Categories"
import { Grids } from "@packgrid/core/Store/Grids"
import { Packages } from "@packgrid/core/Store/Packages"
import { type PackageEvent, Refresher } from "@packgrid/core/Refresh/Refresher"
import type { ServerConfig } from "../config.ts"
import { actorOf } from "../http/auth.ts"
import { rateLimiter } from "../http/rateLimit.ts"
import { decodeBody } from "../http/body.ts"
import { etagOf, ifMatchRevision } from "../http/etag.ts"
import { type Logger, refuseUnrenderable, run, send, type View, wireFor } from "../http/respond.ts"
import type { AppRuntime, AppServices } from "../runtime.ts"
import {
  CategoryPatchWrite,
  CategoryWrite,
  ElementWrite,
  FeaturePatchWrite,
  FeatureWrite,
  GridPackageWrite,
  GridPatchWrite,
  GridWrite,
  PackagePatchWrite,
  PackageWrite,
  type Reference
} from "./schemas.ts"
import { categoryV4, gridV4, packageV4 } from "./serializers.ts"
import { Views } from "./views.ts"

/** The `Allow` header of each resource kind, per caller. */
export const Allow = {
  packageList: (res: Response) => allowedMethods(role(res), { POST: "package.create" }),
  packageInstance: (res: Response) =>
    allowedMethods(role(res), { PUT: "package.update", PATCH: "package.update", DELETE: "package.delete" }),
  gridList: (res: Response) => allowedMethods(role(res), { POST: "grid.create" }),
  gridInstance: (res: Response) =>
    allowedMethods(role(res), { PUT: "grid.update", PATCH: "grid.update", DELETE: "grid.delete" }),
  categoryList: (res: Response) => allowedMethods(role(res), { POST: "category.create" }),
  categoryInstance: (res: Response) =>
    allowedMethods(role(res), { PUT: "category.update", PATCH: "category.update", DELETE: "category.delete" })
}

const role = (res: Response) => actorOf(res)?.user.role ?? null

/** Fails unless the caller is signed in and may perform `action`. */
const authorize = (res: Response, action: Action) => {
  const actor = actorOf(res)
  if (actor === null)
    return Effect.fail(new Unauthenticated({ reason: "Authentication credentials were not provided." }))
  if (!can(actor.user.role, action)) return Effect.fail(new Forbidden({ action }))
  return Effect.succeed(actor.user)
}

const body = <A, I>(schema: Schema.Schema<A, I>, req: Request) =>
  Either.match(decodeBody(schema, req.body), {
    onLeft: (errors) =>
      Effect.fail(
        new Invalid({
          issues: Object.entries(errors).flatMap(([path, messages]) =>
            messages.map((message) => ({ path: path === "non_field_errors" ? "" : path, message }))
          )
        })
      ),
    onRight: Effect.succeed
  })

/** An id, a slug, or a v4 URL (`…/api/v4/<kind>/<id|slug>/`) naming an object of `kind`. */
const lookupOf = (kind: "packages" | "categories" | "grids", field: string, ref: typeof Reference.Type) => {
  if (typeof ref === "number") return Effect.succeed({ id: ref } as const)
  const m = new RegExp(`/api/v4/${kind}/([^/?#]+)/?(?:[?#].*)?$`).exec(ref)
  const segment = m?.[1] ?? (/^[\w-]+$/.test(ref) ? ref : undefined)
  return segment === undefined
    ? Effect.fail(new Invalid({ issues: [{ path: field, message: `Invalid hyperlink - No URL match.` }] }))
    : Effect.succeed(parseLookup(segment))
}

/** The id of the package or category `ref` names; an unknown one is a field error, as DRF reports it. */
const resolve = (kind: "packages" | "categories", field: string, ref: typeof Reference.Type) =>
  Effect.flatMap(lookupOf(kind, field, ref), (lookup) => {
    const found: Effect.Effect<number, NotFound | StoreUnavailable, Packages | Categories> =
      kind === "packages"
        ? Effect.flatMap(Packages, (p) => Effect.map(p.get(lookup), (x) => x.id))
        : Effect.flatMap(Categories, (c) => Effect.map(c.get(lookup), (x) => x.id))
    const shown = "id" in lookup ? lookup.id : lookup.slug
    return Effect.catchIf(
      found,
      (e): e is NotFound => e instanceof NotFound,
      () =>
        Effect.fail(
          new Invalid({ issues: [{ path: field, message: `Invalid pk "${shown}" - object does not exist.` }] })
        )
    )
  })

const when = (field: string, value: string | null | undefined): Effect.Effect<Timestamp | null | undefined, Invalid> =>
  value === undefined || value === null
    ? Effect.succeed(value)
    : Either.match(parseTimestamp(value), {
        onLeft: (message) => Effect.fail(new Invalid({ issues: [{ path: field, message }] })),
        onRight: (t) => Effect.succeed(t)
      })

const ADMIN_FIELDS = ["date_deprecated", "deprecates_package", "date_repo_archived"] as const

/** A decoded package body as a store patch, resolving references; deprecation fields need an admin. */
const packagePatch = (res: Response, input: typeof PackagePatchWrite.Type) =>
  Effect.gen(function* () {
    if (ADMIN_FIELDS.some((f) => input[f] !== undefined)) yield* authorize(res, "package.deprecate")
    const patch: { -readonly [K in keyof PackagePatch]: PackagePatch[K] } = {}
    if (input.title !== undefined) patch.title = input.title
    if (input.slug !== undefined) patch.slug = input.slug
    if (input.repo_url !== undefined) patch.repo_url = input.repo_url
    if (input.repo_host !== undefined && input.repo_host !== "") patch.repo_host = input.repo_host
    if (input.pypi_url !== undefined) patch.pypi_url = input.pypi_url
    if (input.documentation_url !== undefined) patch.documentation_url = input.documentation_url
    if (input.repo_description !== undefined) patch.repo_description = input.repo_description
    if (input.category !== undefined)
      patch.category = (yield* resolve("categories", "category", input.category)) as Package["category"]
    if (input.deprecates_package !== undefined) {
      patch.deprecates_package =
        input.deprecates_package === null
          ? null
          : ((yield* resolve(
              "packages",
              "deprecates_package",
              input.deprecates_package
            )) as Package["deprecates_package"])
    }
    const deprecated = yield* when("date_deprecated", input.date_deprecated)
    if (deprecated !== undefined) {
      patch.date_deprecated = deprecated
      patch.deprecated_by = deprecated === null ? null : actorOf(res)!.user.id
    }
    const archived = yield* when("date_repo_archived", input.date_repo_archived)
    if (archived !== undefined) patch.date_repo_archived = archived
    return patch
  })

export const registerWrites = (router: Router, runtime: AppRuntime, config: ServerConfig, log: Logger) => {
  /** Runs a write and answers `status` with the serialized result (204 without a body when `serialize` is absent). */
  const write =
    <A>(
      view: View,
      allow: (res: Response) => string,
      effect: (req: Request, res: Response) => Effect.Effect<A, unknown, AppServices>,
      status: number,
      serialize?: (req: Request, a: A) => { body: unknown; etag?: string; location?: string }
    ) =>
    (req: Request, res: Response) => {
      const options = { allow: allow(res), view, log }
      // A client that cannot read the answer is refused before anything is written.
      if (refuseUnrenderable(req, res, options)) return
      return run(
        runtime,
        req,
        res,
        effect(req, res),
        (a) => {
          if (serialize === undefined) {
            res.status(status).setHeader("Allow", options.allow)
            return res.end()
          }
          const out = serialize(req, a)
          const headers: Record<string, string> = {}
          if (out.etag !== undefined) headers.ETag = out.etag
          if (out.location !== undefined) headers.Location = out.location
          send(req, res, status, out.body, { ...options, headers })
        },
        options
      )
    }

  const packageOut = (req: Request, p: Package) => ({
    body: packageV4(wireFor(req, config), p),
    etag: etagOf("package", p.id, p.revision),
    location: wireFor(req, config).link(`/api/v4/packages/${p.id}/`)
  })

  const updatePackage = (partial: boolean) => (req: Request, res: Response) =>
    Effect.gen(function* () {
      const user = yield* authorize(res, "package.update")
      const input: typeof PackagePatchWrite.Type = partial
        ? yield* body(PackagePatchWrite, req)
        : yield* body(PackageWrite, req)
      const patch = yield* packagePatch(res, input)
      const packages = yield* Packages
      const current = yield* packages.get(parseLookup(String(req.params.lookup)))
      const ifRevision = ifMatchRevision(req, "package", current.id)
      return yield* packages.update({ id: current.id }, patch, {
        actor: user.id,
        ...(ifRevision === undefined ? {} : { ifRevision })
      })
    })

  router.post(
    "/packages/",
    write(
      Views.packageList,
      Allow.packageList,
      (req, res) =>
        Effect.gen(function* () {
          const user = yield* authorize(res, "package.create")
          const input = yield* body(PackageWrite, req)
          const patch = yield* packagePatch(res, input)
          return yield* Effect.flatMap(Packages, (p) =>
            p.create(
              { ...patch, slug: input.slug, title: input.title, repo_url: input.repo_url, category: patch.category! },
              user.id
            )
          )
        }),
      201,
      packageOut
    )
  )
  router.put(
    "/packages/:lookup/",
    write(Views.packageInstance, Allow.packageInstance, updatePackage(false), 200, packageOut)
  )
  router.patch(
    "/packages/:lookup/",
    write(Views.packageInstance, Allow.packageInstance, updatePackage(true), 200, packageOut)
  )
  router.delete(
    "/packages/:lookup/",
    write(
      Views.packageInstance,
      Allow.packageInstance,
      (req, res) =>
        Effect.gen(function* () {
          yield* authorize(res, "package.delete")
          const packages = yield* Packages
          const current = yield* packages.get(parseLookup(String(req.params.lookup)))
          return yield* packages.remove({ id: current.id }, ifMatchRevision(req, "package", current.id))
        }),
      204
    )
  )

  // "Refresh this package now" (the reference's "Fetch latest data"): editors, a few times per window each.
  const refreshLimit = rateLimiter(REFRESH_LIMIT.requests, REFRESH_LIMIT.windowMillis)
  const refreshAllow = (res: Response) => (can(role(res), "package.refresh") ? "POST, OPTIONS" : "OPTIONS")
  router.post("/packages/:lookup/refresh/", (req, res) => {
    const options = { allow: refreshAllow(res), view: Views.packageRefresh, log }
    if (refuseUnrenderable(req, res, options)) return
    // Counted only for callers who may refresh: the others get their 401 or 403 below.
    const actor = actorOf(res)
    if (actor !== null && can(actor.user.role, "package.refresh")) {
      const verdict = refreshLimit.take(actor.user.id)
      if (!verdict.ok) {
        return send(
          req,
          res,
          429,
          { detail: `Request was throttled. Expected available in ${verdict.retryAfterSeconds} seconds.` },
          { ...options, headers: { "Retry-After": String(verdict.retryAfterSeconds) } }
        )
      }
    }
    return run(
      runtime,
      req,
      res,
      Effect.gen(function* () {
        const user = yield* authorize(res, "package.refresh")
        const packages = yield* Packages
        const current = yield* packages.get(parseLookup(String(req.params.lookup)))
        let event: PackageEvent | undefined
        yield* Effect.flatMap(Refresher, (r) =>
          r.run({ slug: current.slug, worker: `api:${user.username}`, onPackage: (e) => (event = e) })
        )
        return { pkg: yield* packages.get({ id: current.id }), event }
      }),
      ({ event, pkg }) => {
        if (event === undefined) {
          const detail =
            pkg.date_deprecated !== null
              ? "A deprecated package is not refreshed."
              : "This package is being refreshed already; try again shortly."
          return send(req, res, 409, { detail }, options)
        }
        const out = packageOut(req, pkg)
        send(req, res, 200, out.body, {
          ...options,
          headers: { ETag: out.etag, "X-Refresh-Status": event.status, ...refreshReason(event) }
        })
      },
      options
    )
  })

  // Grids, their members, features and cells.
  const gridOut = (req: Request, g: Grid) =>
    Effect.map(
      Effect.flatMap(Packages, (p) => p.idsInGrids([g.id])),
      (members) => ({
        body: gridV4(wireFor(req, config), g, members.get(g.id) ?? []),
        etag: etagOf("grid", g.id, g.revision),
        location: wireFor(req, config).link(`/api/v4/grids/${g.id}/`)
      })
    )
  const gridWrite = (
    view: View,
    allow: (res: Response) => string,
    action: Action,
    status: number,
    f: (
      req: Request,
      res: Response,
      lookup: { id: number },
      ifRevision: number | undefined
    ) => Effect.Effect<Grid, unknown, AppServices>
  ) =>
    write(
      view,
      allow,
      (req, res) =>
        Effect.gen(function* () {
          yield* authorize(res, action)
          const current = yield* Effect.flatMap(Grids, (g) => g.get(parseLookup(String(req.params.lookup))))
          const grid = yield* f(req, res, { id: current.id }, ifMatchRevision(req, "grid", current.id))
          return yield* gridOut(req, grid)
        }),
      status,
      (_req, out) => out
    )

  router.post(
    "/grids/",
    write(
      Views.gridList,
      Allow.gridList,
      (req, res) =>
        Effect.gen(function* () {
          yield* authorize(res, "grid.create")
          const input = yield* body(GridWrite, req)
          const grid = yield* Effect.flatMap(Grids, (g) => g.create(defined(input)))
          return yield* gridOut(req, grid)
        }),
      201,
      (_req, out) => out
    )
  )
  for (const partial of [false, true]) {
    router[partial ? "patch" : "put"](
      "/grids/:lookup/",
      gridWrite(Views.gridInstance, Allow.gridInstance, "grid.update", 200, (req, _res, lookup, ifRevision) =>
        Effect.flatMap(partial ? body(GridPatchWrite, req) : body(GridWrite, req), (input) =>
          Effect.flatMap(Grids, (g) => g.update(lookup, defined(input), ifRevision))
        )
      )
    )
  }
  router.delete(
    "/grids/:lookup/",
    write(
      Views.gridInstance,
      Allow.gridInstance,
      (req, res) =>
        Effect.gen(function* () {
          yield* authorize(res, "grid.delete")
          const grids = yield* Grids
          const current = yield* grids.get(parseLookup(String(req.params.lookup)))
          return yield* grids.remove({ id: current.id }, ifMatchRevision(req, "grid", current.id))
        }),
      204
    )
  )

  const memberAllow = (res: Response) => allowedMethods(role(res), { POST: "grid.package.add" })
  router.post(
    "/grids/:lookup/packages/",
    gridWrite(Views.gridInstance, memberAllow, "grid.package.add", 200, (req, _res, lookup, ifRevision) =>
      Effect.gen(function* () {
        const input = yield* body(GridPackageWrite, req)
        const pkg = yield* resolve("packages", "package", input.package)
        return yield* Effect.flatMap(Grids, (g) => g.addPackage(lookup, pkg, ifRevision))
      })
    )
  )
  router.delete(
    "/grids/:lookup/packages/:package/",
    gridWrite(
      Views.gridInstance,
      (res) => allowedMethods(role(res), { DELETE: "grid.package.remove" }),
      "grid.package.remove",
      200,
      (req, _res, lookup, ifRevision) =>
        Effect.gen(function* () {
          const pkg = yield* Effect.flatMap(Packages, (p) => p.get(parseLookup(String(req.params.package))))
          return yield* Effect.flatMap(Grids, (g) => g.removePackage(lookup, pkg.id, ifRevision))
        })
    )
  )
  router.post(
    "/grids/:lookup/features/",
    gridWrite(
      Views.gridInstance,
      (res) => allowedMethods(role(res), { POST: "grid.feature.add" }),
      "grid.feature.add",
      201,
      (req, _res, lookup, ifRevision) =>
        Effect.flatMap(body(FeatureWrite, req), (input) =>
          Effect.flatMap(Grids, (g) => g.addFeature(lookup, defined(input), ifRevision))
        )
    )
  )
  const featureAllow = (res: Response) =>
    allowedMethods(role(res), { PATCH: "grid.feature.update", DELETE: "grid.feature.remove" })
  router.patch(
    "/grids/:lookup/features/:feature/",
    gridWrite(Views.gridInstance, featureAllow, "grid.feature.update", 200, (req, _res, lookup, ifRevision) =>
      Effect.flatMap(body(FeaturePatchWrite, req), (input) =>
        Effect.flatMap(Grids, (g) => g.updateFeature(lookup, featureId(req), defined(input), ifRevision))
      )
    )
  )
  router.delete(
    "/grids/:lookup/features/:feature/",
    gridWrite(Views.gridInstance, featureAllow, "grid.feature.remove", 200, (req, _res, lookup, ifRevision) =>
      Effect.flatMap(Grids, (g) => g.removeFeature(lookup, featureId(req), ifRevision))
    )
  )
  router.put(
    "/grids/:lookup/elements/",
    gridWrite(
      Views.gridInstance,
      (res) => allowedMethods(role(res), { PUT: "grid.element.set" }),
      "grid.element.set",
      200,
      (req, _res, lookup, ifRevision) =>
        Effect.gen(function* () {
          const input = yield* body(ElementWrite, req)
          const pkg = yield* resolve("packages", "package", input.package)
          return yield* Effect.flatMap(Grids, (g) =>
            g.setElement(lookup, { package: pkg, feature: input.feature, text: input.text }, ifRevision)
          )
        })
    )
  )

  // Categories: admins only.
  const categoryOut = (req: Request, c: Category) => ({
    body: categoryV4(wireFor(req, config), c),
    etag: etagOf("category", c.id, c.modified),
    location: wireFor(req, config).link(`/api/v4/categories/${c.id}/`)
  })
  const categoryId = (req: Request) => {
    const lookup = parseLookup(String(req.params.lookup))
    return "id" in lookup ? lookup.id : -1
  }
  router.post(
    "/categories/",
    write(
      Views.categoryList,
      Allow.categoryList,
      (req, res) =>
        Effect.gen(function* () {
          yield* authorize(res, "category.create")
          return yield* Effect.flatMap(Categories, (c) =>
            Effect.flatMap(body(CategoryWrite, req), (input) => c.create(defined(input)))
          )
        }),
      201,
      categoryOut
    )
  )
  for (const partial of [false, true]) {
    router[partial ? "patch" : "put"](
      "/categories/:lookup/",
      write(
        Views.categoryInstance,
        Allow.categoryInstance,
        (req, res) =>
          Effect.gen(function* () {
            yield* authorize(res, "category.update")
            const input = partial ? yield* body(CategoryPatchWrite, req) : yield* body(CategoryWrite, req)
            const id = categoryId(req)
            return yield* Effect.flatMap(Categories, (c) =>
              c.update(id, defined(input), ifMatchRevision(req, "category", id))
            )
          }),
        200,
        categoryOut
      )
    )
  }
  router.delete(
    "/categories/:lookup/",
    write(
      Views.categoryInstance,
      Allow.categoryInstance,
      (req, res) =>
        Effect.gen(function* () {
          yield* authorize(res, "category.delete")
          const id = categoryId(req)
          return yield* Effect.flatMap(Categories, (c) => c.remove(id, ifMatchRevision(req, "category", id)))
        }),
      204
    )
  )
}

/** How often one user may ask for a refresh (the upstreams' quotas are the site's, not the user's). */
export const REFRESH_LIMIT = { requests: 5, windowMillis: 10 * 60_000 } as const

// Header values are ASCII: the reason is an error tag and a host, never upstream text.
const refreshReason = (event: PackageEvent): Record<string, string> =>
  event.reason === null ? {} : { "X-Refresh-Reason": event.reason.replace(/[^\x20-\x7e]/g, "?") }

/** Drops absent optional fields: decoded bodies mark them `undefined`, the store's drafts leave them out. */
const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>
  }

const featureId = (req: Request) => (/^\d+$/.test(String(req.params.feature)) ? Number(req.params.feature) : -1)
