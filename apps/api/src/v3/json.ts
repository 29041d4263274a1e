/**
 * The bytes the reference's APIv3 writes: django-jsonview's `json.dumps(data, cls=DjangoJSONEncoder)` with
 * Python's defaults (`", "` and `": "` separators, every non-ASCII character escaped as `\uXXXX`), sent
 * as `Content-Type: application/json` without a charset.
 */
import type { Response } from "express"
import { formatTimestamp, type Timestamp } from "@packgrid/core/Domain/Timestamp"

/** A JSON value as the v3 resources build it; object keys keep their insertion order, as Python dicts do. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

const SHORT_ESCAPES: Record<number, string> = {
  0x22: '\\"',
  0x5c: "\\\\",
  0x08: "\\b",
  0x0c: "\\f",
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t"
}

/** Python's `encode_basestring_ascii`: printable ASCII stays, the rest is `\uXXXX` (lower-case hex, UTF-16 units). */
const pythonString = (s: string): string => {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i)
    const short = SHORT_ESCAPES[unit]
    if (short !== undefined) out += short
    else if (unit >= 0x20 && unit <= 0x7e) out += s[i]
    else out += `\\u${unit.toString(16).padStart(4, "0")}`
  }
  return `${out}"`
}

/** `json.dumps(value)` with Python's default options. */
export const pythonJson = (value: Json): string => {
  if (value === null) return "null"
  if (typeof value === "boolean") return value ? "true" : "false"
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null"
  if (typeof value === "string") return pythonString(value)
  if (Array.isArray(value)) return `[${(value as ReadonlyArray<Json>).map(pythonJson).join(", ")}]`
  const entries = Object.entries(value as { readonly [key: string]: Json })
  return `{${entries.map(([k, v]) => `${pythonString(k)}: ${pythonJson(v)}`).join(", ")}}`
}

/**
 * DjangoJSONEncoder on the datetimes the reference's ORM returns: aware and in UTC (`USE_TZ=True` on
 * PostgreSQL), so `isoformat()` cut to milliseconds (no fraction when the microseconds are zero) and
 * `+00:00` written as `Z`, e.g. `2013-09-01T17:55:38.132Z`. The 2015 documentation examples
 * (`2015-02-28T12:04:58.537`) have no zone only because the site then stored naive datetimes.
 */
export const djangoDateTime = (t: Timestamp | null): string | null =>
  t === null ? null : formatTimestamp(t, "UTC").replace(/^(.*\.\d{3})\d{3}Z$/, "$1Z")

/** Writes `body` with `status` exactly as jsonview does (a HEAD request gets the headers only). */
export const writeJson = (res: Response, status: number, body: Json, headers: Record<string, string> = {}) => {
  const bytes = Buffer.from(pythonJson(body), "utf8")
  res.status(status)
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  res.setHeader("Content-Type", "application/json")
  res.setHeader("Content-Length", bytes.length)
  res.end(bytes)
}
