import { renderToString } from "react-dom/server"
import { describe, expect, it } from "vitest"
import { ApiRequestFailed, type PackageV4, type PageV4 } from "../src/api.ts"
import { PackageBrowserView, type LoadedPage } from "../src/components/PackageBrowser.tsx"
import { PackageDetailView } from "../src/components/PackageDetail.tsx"
import { sparklinePoints } from "../src/components/Sparkline.tsx"
import type { Remote } from "../src/remote.ts"
import { djStripe, neverFetched } from "./fixtures.ts"

const ignore = () => {}

// The last page of 22 packages: offset 20, two rows, no next page.
const lastPage: PageV4<PackageV4> = {
  count: 22,
  next: null,
  previous: "http://127.0.0.1:8000/api/v4/packages/?limit=20",
  results: [djStripe, neverFetched]
}

function render(remote: Remote<LoadedPage>, selectedSlug: string | null = null): string {
  return renderToString(
    <PackageBrowserView
      remote={remote}
      selectedSlug={selectedSlug}
      onSelect={ignore}
      onOffset={ignore}
      onRetry={ignore}
    />
  )
}

function bodyRows(html: string): Array<string> {
  const tbody = /<tbody>(.*)<\/tbody>/s.exec(html)?.[1] ?? ""
  return tbody.split("</tr>").filter((row) => row.includes("<tr"))
}

function button(html: string, label: string): string {
  return (new RegExp(`<button[^>]*>${label}</button>`).exec(html) ?? [""])[0]
}

describe("package table", () => {
  const html = render({ state: "loaded", value: { offset: 20, page: lastPage } }, "django-fresh")
  const [stripeRow = "", freshRow = ""] = bodyRows(html)

  it("renders one row per package with the title linking to the repository", () => {
    expect(bodyRows(html)).toHaveLength(2)
    expect(stripeRow).toContain(
      '<a class="title" href="https://github.com/dj-stripe/dj-stripe" target="_blank" rel="noreferrer">dj-stripe</a>'
    )
    expect(freshRow).toContain('href="https://github.com/example/django-fresh"')
  })

  it("shows stars, forks, the last update as a date and the PyPI version", () => {
    const cells = [...stripeRow.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1])
    expect(cells.slice(0, 4)).toEqual([
      "1,778",
      "513",
      '<time dateTime="2026-01-05T15:45:59-05:00">Jan 5, 2026</time>',
      "2.10.3"
    ])
    expect(stripeRow).toContain(
      '<a class="details-link" href="#/packages/dj-stripe" aria-label="Details for dj-stripe">'
    )
  })

  it("draws commits_over_52 as an SVG sparkline, oldest week on the left", () => {
    expect(stripeRow).toContain('<svg class="sparkline" role="img" aria-label="53 commits in the last 52 weeks"')
    const points = /<polyline class="sparkline-line" points="([^"]+)"/.exec(stripeRow)?.[1] ?? ""
    const coordinates = points.split(" ")
    expect(coordinates).toHaveLength(52)
    expect(coordinates[0]).toBe("1.5,22.5")
    // Week 22 (index 21) has the busiest week, 10 commits: it reaches the top of the box.
    expect(coordinates[21]).toBe("43.1,1.5")
    expect(coordinates[51]).toBe("102.5,22.5")
    expect(points).toBe(sparklinePoints(djStripe.commits_over_52, 104, 24))
  })

  it("shows dashes and no sparkline for a package never fetched, and marks the selected row", () => {
    expect(freshRow).toContain('class="selected" aria-current="true"')
    expect(stripeRow).not.toContain("aria-current")
    expect(freshRow).toContain('<span class="sparkline-empty">no data</span>')
    expect(freshRow).not.toContain("<svg")
    const cells = [...freshRow.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1])
    expect(cells.slice(0, 4)).toEqual(["0", "0", "—", "—"])
  })

  it("paginates with the x–y of count label", () => {
    expect(html).toContain('<span class="pagination-range" aria-live="polite">21–22 of 22</span>')
    expect(button(html, "← Previous")).not.toContain("disabled")
    expect(button(html, "Next →")).toContain('disabled=""')
  })

  it("labels the first page and enables next", () => {
    const first = render({ state: "loaded", value: { offset: 0, page: { ...lastPage, previous: null, next: "x" } } })
    expect(first).toContain(">1–2 of 22<")
    expect(button(first, "← Previous")).toContain('disabled=""')
    expect(button(first, "Next →")).not.toContain("disabled")
  })
})

describe("package browser states", () => {
  it("shows a loading status before the first page", () => {
    const html = render({ state: "loading", stale: null })
    expect(html).toContain('<p class="status" role="status">Loading packages…</p>')
    expect(html).not.toContain("<table")
  })

  it("keeps the previous page, dimmed and without paging, while the next one loads", () => {
    const html = render({ state: "loading", stale: { offset: 20, page: lastPage } })
    expect(html).toContain('<table class="packages" aria-busy="true">')
    expect(bodyRows(html)).toHaveLength(2)
    expect(html).toContain(">21–22 of 22<")
    expect(button(html, "← Previous")).toContain('disabled=""')
  })

  it("shows the API's status and detail when loading fails", () => {
    const error = new ApiRequestFailed(503, "Database unavailable.", "/api/v4/packages/?limit=20&offset=0")
    const html = render({ state: "failed", error })
    expect(html).toContain('role="alert"')
    expect(html).toContain("Could not load packages")
    expect(html).toContain("HTTP 503: Database unavailable.")
    expect(html).toContain(">Try again</button>")
    expect(html).not.toContain("<table")
  })

  it("says so when there are no packages", () => {
    const empty = { count: 0, next: null, previous: null, results: [] }
    expect(render({ state: "loaded", value: { offset: 0, page: empty } })).toContain("No packages yet.")
  })
})

describe("package detail", () => {
  it("shows the description, links and participants count", () => {
    const html = renderToString(<PackageDetailView pkg={djStripe} />)
    expect(html).toContain("dj-stripe automatically syncs your Stripe Data to your local database")
    expect(html).toContain(
      '<a href="https://github.com/dj-stripe/dj-stripe" target="_blank" rel="noreferrer">Repository</a>'
    )
    expect(html).toContain('<a href="http://pypi.python.org/pypi/dj-stripe" target="_blank" rel="noreferrer">PyPI</a>')
    expect(html).toContain(
      '<a href="https://dj-stripe.dev/dj-stripe/" target="_blank" rel="noreferrer">Documentation</a>'
    )
    expect(html).toContain("<dt>Participants</dt><dd>103 participants</dd>")
    expect(html).toContain("<dt>Listed since</dt><dd>Sep 1, 2013</dd>")
    expect(html).toContain("<dt>Grids</dt><dd>2</dd>")
  })

  it("links only to http(s) URLs and copes with missing facts", () => {
    const html = renderToString(<PackageDetailView pkg={neverFetched} />)
    expect(html).not.toContain("javascript:")
    expect(html).not.toContain(">Documentation</a>")
    expect(html).not.toContain(">PyPI</a>")
    expect(html).toContain("No description.")
    expect(html).toContain("<dd>0 participants</dd>")
    expect(html).toContain("<dt>Last updated</dt><dd>—</dd>")
  })
})
