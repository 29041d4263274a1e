/**
 * One DRF view at one path: `route(router, "/packages/:lookup/", { view, get })` registers, in one Express
 * route, what DRF's `APIView` does for it:
 *
 * - content negotiation first: an unknown format (404) or an unsatisfiable `Accept` (406) is answered
 *   before any handler runs, so a refused write never happens;
 * - GET (Express answers HEAD with it, same headers, no body), and POST/PUT/PATCH/DELETE when given;
 * - OPTIONS with DRF's metadata (`sendMetadata`);
 * - any other method: 405 `{"detail": "Method \"POST\" not allowed."}`;
 * - `Allow` computed in DRF's order (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS) from the handlers
 *   given, unless `allow` says otherwise (a function when it depends on the caller);
 * - the browsable page's breadcrumbs from the views registered on the same router.
 *
 * Handlers receive the `SendOptions` (view and resolved Allow) to pass to `send`/`run`.
 * A write registered with a plain `router.post(path, …)` still works if it comes before the `route()` of
 * the same path (Express tries routes in order; this route answers unknown methods with 405).
 */
import type { Request, Response, Router } from "express"
import { type Crumb, setBreadcrumbs } from "./browsable.ts"
import { refuseUnrenderable, send, sendMetadata, type SendOptions, type View } from "./respond.ts"

export type Handler<P> = (req: Request<P>, res: Response, options: SendOptions) => unknown

export interface RouteSpec<P> {
  readonly view: View
  /**
   * The `Allow` header; by default every method given, with HEAD (when GET is) and OPTIONS. A function
   * when it depends on the caller (`res.locals`), e.g. writes.ts's `Allow.packageList`.
   */
  readonly allow?: string | ((res: Response, req: Request<P>) => string)
  readonly get?: Handler<P>
  readonly post?: Handler<P>
  readonly put?: Handler<P>
  readonly patch?: Handler<P>
  readonly delete?: Handler<P>
}

const WRITES = ["post", "put", "patch", "delete"] as const

/** DRF's `allowed_methods` order for the methods a spec handles. */
export const allowOf = <P>(spec: RouteSpec<P>): string =>
  [
    ...(spec.get === undefined ? [] : ["GET"]),
    ...WRITES.filter((m) => spec[m] !== undefined).map((m) => m.toUpperCase()),
    ...(spec.get === undefined ? [] : ["HEAD"]),
    "OPTIONS"
  ].join(", ")

interface Registered {
  readonly segments: ReadonlyArray<string>
  readonly view: View
}

const registries = new WeakMap<Router, Array<Registered>>()

const segmentsOf = (path: string) => path.split("/").filter((s) => s !== "")

/** An Express path's segments against a request's: literal, or any one `:param`. */
const matches = (pattern: ReadonlyArray<string>, segments: ReadonlyArray<string>) =>
  pattern.length === segments.length && pattern.every((p, i) => (p.startsWith(":") ? true : p === segments[i]))

/** DRF's `get_breadcrumbs`: each prefix of the path that is a registered view, the root first. */
const breadcrumbsOf = (registry: ReadonlyArray<Registered>, req: Request): Array<Crumb> => {
  const segments = segmentsOf(req.path)
  const trail: Array<Crumb> = []
  for (let i = 0; i <= segments.length; i++) {
    const prefix = segments.slice(0, i)
    const hit = registry.find((r) => matches(r.segments, prefix))
    if (hit !== undefined)
      trail.push({ name: hit.view.name, href: `${req.baseUrl}/${prefix.map((s) => `${s}/`).join("")}` })
  }
  return trail
}

export const route = <P = Record<string, string>>(router: Router, path: string, spec: RouteSpec<P>): void => {
  const registry = registries.get(router) ?? []
  registries.set(router, registry)
  registry.push({ segments: segmentsOf(path), view: spec.view })

  const fixedAllow = typeof spec.allow === "string" ? spec.allow : allowOf(spec)
  const optionsOf = (req: Request, res: Response): SendOptions => ({
    view: spec.view,
    allow: typeof spec.allow === "function" ? spec.allow(res, req as unknown as Request<P>) : fixedAllow
  })
  const handle = (handler: Handler<P>) => (req: Request, res: Response) =>
    handler(req as unknown as Request<P>, res, optionsOf(req, res))

  const r = router.route(path)
  r.all((req, res, next) => {
    setBreadcrumbs(res, breadcrumbsOf(registry, req))
    if (!refuseUnrenderable(req, res, optionsOf(req, res))) next()
  })
  if (spec.get !== undefined) r.get(handle(spec.get))
  for (const method of WRITES) {
    const handler = spec[method]
    if (handler !== undefined) r[method](handle(handler))
  }
  r.options((req, res) => sendMetadata(req, res, optionsOf(req, res)))
  r.all((req, res) => send(req, res, 405, { detail: `Method "${req.method}" not allowed.` }, optionsOf(req, res)))
}
