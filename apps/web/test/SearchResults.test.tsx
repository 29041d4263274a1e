import { renderToString } from "react-dom/server"
import { describe, expect, it } from "vitest"
import { ApiRequestFailed } from "../src/api.ts"
import { type LoadedResults, SearchResultsView } from "../src/components/SearchResults.tsx"
import type { Remote } from "../src/remote.ts"
import { stripeGridHit, stripeHit } from "./fixtures.ts"

const ignore = () => {}
const loaded = (q: string, results: LoadedResults["page"]["results"]): LoadedResults => ({
  q,
  offset: 0,
  page: { count: results.length, next: null, previous: null, results }
})
const hits = [stripeHit, stripeGridHit]

function render(remote: Remote<LoadedResults>, selectedSlug: string | null = null): string {
  return renderToString(
    <SearchResultsView
      remote={remote}
      selectedSlug={selectedSlug}
      onSelect={ignore}
      onOffset={ignore}
      onRetry={ignore}
    />
  )
}

const rows = (html: string) =>
  (/<tbody>(.*)<\/tbody>/s.exec(html)?.[1] ?? "").split("</tr>").filter((row) => row.includes("<tr"))

describe("search results", () => {
  const html = render({ state: "loaded", value: loaded("stripe", hits) }, "dj-stripe")
  const [packageRow = "", gridRow = ""] = rows(html)

  it("shows each package's score, with its confidence, beside stars, forks and the last commit", () => {
    expect(packageRow).toContain('<span class="score" title="Low confidence">48</span>')
    const cells = [...packageRow.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1])
    expect(cells.slice(1, 4)).toEqual(["1,778", "513", '<time dateTime="2026-01-05T15:45:59-05:00">Jan 5, 2026</time>'])
    expect(packageRow).toContain('href="#/packages/dj-stripe"')
    expect(packageRow).toContain('aria-current="true"')
  })

  it("lists a grid as a grid: no score, counts or details of its own", () => {
    expect(gridRow).toContain('<span class="tag">grid</span>')
    expect(gridRow).not.toContain('class="score"')
    expect(gridRow).not.toContain("details-link")
    expect(gridRow).not.toContain("aria-current")
  })

  it("says what found nothing, and what failed", () => {
    expect(render({ state: "loaded", value: loaded("zzz", []) })).toContain("Nothing matches “zzz”.")
    const error = new ApiRequestFailed(400, "sort: Expected one of …", "/api/v4/search/advanced/")
    const failed = render({ state: "failed", error })
    expect(failed).toContain("Could not search packages")
    expect(failed).toContain("HTTP 400: sort: Expected one of …")
  })

  it("keeps the previous results, dimmed, while the next ones load", () => {
    const loading = render({ state: "loading", stale: loaded("stripe", hits) })
    expect(loading).toContain('aria-busy="true"')
    expect(rows(loading)).toHaveLength(2)
    expect(render({ state: "loading", stale: null })).toContain("Searching…")
  })
})
