/**
 * GET /api/v4/schema/: the OpenAPI document, answered through `send()` like every other v4 view, so it is
 * negotiated the same way (`application/json`, indented on request, or the browsable page) rather than
 * as `application/vnd.oai.openapi+json`, which DRF's schema view uses and tools do not need.
 */
import type { Request, Response } from "express"
import type { ServerConfig } from "../config.ts"
import { baseUrl, send, type SendOptions, type View } from "../http/respond.ts"
import { openApiDocument } from "./document.ts"

export const schemaView: View = {
  name: "Schema",
  description: "The OpenAPI 3.1 document of this API, generated from the schemas the handlers use."
}

export const serveOpenApi = (config: ServerConfig) => (req: Request, res: Response, options: SendOptions) =>
  send(req, res, 200, openApiDocument(baseUrl(req, config)), options)
