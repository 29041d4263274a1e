/** Runs a handler's effect on the app runtime and writes DRF-shaped answers. */
import type { Request, Response } from "express"
import type { Effect } from "effect"
import { Exit } from "effect"
import type { ServerConfig } from "../config.ts"
import type { AppRuntime, AppServices } from "../runtime.ts"
import type { Wire } from "../v4/serializers.ts"
import { httpErrorOf } from "./errors.ts"

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

// DRF's JSON renderer escapes the two JavaScript line terminators that JSON allows raw.
const renderJson = (body: unknown) =>
  JSON.stringify(body)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")

export const sendJson = (res: Response, status: number, body: unknown, allow: string = READ_ONLY) => {
  res.status(status)
  res.setHeader("Allow", allow)
  res.setHeader("Vary", "Accept")
  // Exactly DRF's header: res.send would append "; charset=utf-8".
  res.setHeader("Content-Type", "application/json")
  const bytes = Buffer.from(renderJson(body), "utf8")
  res.setHeader("Content-Length", bytes.length)
  res.end(bytes)
}

export type Logger = (message: string, fields?: Record<string, unknown>) => void

/** Runs `effect`; on success `onSuccess` answers, on failure the error table does. Never rejects. */
export const run = async <A>(
  runtime: AppRuntime,
  res: Response,
  effect: Effect.Effect<A, unknown, AppServices>,
  onSuccess: (a: A) => void,
  log: Logger,
  allow: string = READ_ONLY
) => {
  const exit = await runtime.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return onSuccess(exit.value)
  const error = httpErrorOf(exit, (cause) => log("handler failed", { cause: String(cause) }))
  sendJson(res, error.status, error.body, allow)
}
