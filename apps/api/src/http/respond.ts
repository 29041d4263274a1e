/** Runs a handler's effect on the app runtime and writes DRF-shaped answers. */
import type { Request, Response } from "express"
import type { Effect } from "effect"
import { Exit } from "effect"
import type { ServerConfig } from "../config.ts"
import type { AppRuntime, AppServices } from "../runtime.ts"
import type { Wire } from "../v4/serializers.ts"
import { renderBrowsable } from "./browsable.ts"
import { httpErrorOf } from "./errors.ts"
import { negotiate } from "./negotiate.ts"

export const READ_ONLY = "GET, HEAD, OPTIONS"

/** The request's absolute base URL: `PACKGRID_PUBLIC_URL` when set, else scheme and Host of the request. */
export const baseUrl = (req: Request, config: ServerConfig) =>
  config.publicUrl ?? `${req.protocol}://${req.get("host") ?? `${config.host}:${config.port}`}`

export const requestUrl = (req: Request, config: ServerConfig) => `${baseUrl(req, config)}${req.originalUrl}`

/** Hyperlinks keep the request's `?format=` as DRF's `reverse` does. */
export const wireFor = (req: Request, config: ServerConfig): Wire => {
  const base = baseUrl(req, config)
  const format = typeof req.query.format === "string" ? req.query.format : undefined
  const suffix = format === undefined ? "" : `?format=${encodeURIComponent(format)}`
  return { link: (path) => `${base}${path}${suffix}`, zone: config.timeZone }
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

// DRF's JSON renderer escapes the two JavaScript line terminators that JSON allows raw.
export const renderJson = (body: unknown) =>
  JSON.stringify(body)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")

const end = (res: Response, contentType: string, text: string) => {
  // Exactly DRF's header: res.send would append "; charset=utf-8" to JSON.
  res.setHeader("Content-Type", contentType)
  const bytes = Buffer.from(text, "utf8")
  res.setHeader("Content-Length", bytes.length)
  res.end(bytes)
}

/**
 * Answers with `body` as JSON or, when the client asks for it (`?format=api`, `Accept: text/html`), as
 * the browsable API page, with DRF's `Allow` and `Vary` headers.
 */
export const send = (req: Request, res: Response, status: number, body: unknown, options: SendOptions) => {
  const format = negotiate(req)
  res.status(format === "unacceptable" ? 406 : status)
  res.setHeader("Allow", options.allow)
  res.setHeader("Vary", "Accept")
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value)
  if (format === "unacceptable") {
    return end(res, "application/json", renderJson({ detail: "Could not satisfy the request Accept header." }))
  }
  if (format === "api") return end(res, "text/html; charset=utf-8", renderBrowsable(req, res, status, body, options))
  return end(res, "application/json", renderJson(body))
}

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
