/** API v4, djangopackages-compatible. */
import { Router } from "express"
import { Effect } from "effect"
import { parseLookup } from "@packgrid/core/Domain/Ids"
import { Packages } from "@packgrid/core/Store/Packages"
import type { ServerConfig } from "../config.ts"
import { envelope, parsePageQuery } from "../http/pagination.ts"
import { type Logger, requestUrl, run, sendJson, wireFor } from "../http/respond.ts"
import type { AppRuntime } from "../runtime.ts"
import { packageV4 } from "./serializers.ts"

export const v4Router = (runtime: AppRuntime, config: ServerConfig, log: Logger) => {
  const router = Router()

  router.get("/packages/", (req, res) => {
    const page = parsePageQuery(req.query)
    if ("error" in page) return sendJson(res, 400, page.error)
    const wire = wireFor(req, config)
    return run(
      runtime,
      res,
      Effect.flatMap(Packages, (p) => p.list({ ...page, order: "-id" })),
      ({ count, results }) =>
        sendJson(
          res,
          200,
          envelope(
            requestUrl(req, config),
            page,
            count,
            results.map((p) => packageV4(wire, p))
          )
        ),
      log
    )
  })

  router.get("/packages/:lookup/", (req, res) =>
    run(
      runtime,
      res,
      Effect.flatMap(Packages, (p) => p.get(parseLookup(req.params.lookup))),
      (pkg) => sendJson(res, 200, packageV4(wireFor(req, config), pkg)),
      log
    )
  )

  return router
}
