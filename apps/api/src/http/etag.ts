/** Entity tags: a row's revision, so `If-None-Match` saves a download and a stale `If-Match` is refused. */
import type { Request } from "express"

export const etagOf = (entity: string, id: number, revision: number) => `"${entity}-${id}-${revision}"`

/** True when the client's cached copy (`If-None-Match`) is current. */
export const notModified = (req: Request, etag: string): boolean => {
  const header = req.get("if-none-match")
  if (header === undefined) return false
  return header.trim() === "*" || header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)
}

/**
 * The revision an `If-Match` names for this object: `undefined` when the header is absent or `*`,
 * `0` when it names another object or is malformed (no revision is 0, so the write gets 412).
 */
export const ifMatchRevision = (req: Request, entity: string, id: number): number | undefined => {
  const header = req.get("if-match")?.trim()
  if (header === undefined || header === "*") return undefined
  for (const tag of header.split(",")) {
    const m = /^"([a-z]+)-(\d+)-(\d+)"$/.exec(tag.trim())
    if (m !== null && m[1] === entity && Number(m[2]) === id) return Number(m[3])
  }
  return 0
}
