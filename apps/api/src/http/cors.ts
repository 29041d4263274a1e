/** CORS for the configured origins only (`PACKGRID_CORS_ORIGINS`); other origins get no CORS headers. */
import type { NextFunction, Request, Response } from "express"

export const cors = (origins: ReadonlyArray<string>) => (req: Request, res: Response, next: NextFunction) => {
  const origin = req.get("origin")
  if (origin === undefined || !(origins.includes(origin) || origins.includes("*"))) return next()
  res.setHeader("Access-Control-Allow-Origin", origins.includes("*") ? "*" : origin)
  res.append("Vary", "Origin")
  // Cookies never cross origins: other sites authenticate with tokens.
  res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match, If-None-Match")
  res.setHeader("Access-Control-Expose-Headers", "ETag, Location, Allow")
  if (req.method === "OPTIONS" && req.get("access-control-request-method") !== undefined) {
    res.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS")
    res.setHeader("Access-Control-Max-Age", "600")
    return res.status(204).end()
  }
  next()
}
