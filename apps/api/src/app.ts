/** The Express application: middleware, the API routers and the web dashboard. */
import express, { type NextFunction, type Request, type Response } from "express"
import { existsSync } from "node:fs"
import { join } from "node:path"
import type { ServerConfig } from "./config.ts"
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { authenticate } from "./http/auth.ts"
import { cors } from "./http/cors.ts"
import { formatSuffixes } from "./http/negotiate.ts"
import { type Logger, READ_ONLY, run, send } from "./http/respond.ts"
import { sessionRouter } from "./http/session.ts"
import type { AppRuntime } from "./runtime.ts"
import { v1Gone, v3Router } from "./v3/routes.ts"
import { v4Router } from "./v4/routes.ts"

export interface AppOptions {
  readonly runtime: AppRuntime
  readonly config: ServerConfig
  readonly log: Logger
  /** The built web dashboard, served at `/` when present. */
  readonly webRoot?: string | undefined
}

export const makeApp = ({ config, log, runtime, webRoot }: AppOptions) => {
  const app = express()
  app.disable("x-powered-by")
  app.set("trust proxy", "loopback")
  app.set("query parser", "simple")

  app.use((req, res, next) => {
    const started = process.hrtime.bigint()
    res.on("finish", () => {
      log("request", {
        method: req.method,
        path: req.baseUrl + req.path,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000
      })
    })
    res.setHeader("X-Content-Type-Options", "nosniff")
    res.setHeader("Referrer-Policy", "same-origin")
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin")
    res.setHeader("X-Frame-Options", "DENY")
    next()
  })

  // The reference answers every /api/v1/… with 410 Gone, before any slash handling.
  app.use("/api/v1", v1Gone)

  // DRF's format suffixes (`/api/v4/packages/2012.json`), read before the slash rule would redirect them.
  app.use("/api/v4", formatSuffixes)

  // Django's APPEND_SLASH: API paths end with a slash; a path without one is redirected.
  app.use("/api", (req, res, next) => {
    if ((req.method === "GET" || req.method === "HEAD") && !req.path.endsWith("/")) {
      const q = req.originalUrl.indexOf("?")
      const path = q === -1 ? req.originalUrl : req.originalUrl.slice(0, q)
      return res.redirect(301, `${path}/${q === -1 ? "" : req.originalUrl.slice(q)}`)
    }
    next()
  })

  const plain = { allow: READ_ONLY, view: { name: "Not Found", description: "" } }
  app.get("/healthz", (req, res) => send(req, res, 200, { status: "ok" }, plain))
  // Ready when the database answers: what a load balancer should route on.
  app.get("/readyz", (req, res) =>
    run(
      runtime,
      req,
      res,
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1`),
      () => send(req, res, 200, { status: "ready" }, plain),
      { ...plain, log }
    )
  )

  app.use("/api", cors(config.corsOrigins))
  // API v3 is public and read-only: mounted before authentication, so a bad token cannot break its reads.
  app.use("/api/v3", v3Router(runtime, config, log))
  app.use("/api", (req, res, next) => {
    // Writes take JSON only; anything else is refused before it is parsed (DRF's 415).
    const hasBody = req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS" && req.method !== "DELETE"
    // A POST that sends nothing at all (an action such as "refresh this package") has no media type to refuse.
    const empty =
      req.method === "POST" &&
      req.get("transfer-encoding") === undefined &&
      Number(req.get("content-length") ?? "0") === 0 &&
      req.get("content-type") === undefined
    if (hasBody && !empty && !req.is("application/json")) {
      return send(
        req,
        res,
        415,
        { detail: `Unsupported media type "${req.get("content-type") ?? ""}" in request.` },
        plain
      )
    }
    // JSON is UTF-8 (RFC 8259 §8.1). Another charset would be decoded into something else than was sent
    // (a lone byte as UTF-16 decodes to nothing, which the parser reads as `{}`).
    const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.get("content-type") ?? "")?.[1]?.toLowerCase()
    if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
      return send(req, res, 415, { detail: `Unsupported charset "${charset}" in request: JSON is UTF-8.` }, plain)
    }
    next()
  })
  app.use("/api", express.json({ limit: config.bodyLimit, strict: false }))
  app.use("/api", authenticate(runtime, log))
  app.use("/api/session", sessionRouter(runtime, log))
  app.use("/api/v4", v4Router(runtime, config, log))

  app.use("/api", (req, res) => send(req, res, 404, { detail: "Not found." }, plain))

  if (webRoot !== undefined && existsSync(join(webRoot, "index.html"))) {
    app.use(express.static(webRoot, { index: "index.html", maxAge: "1h" }))
    app.get("/{*rest}", (_req, res) => res.sendFile(join(webRoot, "index.html")))
  }

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return
    // The body parser's failures are the client's: malformed JSON, too large, a bad encoding.
    const status = typeof err === "object" && err !== null && "status" in err ? Number(err.status) : 500
    const type = typeof err === "object" && err !== null && "type" in err ? err.type : undefined
    if (type === "entity.parse.failed")
      return send(req, res, 400, { detail: `JSON parse error - ${(err as Error).message}` }, plain)
    if (status === 413)
      return send(req, res, 413, { detail: `Request body too large: at most ${config.bodyLimit}.` }, plain)
    if (status >= 400 && status < 500) return send(req, res, status, { detail: (err as Error).message }, plain)
    log("unhandled error", { error: String(err) })
    send(req, res, 500, { detail: "A server error occurred." }, plain)
  })
  return app
}
