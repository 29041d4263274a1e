/** DRF's LimitOffsetPagination: the envelope, and `next`/`previous` links with sorted query parameters. */
import { groupIssues } from "./errors.ts"

export const DEFAULT_LIMIT = 20

export type PageQuery = { readonly limit: number; readonly offset: number }

const nonNegative = /^\d{1,9}$/

/** Reads `limit` and `offset`; a malformed value is a 400 naming the parameter (DRF would ignore it silently). */
export const parsePageQuery = (
  query: Record<string, unknown>
): PageQuery | { readonly error: Record<string, Array<string>> } => {
  const issues: Array<{ path: string; message: string }> = []
  const read = (name: "limit" | "offset", fallback: number, min: number) => {
    const raw = query[name]
    if (raw === undefined || raw === "") return fallback
    if (typeof raw !== "string" || !nonNegative.test(raw) || Number(raw) < min) {
      issues.push({
        path: name,
        message: min > 0 ? "A positive integer is required." : "A non-negative integer is required."
      })
      return fallback
    }
    return Number(raw)
  }
  const limit = read("limit", DEFAULT_LIMIT, 1)
  const offset = read("offset", 0, 0)
  return issues.length > 0 ? { error: groupIssues(issues) } : { limit, offset }
}

/** `url` with `key` set (or removed when `value` is undefined), query parameters sorted as Django's `urlencode(sorted(...))`. */
export const withQueryParam = (url: string, key: string, value: string | undefined): string => {
  const u = new URL(url)
  const params = new URLSearchParams(u.search)
  if (value === undefined) params.delete(key)
  else params.set(key, value)
  const sorted = [...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  u.search = sorted.length === 0 ? "" : `?${new URLSearchParams(sorted).toString()}`
  return u.toString()
}

export const envelope = <A>(requestUrl: string, page: PageQuery, count: number, results: ReadonlyArray<A>) => {
  const next =
    page.offset + page.limit >= count
      ? null
      : withQueryParam(
          withQueryParam(requestUrl, "limit", String(page.limit)),
          "offset",
          String(page.offset + page.limit)
        )
  const previous =
    page.offset <= 0
      ? null
      : page.offset - page.limit <= 0
        ? withQueryParam(withQueryParam(requestUrl, "limit", String(page.limit)), "offset", undefined)
        : withQueryParam(
            withQueryParam(requestUrl, "limit", String(page.limit)),
            "offset",
            String(page.offset - page.limit)
          )
  return { count, next, previous, results }
}
