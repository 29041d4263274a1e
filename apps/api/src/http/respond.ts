/** Runs a handler's effect on the app runtime and writes DRF-shaped answers. */
import type { Request, Response } from "express"
import type { Effect } from "effect"
import { Exit } from "effect"
import type { ServerConfig } from "../config.ts"
import type { AppRuntime, AppServices } from "../runtime.ts"
import type { Wire } from "../v4/serializers.ts"
import { pythonJson, renderBrowsable } from "./browsable.ts"
import { httpErrorOf } from "./errors.ts"
import { formatSuffixOf, isRefusal, negotiate, queryFormat, type Refusal, refusalAnswer } from "./negotiate.ts"

export const READ_ONLY = "GET, HEAD, OPTIONS"

/** The request's absolute base URL: `PACKGRID_PUBLIC_URL` when set, else scheme and Host of the request. */
export const baseUrl = (req: Request, config: ServerConfig) =>
  config.publicUrl ?? `${req.protocol}://${req.get("host") ?? `${config.host}:${config.port}`}`

export const requestUrl = (req: Request, config: ServerConfig) => `${baseUrl(req, config)}${req.originalUrl}`

/**
 * Hyperlinks keep the request's format as DRF's `reverse` does: a format suffix stays a suffix
 * (`…/categories/1.json`, the router root's `…/v4/.json`), and `?format=` is carried as given.
 */
export const wireFor = (req: Request, config: ServerConfig): Wire => {
  const base = baseUrl(req, config)
  const format = queryFormat(req)
  const query = format === undefined ? "" : `?format=${encodeURIComponent(format)}`
  const suffix = formatSuffixOf(req)
  const root = `${req.baseUrl}/`
  const suffixed = (path: string) =>
    suffix === undefined ? path : path === root ? `${root}.${suffix}` : `${path.replace(/\/$/, "")}.${suffix}`
  return { link: (path) => `${base}${suffixed(path)}${query}`, zone: config.timeZone }
}

/** What DRF calls a view: its name and docstring, shown by the browsable API and OPTIONS. */
export interface View {
  readonly name: string
  readonly description: string
}

export interface SendOptions {
  /** The methods this caller may use here (the `Allow` header). */
  readonly allow: string
  readonly view: View
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * DRF's JSON renderer: compact, or indented as Python's json.dumps prints it when the client asked for
 * `Accept: application/json; indent=N`. The two JavaScript line terminators that JSON allows raw are escaped.
 */
export const renderJson = (body: unknown, indent?: number) =>
  indent === undefined
    ? JSON.stringify(body)
        .replace(/\u2028/g, "\\u2028")
        .replace(/\u2029/g, "\\u2029")
    : pythonJson(body, indent)

const end = (res: Response, contentType: string, text: string) => {
  // Exactly DRF's header: res.send would append "; charset=utf-8" to JSON.
  res.setHeader("Content-Type", contentType)
  const bytes = Buffer.from(text, "utf8")
  // HEAD: node sends the headers, Content-Length included, and drops the body.
  res.setHeader("Content-Length", bytes.length)
  res.end(bytes)
}

/** `Allow`, and `Accept` added to `Vary` (kept, as Django's `patch_vary_headers` does, e.g. CORS's `Origin`). */
const viewHeaders = (res: Response, options: SendOptions) => {
  res.setHeader("Allow", options.allow)
  const vary = res.getHeader("Vary")
  const present = (Array.isArray(vary) ? vary.join(",") : String(vary ?? ""))
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "")
  if (!present.some((v) => v.toLowerCase() === "accept" || v === "*")) present.push("Accept")
  res.setHeader("Vary", present.join(", "))
}

/** DRF's answer when it cannot render the asked format: a JSON 404 or 406 with the view's Allow and Vary. */
const refuse = (res: Response, refusal: Refusal, options: SendOptions) => {
  const { body, status } = refusalAnswer(refusal)
  res.status(status)
  viewHeaders(res, options)
  end(res, "application/json", renderJson(body))
}

/**
 * DRF negotiates before the view runs: answers the 404 (unknown `?format=` or suffix) or 406 (`Accept`
 * nothing satisfies) and returns true, or returns false and leaves the request to its handler.
 * `route()` calls it first; `send` checks again for handlers registered without it.
 */
export const refuseUnrenderable = (req: Request, res: Response, options: SendOptions): boolean => {
  const negotiation = negotiate(req)
  if (!isRefusal(negotiation)) return false
  refuse(res, negotiation, options)
  return true
}

/**
 * Answers with `body` as JSON or, when the client asks for it (`?format=api`, `.api`, `Accept: text/html`),
 * as the browsable API page, with DRF's `Allow` and `Vary` headers. An unknown format is DRF's 404 and an
 * unsatisfiable `Accept` its 406, whatever `status` and `body` were.
 */
export const send = (req: Request, res: Response, status: number, body: unknown, options: SendOptions) => {
  const negotiation = negotiate(req)
  if (isRefusal(negotiation)) return refuse(res, negotiation, options)
  res.status(status)
  viewHeaders(res, options)
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value)
  if (negotiation.kind === "api") {
    return end(res, "text/html; charset=utf-8", renderBrowsable(req, res, status, body, options))
  }
  return end(res, "application/json", renderJson(body, negotiation.indent))
}

/** DRF's `SimpleMetadata` for a read-only view: what OPTIONS answers. */
export const metadata = (view: View) => ({
  name: view.name,
  description: view.description,
  renders: ["application/json", "text/html"],
  parses: ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
})

/** Answers OPTIONS as DRF does: 200, the view's metadata, its Allow and Vary (negotiated like any answer). */
export const sendMetadata = (req: Request, res: Response, options: SendOptions) =>
  send(req, res, 200, metadata(options.view), options)

export type Logger = (message: string, fields?: Record<string, unknown>) => void

export interface RunOptions extends SendOptions {
  readonly log: Logger
}

/** Runs `effect`; on success `onSuccess` answers, on failure the error table does. Never rejects. */
export const run = async <A>(
  runtime: AppRuntime,
  req: Request,
  res: Response,
  effect: Effect.Effect<A, unknown, AppServices>,
  onSuccess: (a: A) => void,
  options: RunOptions
) => {
  const exit = await runtime.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return onSuccess(exit.value)
  const error = httpErrorOf(exit, (cause) => options.log("handler failed", { cause: String(cause) }))
  send(req, res, error.status, error.body, options)
}
