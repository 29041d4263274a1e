/** The browsable API page (to be written: DRF's text, escaped). */
import type { Request, Response } from "express"
import type { SendOptions } from "./respond.ts"
import { renderJson } from "./respond.ts"

export const renderBrowsable = (
  _req: Request,
  _res: Response,
  _status: number,
  body: unknown,
  _options: SendOptions
): string => `<pre>${renderJson(body)}</pre>`
