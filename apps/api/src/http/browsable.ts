/**
 * The browsable API page: DRF's `BrowsableAPIRenderer` text (view name and description, the request line,
 * the status line and response headers, the JSON pretty-printed as Python prints it, links clickable) in
 * plain, self-contained HTML. Everything printed is escaped.
 */
import { STATUS_CODES } from "node:http"
import type { Request, Response } from "express"
import type { SendOptions } from "./respond.ts"

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#x27;"
}

/** Text for HTML content or a double- or single-quoted attribute. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)

// --- JSON as Python's json.dumps(indent=…, ensure_ascii=False) prints it, as DRF's JSONRenderer does ---

/** Python's `repr(float)`: the shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
const pythonFloat = (n: number): string => {
  const [mantissa = "", exponent = "0"] = n.toExponential().split("e")
  const sign = mantissa.startsWith("-") ? "-" : ""
  const digits = mantissa.replace("-", "").replace(".", "")
  const e = Number(exponent)
  const point = e + 1 // digits[0..point) is the integral part
  if (point <= -4 || point > 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : ""
    return `${sign}${digits[0]}${fraction}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`
  }
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}.0`
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
}

/**
 * A number as Python prints it. JavaScript cannot tell `3` from `3.0`, so an integral number prints as a
 * Python int (all digits, never an exponent); any other as a Python float. NaN and infinities print as
 * `null`, as `JSON.stringify` (the compact JSON) does; DRF's strict renderer would refuse them.
 */
const pythonNumber = (n: number): string => {
  if (!Number.isFinite(n)) return "null"
  if (Number.isInteger(n)) return BigInt(n).toString()
  return pythonFloat(n)
}

/** A JSON string with DRF's escapes: ensure_ascii=False keeps non-ASCII; U+2028/U+2029 are escaped. */
const pythonString = (s: string): string =>
  JSON.stringify(s)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")

/**
 * `json.dumps(value, indent=indent, ensure_ascii=False)` with DRF's separators: `,` between items and
 * `: ` after keys when indented, `,` and `:` when compact (`indent` undefined). Empty containers print as
 * `[]` and `{}`. Values are taken as `JSON.stringify` takes them (`toJSON`, undefined members skipped,
 * undefined items as `null`), so the page shows what the JSON format sends.
 */
export const pythonJson = (value: unknown, indent?: number): string => {
  const newline = (depth: number) => (indent === undefined ? "" : `\n${" ".repeat(indent * depth)}`)
  const colon = indent === undefined ? ":" : ": "
  const print = (v: unknown, depth: number): string | undefined => {
    if (typeof v === "object" && v !== null && typeof (v as { toJSON?: unknown }).toJSON === "function") {
      v = (v as { toJSON: () => unknown }).toJSON()
    }
    switch (typeof v) {
      case "string":
        return pythonString(v)
      case "number":
        return pythonNumber(v)
      case "bigint":
        return v.toString()
      case "boolean":
        return v ? "true" : "false"
      case "object": {
        if (v === null) return "null"
        if (Array.isArray(v)) {
          if (v.length === 0) return "[]"
          const items = v.map((item: unknown) => print(item, depth + 1) ?? "null")
          return `[${items.map((item) => `${newline(depth + 1)}${item}`).join(",")}${newline(depth)}]`
        }
        const members: Array<string> = []
        for (const [key, member] of Object.entries(v)) {
          const printed = print(member, depth + 1)
          if (printed !== undefined) members.push(`${newline(depth + 1)}${pythonString(key)}${colon}${printed}`)
        }
        return members.length === 0 ? "{}" : `{${members.join(",")}${newline(depth)}}`
      }
      default:
        return undefined
    }
  }
  return print(value, 0) ?? "null"
}

// --- Django's urlize, for http(s) links -----------------------------------------------------------------

// Django splits words on whitespace, quotes and angle brackets; a backslash (a JSON escape) ends one too.
const LINK = /https?:\/\/[^\s"'<>\\]+/gi

/** Django's `trim_punctuation`: trailing `.,:;!` and unbalanced closing brackets are not part of a link. */
const trimLink = (url: string): string => {
  for (;;) {
    const last = url.at(-1) ?? ""
    const unbalanced =
      (last === ")" && url.split("(").length < url.split(")").length) ||
      (last === "]" && url.split("[").length < url.split("]").length)
    if (!".,:;!".includes(last) && !unbalanced) return url
    url = url.slice(0, -1)
  }
}

/** `text` escaped, its http(s) URLs as `<a rel="nofollow">` links (Django's `urlize`, as DRF's page uses). */
export const urlize = (text: string): string => {
  let html = ""
  let at = 0
  for (const match of text.matchAll(LINK)) {
    const url = trimLink(match[0])
    if (!/^https?:\/\/./i.test(url)) continue
    html += `${escapeHtml(text.slice(at, match.index))}<a href="${escapeHtml(url)}" rel="nofollow">${escapeHtml(url)}</a>`
    at = match.index + url.length
  }
  return html + escapeHtml(text.slice(at))
}

// --- Breadcrumbs --------------------------------------------------------------------------------------

export interface Crumb {
  readonly name: string
  readonly href: string
}

const crumbs = new WeakMap<Response, ReadonlyArray<Crumb>>()

/** The views above this one (DRF's breadcrumbs), set by `route()` from the routes it registered. */
export const setBreadcrumbs = (res: Response, list: ReadonlyArray<Crumb>) => {
  crumbs.set(res, list)
}

// --- The page -----------------------------------------------------------------------------------------

/** Where the "Log in" link points (DRF: `/api-auth/login/`); `?next=` brings the reader back. */
export const LOGIN_PATH = "/api-auth/login/"

/** The JSON renderer's type, which DRF's page shows as the response's Content-Type. */
const SHOWN_CONTENT_TYPE = "application/json"

const pathOf = (url: string) => {
  const q = url.indexOf("?")
  return q < 0 ? url : url.slice(0, q)
}

/** The current URL (without a format suffix) with `?format=` set to `format`. */
const withFormat = (req: Request, format: string) => {
  const q = req.originalUrl.indexOf("?")
  const query = new URLSearchParams(q < 0 ? "" : req.originalUrl.slice(q + 1))
  query.set("format", format)
  return `${req.baseUrl}${req.path}?${query.toString()}`
}

/**
 * The headers the page lists, as the reference's page shows them: the view's `Allow`, the JSON renderer's
 * type and `Vary`. (DRF would also list headers a view adds, such as an ETag, which the reference never
 * sends; they stay on the response itself, out of the page.)
 */
const shownHeaders = (options: SendOptions): Array<[string, string]> => [
  ["Allow", options.allow],
  ["Content-Type", SHOWN_CONTENT_TYPE],
  ["Vary", "Accept"]
]

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #ffffff; --muted: #57606a; --panel: #f6f8fa;
  --line: #d0d7de; --link: #0550ae; --head: #2b4b6f; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --panel: #161b22;
  --line: #30363d; --link: #79c0ff; --head: #1f3550; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); }
a:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
header.top { display: flex; justify-content: space-between; align-items: center; gap: 1rem; padding: .6rem 1.25rem;
  background: var(--head); color: #fff; }
header.top a { color: #fff; }
header.top .brand { font-weight: 700; text-decoration: none; }
nav.crumbs ol { display: flex; flex-wrap: wrap; gap: .25rem .5rem; list-style: none; margin: 0; padding: .6rem 1.25rem;
  border-bottom: 1px solid var(--line); }
nav.crumbs li + li::before { content: "/"; color: var(--muted); margin-right: .5rem; }
nav.crumbs a[aria-current] { color: var(--fg); font-weight: 600; text-decoration: none; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem 2rem; }
.formats { float: right; margin: .4rem 0 0 1rem; color: var(--muted); font-size: .9rem; }
.formats ul { display: inline; list-style: none; margin: 0; padding: 0; }
.formats li { display: inline; margin-left: .4rem; }
h1 { margin: .2rem 0 .5rem; font-size: 1.6rem; }
.description { color: var(--muted); }
pre { margin: .75rem 0; padding: .75rem 1rem; background: var(--panel); border: 1px solid var(--line); border-radius: 6px;
  font: 14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
.request-info pre { padding: .4rem 1rem; }
.response-info .meta b { font-weight: 700; }
`

/**
 * The browsable page for an answer of `status` with `body`. The request line shows the method and the URL
 * as requested (a HEAD shows GET, so that HEAD's Content-Length is GET's).
 */
export const renderBrowsable = (
  req: Request,
  res: Response,
  status: number,
  body: unknown,
  options: SendOptions
): string => {
  const { description, name } = options.view
  const method = req.method === "HEAD" ? "GET" : req.method
  const path = pathOf(req.originalUrl)
  const trail = crumbs.get(res) ?? [{ name, href: path }]
  const statusLine = `HTTP ${status} ${STATUS_CODES[status] ?? ""}`.trimEnd()
  const headers = shownHeaders(options)
    .map(([key, value]) => `\n<b>${escapeHtml(key)}:</b> <span class="lit">${urlize(value)}</span>`)
    .join("")
  const paragraphs = description === "" ? "" : `<p>${escapeHtml(description).replace(/\r?\n/g, "<br>\n")}</p>`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(name)} – packgrid</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top">
<a class="brand" href="/">packgrid API</a>
<a class="login" href="${escapeHtml(`${LOGIN_PATH}?next=${encodeURIComponent(path)}`)}">Log in</a>
</header>
<nav class="crumbs" aria-label="Breadcrumb">
<ol>
${trail
  .map(
    (c, i) =>
      `<li><a href="${escapeHtml(c.href)}"${i === trail.length - 1 ? ' aria-current="page"' : ""}>${escapeHtml(c.name)}</a></li>`
  )
  .join("\n")}
</ol>
</nav>
<main>
<nav class="formats" aria-label="Formats">
Format:
<ul>
<li><a href="${escapeHtml(withFormat(req, "json"))}">json</a></li>
<li><a href="${escapeHtml(withFormat(req, "api"))}" aria-current="page">api</a></li>
</ul>
</nav>
<h1>${escapeHtml(name)}</h1>
<div class="description">
${paragraphs}
</div>
<div class="request-info" aria-label="Request">
<pre><b>${escapeHtml(method)}</b> ${escapeHtml(req.originalUrl)}</pre>
</div>
<div class="response-info" aria-label="Response">
<pre><span class="meta"><b>${escapeHtml(statusLine)}</b>${headers}

</span>${urlize(pythonJson(body, 4))}</pre>
</div>
</main>
</body>
</html>
`
}
