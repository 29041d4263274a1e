import type { Sort } from "@packgrid/core/Search/Rank"

/** A package exactly as the djangopackages-compatible API v4 returns it. */
export interface PackageV4 {
  readonly category: string | null
  readonly grids: ReadonlyArray<string>
  readonly id: number
  readonly title: string
  readonly slug: string
  readonly last_updated: string | null
  readonly last_fetched: string | null
  readonly repo_url: string
  readonly pypi_version: string | null
  readonly created: string
  readonly modified: string
  readonly repo_forks: number | null
  readonly repo_description: string | null
  readonly pypi_url: string | null
  readonly documentation_url: string | null
  readonly repo_watchers: number | null
  /** Commits per week, oldest week first: 52 numbers, or empty when never fetched. */
  readonly commits_over_52: ReadonlyArray<number>
  readonly participants: ReadonlyArray<string>
}

/** A DRF limit/offset page. */
export interface PageV4<T> {
  readonly count: number
  readonly next: string | null
  readonly previous: string | null
  readonly results: ReadonlyArray<T>
}

export interface PageRequest {
  readonly limit: number
  readonly offset: number
}

export interface RequestOptions {
  /** Origin to call; the app itself uses same-origin relative URLs. */
  readonly baseUrl?: string
  readonly signal?: AbortSignal
}

/** A non-2xx answer from the API, carrying the status and the DRF `detail` message. */
export class ApiRequestFailed extends Error {
  override readonly name = "ApiRequestFailed"
  readonly status: number
  readonly detail: string
  readonly url: string

  constructor(status: number, detail: string, url: string) {
    super(`HTTP ${status}: ${detail}`)
    this.status = status
    this.detail = detail
    this.url = url
  }
}

export const PAGE_SIZE = 20

/** `GET /api/v4/packages/?limit=&offset=` */
export async function listPackages(page: PageRequest, options: RequestOptions = {}): Promise<PageV4<PackageV4>> {
  const query = new URLSearchParams({ limit: String(page.limit), offset: String(page.offset) })
  const url = `${options.baseUrl ?? ""}/api/v4/packages/?${query.toString()}`
  const body = await getJson(url, options.signal)
  if (!isPage(body) || !body.results.every(isPackage)) throw invalidResponse(url, "not a page of packages")
  return body as PageV4<PackageV4>
}

/** `GET /api/v4/packages/{slug}/` */
export async function getPackage(slug: string, options: RequestOptions = {}): Promise<PackageV4> {
  const url = `${options.baseUrl ?? ""}/api/v4/packages/${encodeURIComponent(slug)}/`
  const body = await getJson(url, options.signal)
  if (!isPackage(body)) throw invalidResponse(url, "not a package")
  return body
}

/** How a search can be ordered (the advanced search endpoint's `sort`): the core's own list. */
export type SearchSort = Sort

/** One row of `GET /api/v4/search/advanced/`: the reference's search row plus packgrid's score. */
export interface SearchRow {
  readonly item_type: "package" | "grid"
  readonly id: number
  readonly slug: string
  readonly title: string
  readonly description: string
  readonly repo_watchers: number
  readonly repo_forks: number
  readonly last_committed: string | null
  readonly last_released: string | null
  /** packgrid's explainable score, 0–100. */
  readonly package_score: number
  readonly score_report?: { readonly confidence?: { readonly level?: string } }
}

export interface SearchRequest extends PageRequest {
  readonly q: string
  readonly sort: SearchSort
}

/** `GET /api/v4/search/advanced/?q=&sort=&limit=&offset=`: packages and grids, best first. */
export async function searchPackages(request: SearchRequest, options: RequestOptions = {}): Promise<PageV4<SearchRow>> {
  const query = new URLSearchParams({
    q: request.q,
    sort: request.sort,
    limit: String(request.limit),
    offset: String(request.offset)
  })
  const url = `${options.baseUrl ?? ""}/api/v4/search/advanced/?${query.toString()}`
  const body = await getJson(url, options.signal)
  if (!isPage(body) || !body.results.every(isSearchRow)) throw invalidResponse(url, "not a page of search results")
  return body as PageV4<SearchRow>
}

/** One pillar of packgrid's score: its points out of its maximum, and the components that made them. */
export interface ScorePillar {
  readonly key: string
  readonly label: string
  readonly points: number
  readonly max: number
  readonly components: ReadonlyArray<{
    readonly key: string
    readonly label: string
    readonly points: number
    readonly max: number
    readonly known: boolean
    readonly reason: string
  }>
}

/** `GET /api/v4/packages/{slug}/score/`, the parts the dashboard shows. */
export interface PackageScoreV4 {
  readonly package_score: {
    readonly score: number
    readonly confidence: { readonly level: string; readonly notes: ReadonlyArray<string> }
    readonly flags: ReadonlyArray<{ readonly key: string; readonly label: string; readonly reason: string }>
    readonly pillars: ReadonlyArray<ScorePillar>
    readonly improvements: ReadonlyArray<{ readonly key: string; readonly hint: string; readonly gain: number }>
  }
}

/** `GET /api/v4/packages/{slug}/score/`: packgrid's score explained. */
export async function getPackageScore(slug: string, options: RequestOptions = {}): Promise<PackageScoreV4> {
  const url = `${options.baseUrl ?? ""}/api/v4/packages/${encodeURIComponent(slug)}/score/`
  const body = await getJson(url, options.signal)
  const score = isRecord(body) ? body["package_score"] : undefined
  if (!isRecord(score) || typeof score["score"] !== "number" || !Array.isArray(score["pillars"])) {
    throw invalidResponse(url, "not a package score")
  }
  return body as PackageScoreV4
}

async function getJson(url: string, signal: AbortSignal | undefined): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(url, { headers: { accept: "application/json" }, signal: signal ?? null })
  } catch (cause) {
    // fetch rejects with a bare TypeError ("fetch failed") when the server cannot be reached.
    if (cause instanceof TypeError) throw new Error(`Could not reach the API at ${url}`, { cause })
    throw cause
  }
  const body = parseJson(await response.text())
  if (!response.ok) {
    throw new ApiRequestFailed(response.status, detailOf(body) ?? (response.statusText || "request failed"), url)
  }
  if (body === undefined) throw invalidResponse(url, "body is not JSON")
  return body
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

// DRF answers either {"detail": "..."} or, for validation errors, {"field": ["message", ...]}.
function detailOf(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined
  if (typeof body["detail"] === "string") return body["detail"]
  const messages = Object.entries(body).flatMap(([field, value]) =>
    Array.isArray(value) ? value.filter((m): m is string => typeof m === "string").map((m) => `${field}: ${m}`) : []
  )
  return messages.length > 0 ? messages.join("; ") : undefined
}

function invalidResponse(url: string, what: string): Error {
  return new Error(`Unexpected response from ${url}: ${what}`)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

function isPage(value: unknown): value is PageV4<unknown> {
  return isRecord(value) && typeof value["count"] === "number" && Array.isArray(value["results"])
}

// Checks the fields the dashboard relies on; the rest are shown as given.
function isPackage(value: unknown): value is PackageV4 {
  return (
    isRecord(value) &&
    typeof value["id"] === "number" &&
    typeof value["slug"] === "string" &&
    typeof value["title"] === "string" &&
    typeof value["repo_url"] === "string" &&
    Array.isArray(value["commits_over_52"]) &&
    value["commits_over_52"].every((n) => typeof n === "number") &&
    Array.isArray(value["participants"]) &&
    Array.isArray(value["grids"])
  )
}

function isSearchRow(value: unknown): value is SearchRow {
  return (
    isRecord(value) &&
    (value["item_type"] === "package" || value["item_type"] === "grid") &&
    typeof value["id"] === "number" &&
    typeof value["slug"] === "string" &&
    typeof value["title"] === "string" &&
    typeof value["package_score"] === "number"
  )
}
