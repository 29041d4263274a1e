/** The catalogue read from a running packgrid (or djangopackages.org) server's API v4. */
import { Either, ParseResult, Schema } from "effect"
import { parseTimestamp } from "@packgrid/core/Domain/Timestamp"
import type { CatalogueSource, PackageView } from "./source.ts"

/** The fields of a v4 package the dashboard reads (the response has more). */
const V4Package = Schema.Struct({
  slug: Schema.String,
  title: Schema.String,
  repo_watchers: Schema.Number,
  repo_forks: Schema.Number,
  last_updated: Schema.NullOr(Schema.String),
  pypi_version: Schema.NullOr(Schema.String),
  commits_over_52: Schema.Array(Schema.Number),
  repo_description: Schema.NullOr(Schema.String),
  repo_url: Schema.String,
  participants: Schema.Array(Schema.String)
})
type V4Package = typeof V4Package.Type

/** DRF's LimitOffsetPagination envelope. */
const V4Page = Schema.Struct({ count: Schema.Number, results: Schema.Array(V4Package) })

const TIMEOUT_MS = 15_000

const toView = (p: V4Package): PackageView => ({
  slug: p.slug,
  title: p.title,
  stars: p.repo_watchers,
  forks: p.repo_forks,
  // `last_updated` is v4's name for the last commit date.
  lastCommit:
    p.last_updated === null
      ? null
      : Either.match(parseTimestamp(p.last_updated), {
          onLeft: () => null,
          onRight: (t) => new Date(Math.floor(t / 1000))
        }),
  pypiVersion: p.pypi_version,
  commits: p.commits_over_52,
  description: p.repo_description ?? "",
  repoUrl: p.repo_url,
  participants: p.participants.length
})

const reason = (e: unknown): string => {
  if (e instanceof Error && e.name === "TimeoutError") return `no answer within ${TIMEOUT_MS / 1000} s`
  const cause = e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined
  if (cause !== undefined && typeof cause.code === "string") return cause.code
  if (cause !== undefined && typeof cause.message === "string") return cause.message
  return e instanceof Error ? e.message : String(e)
}

/** DRF answers errors with `{"detail": "…"}` or `{"field": ["…"]}`. */
const errorDetail = (body: string): string | undefined => {
  try {
    const json: unknown = JSON.parse(body)
    if (typeof json !== "object" || json === null) return undefined
    if ("detail" in json && typeof json.detail === "string") return json.detail
    const fields = Object.entries(json).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(" ") : String(v)}`)
    return fields.length > 0 ? fields.join("; ") : undefined
  } catch {
    return undefined
  }
}

/** A source over the API at `baseUrl` (e.g. `http://127.0.0.1:8000`). */
export const apiSource = (baseUrl: string): CatalogueSource => {
  const base = new URL(baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`)

  const getJson = async <A, I>(path: string, schema: Schema.Schema<A, I>): Promise<A> => {
    const url = new URL(path, base)
    let response: Response
    try {
      response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(TIMEOUT_MS) })
    } catch (e) {
      throw new Error(`cannot reach ${url.origin}: ${reason(e)}`)
    }
    const body = await response.text()
    if (!response.ok) {
      const detail = errorDetail(body) ?? response.statusText
      throw new Error(`GET ${url.pathname}${url.search} answered ${response.status}: ${detail}`)
    }
    let json: unknown
    try {
      json = JSON.parse(body)
    } catch {
      throw new Error(`GET ${url.pathname}${url.search} did not answer JSON`)
    }
    return Either.getOrThrowWith(Schema.decodeUnknownEither(schema)(json), (e) => {
      const first = ParseResult.ArrayFormatter.formatErrorSync(e)[0]
      const where = first === undefined || first.path.length === 0 ? "" : ` at ${first.path.join(".")}`
      return new Error(
        `GET ${url.pathname}${url.search} answered an unexpected shape${where}: ${first?.message ?? "invalid"}`
      )
    })
  }

  return {
    label: `API ${base.href}`,
    open: async () => {},
    list: async ({ limit, offset }) => {
      const page = await getJson(`api/v4/packages/?limit=${limit}&offset=${offset}`, V4Page)
      return { count: page.count, offset, results: page.results.map(toView) }
    },
    get: async (slug) => toView(await getJson(`api/v4/packages/${encodeURIComponent(slug)}/`, V4Package)),
    close: async () => {}
  }
}
