/** DRF's content negotiation: `?format=`, then the `Accept` header. */
import type { Request } from "express"

export type Format = "json" | "api" | "unacceptable"

export const negotiate = (req: Request): Format => {
  const format = req.query.format
  if (format === "json") return "json"
  if (format === "api") return "api"
  return (req.get("accept") ?? "").includes("text/html") ? "api" : "json"
}
