/**
 * DRF's content negotiation (`DefaultContentNegotiation.select_renderer`) over DRF's default renderers,
 * JSON then the browsable API, and DRF's format suffixes (`/api/v4/packages/2012.json`).
 *
 * DRF's rules, kept exactly, quirks included:
 * - The format is the URL's suffix, else the last `?format=`; an empty one counts as none. A format no
 *   renderer has is a 404 `{"detail": "Not found."}`, before `Accept` is looked at.
 * - `Accept` (missing means `*` `/` `*`) is split on commas. Its media types are tried most specific first
 *   (`type/sub;param` > `type/sub` > `type/*` > `*` `/` `*`, a `q` parameter alone not counting as
 *   specific), and within one level the renderers in their order (JSON first). The `q` weights do not
 *   rank anything: `text/html;q=0.1, application/json` is JSON because JSON is the first renderer, and
 *   `text/html;q=0` still selects the browsable API.
 * - A format does not bypass `Accept`: `?format=json` with `Accept: text/html` is a 406, as in DRF
 *   (browsers always add `*` `/` `*`, so they never see it).
 * - `Accept: application/json; indent=4` pretty-prints the JSON (indent clamped to 0..8, 0 meaning none).
 */
import type { IncomingMessage } from "node:http"
import type { NextFunction, Request, Response } from "express"

export interface Renderer {
  /** The `?format=` / suffix name. */
  readonly format: "json" | "api"
  readonly mediaType: string
}

/** DRF's `DEFAULT_RENDERER_CLASSES`, in order: `JSONRenderer`, `BrowsableAPIRenderer`. */
export const RENDERERS: ReadonlyArray<Renderer> = [
  { format: "json", mediaType: "application/json" },
  { format: "api", mediaType: "text/html" }
]

export type Negotiation =
  /** `mediaType` is the accepted media type as DRF reports it (e.g. `application/json;q=0.8` for `*` `/` `*;q=0.8`). */
  | { readonly kind: "json"; readonly mediaType: string; readonly indent: number | undefined }
  | { readonly kind: "api"; readonly mediaType: string }
  /** A `?format=` or suffix no renderer has: DRF's 404. */
  | { readonly kind: "unknown-format" }
  /** No renderer satisfies `Accept`: DRF's 406. */
  | { readonly kind: "not-acceptable" }

export type Refusal = Extract<Negotiation, { kind: "unknown-format" | "not-acceptable" }>

export const isRefusal = (n: Negotiation): n is Refusal => n.kind === "unknown-format" || n.kind === "not-acceptable"

/** DRF's body for each refusal, with its status. */
export const refusalAnswer = (n: Refusal) =>
  n.kind === "unknown-format"
    ? { status: 404, body: { detail: "Not found." } }
    : { status: 406, body: { detail: "Could not satisfy the request Accept header." } }

// --- Media types (DRF's `_MediaType` over Django's `parse_header_parameters`) -------------------------

export interface MediaType {
  readonly orig: string
  readonly mainType: string
  readonly subType: string
  /** Lower-cased names, unquoted values, in first-seen order (a repeated name keeps its place, last value wins). */
  readonly params: ReadonlyMap<string, string>
}

/** Django's `_parseparam`: `;`-separated parts, a `;` inside double quotes not separating. */
const parameterParts = (line: string): Array<string> => {
  const parts: Array<string> = []
  let s = `;${line}`
  while (s.startsWith(";")) {
    s = s.slice(1)
    let end = s.indexOf(";")
    while (end > 0 && (count(s, '"', end) - count(s, '\\"', end)) % 2 !== 0) end = s.indexOf(";", end + 1)
    if (end < 0) end = s.length
    parts.push(s.slice(0, end).trim())
    s = s.slice(end)
  }
  return parts
}

const count = (s: string, needle: string, end: number) => s.slice(0, end).split(needle).length - 1

export const parseMediaType = (text: string): MediaType => {
  const [first = "", ...rest] = parameterParts(text)
  const full = first.toLowerCase()
  const params = new Map<string, string>()
  for (const part of rest) {
    const eq = part.indexOf("=")
    if (eq < 0) continue
    const name = part.slice(0, eq).trim().toLowerCase()
    let value = part.slice(eq + 1).trim()
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1).replaceAll("\\\\", "\\").replaceAll('\\"', '"')
    }
    params.set(name, value)
  }
  const slash = full.indexOf("/")
  return {
    orig: text,
    mainType: slash < 0 ? full : full.slice(0, slash),
    subType: slash < 0 ? "" : full.slice(slash + 1),
    params
  }
}

/** 3 `type/sub;param=…`, 2 `type/sub` (a `q` alone does not count), 1 `type/*`, 0 `*` `/` `*`. */
export const precedence = (m: MediaType): number => {
  if (m.mainType === "*") return 0
  if (m.subType === "*") return 1
  if (m.params.size === 0 || (m.params.size === 1 && m.params.has("q"))) return 2
  return 3
}

/** DRF's `_MediaType.match`: does the renderer's type `self` satisfy the client's `other`? */
const satisfies = (self: MediaType, other: MediaType): boolean => {
  for (const [key, value] of self.params) if (key !== "q" && other.params.get(key) !== value) return false
  if (self.subType !== "*" && other.subType !== "*" && other.subType !== self.subType) return false
  if (self.mainType !== "*" && other.mainType !== "*" && other.mainType !== self.mainType) return false
  return true
}

/** DRF's `JSONRenderer.get_indent`: `indent=N` clamped to 0..8, and 0 means compact. */
const indentOf = (mediaType: string): number | undefined => {
  const raw = parseMediaType(mediaType).params.get("indent")
  if (raw === undefined || !/^\s*[+-]?\d+\s*$/.test(raw)) return undefined
  const indent = Math.max(Math.min(Number.parseInt(raw, 10), 8), 0)
  return indent === 0 ? undefined : indent
}

/**
 * DRF's `select_renderer`, as a pure function: `accept` is the raw header (`undefined` when absent),
 * `format` the suffix or `?format=` value (`undefined` or `""` when none).
 */
export const selectRenderer = (accept: string | undefined, format: string | undefined): Negotiation => {
  let renderers = RENDERERS
  if (format !== undefined && format !== "") {
    renderers = RENDERERS.filter((r) => r.format === format)
    if (renderers.length === 0) return { kind: "unknown-format" }
  }
  const accepts = (accept ?? "*/*").split(",").map((token) => token.trim())
  const levels: Array<Array<MediaType>> = [[], [], [], []]
  for (const token of accepts) {
    const m = parseMediaType(token)
    levels[3 - precedence(m)]!.push(m)
  }
  for (const level of levels) {
    for (const renderer of renderers) {
      const own = parseMediaType(renderer.mediaType)
      for (const wanted of level) {
        if (!satisfies(own, wanted)) continue
        // The client's type when it is at least as specific as the renderer's, else the renderer's with
        // the client's parameters (`*/*;q=0.8` → `application/json;q=0.8`).
        const mediaType =
          precedence(own) > precedence(wanted)
            ? [renderer.mediaType, ...[...wanted.params].map(([k, v]) => `${k}=${v}`)].join(";")
            : wanted.orig
        return renderer.format === "json"
          ? { kind: "json", mediaType, indent: indentOf(mediaType) }
          : { kind: "api", mediaType }
      }
    }
  }
  return { kind: "not-acceptable" }
}

// --- The request's format: suffix, then `?format=` ----------------------------------------------------

const suffixes = new WeakMap<IncomingMessage, string>()

/** The format suffix `formatSuffixes` took off this request's path, if any. */
export const formatSuffixOf = (req: IncomingMessage): string | undefined => suffixes.get(req)

/** `?format=` as Django's `QueryDict.get` reads it: the last value; `""` when given empty. */
export const queryFormat = (req: Request): string | undefined => {
  const value: unknown = req.query.format
  const last: unknown = Array.isArray(value) ? value[value.length - 1] : value
  return typeof last === "string" ? last : undefined
}

/** The format the request names: its suffix wins over `?format=` (DRF: `format_suffix or query_params.get`). */
export const requestedFormat = (req: Request): string | undefined => formatSuffixOf(req) ?? queryFormat(req)

export const negotiate = (req: Request): Negotiation => selectRenderer(req.headers.accept, requestedFormat(req))

/** `<prefix/><name>.<format>` with an optional trailing slash; DRF's `[^/.]+` lookups and `[a-z0-9]+` formats. */
const SUFFIXED = /^(.*\/)([^/.]*)\.([a-z0-9]+)\/?$/

/**
 * DRF's `format_suffix_patterns` for the router it is mounted on: `…/2012.json`, `…/packages.api/` and the
 * root's `/.json` become `…/2012/`, `…/packages/` and `/` with the format recorded for `negotiate` (and for
 * hyperlinks, which keep the suffix as DRF's `reverse` does). Any `[a-z0-9]+` suffix is taken, as in DRF,
 * so `2012.xml` is the unknown-format 404. `req.originalUrl` is untouched: the browsable page and paging
 * links show the URL as requested. Mount it before the trailing-slash redirect:
 * `app.use("/api/v4", formatSuffixes)`.
 */
export const formatSuffixes = (req: Request, _res: Response, next: NextFunction) => {
  const q = req.url.indexOf("?")
  const path = q < 0 ? req.url : req.url.slice(0, q)
  const m = SUFFIXED.exec(path)
  // An empty name is only the router root's `/.json`, not `/packages/.json`.
  if (m !== null && (m[2] !== "" || m[1] === "/")) {
    const [, prefix = "/", name = "", format = ""] = m
    suffixes.set(req, format)
    req.url = `${name === "" ? prefix : `${prefix}${name}/`}${q < 0 ? "" : req.url.slice(q)}`
  }
  next()
}
