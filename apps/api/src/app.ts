/** The Express application: middleware, the API routers and the web dashboard. */
import express, { type NextFunction, type Request, type Response } from "express"
import { existsSync } from "node:fs"
import { join } from "node:path"
import type { ServerConfig } from "./config.ts"
import { type Logger, READ_ONLY, send } from "./http/respond.ts"
import type { AppRuntime } from "./runtime.ts"
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
  app.use("/api/v4", v4Router(runtime, config, log))

  app.use("/api", (req, res) => send(req, res, 404, { detail: "Not found." }, plain))

  if (webRoot !== undefined && existsSync(join(webRoot, "index.html"))) {
    app.use(express.static(webRoot, { index: "index.html", maxAge: "1h" }))
    app.get("/{*rest}", (_req, res) => res.sendFile(join(webRoot, "index.html")))
  }

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    log("unhandled error", { error: String(err) })
    if (!res.headersSent) send(req, res, 500, { detail: "A server error occurred." }, plain)
  })
  return app
}
