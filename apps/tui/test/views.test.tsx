import { render } from "ink-testing-library"
import { afterEach, describe, expect, it } from "vitest"
import { cleanup } from "ink-testing-library"
import type { PackageView } from "../src/source.ts"
import { Header } from "../src/ui/Header.tsx"
import { PackageDetail } from "../src/ui/PackageDetail.tsx"
import { PackageList } from "../src/ui/PackageList.tsx"
import { StatusLine } from "../src/ui/StatusLine.tsx"
import { lineWith } from "./support/ink.ts"

afterEach(cleanup)

const weeks = (f: (i: number) => number) => Array.from({ length: 52 }, (_, i) => f(i))

const pkg = (i: number, overrides: Partial<PackageView> = {}): PackageView => ({
  slug: `package-${i}`,
  title: `Package ${i}`,
  stars: i * 1111,
  forks: i * 11,
  lastCommit: new Date(Date.UTC(2025, 0, i)),
  pypiVersion: `${i}.0`,
  commits: weeks((w) => (w === i ? 8 : 0)),
  description: `The ${i}th package.`,
  repoUrl: `https://github.com/example/package-${i}`,
  participants: i,
  ...overrides
})

describe("PackageList", () => {
  it("shows one row per package: title, stars and forks with separators, date and the sparkline", () => {
    const rows = [pkg(1), pkg(2, { stars: 123456, forks: 4321 }), pkg(3, { commits: [], lastCommit: null })]
    const { lastFrame } = render(
      <PackageList rows={rows} selected={1} top={0} height={10} columns={100} empty="none" />
    )
    const frame = lastFrame() ?? ""
    expect(lineWith(frame, "Package")).toMatch(/Package\s+Stars\s+Forks Last commit Commits, 52 weeks/)
    expect(lineWith(frame, "Package 1")).toMatch(/^ {2}Package 1\s+1,111\s+11 2025-01-01 {2}▁█▁{50}$/)
    // The selected row is marked.
    expect(lineWith(frame, "Package 2")).toMatch(/^› Package 2\s+123,456\s+4,321 2025-01-02 {2}▁▁█▁{49}$/)
    expect(lineWith(frame, "Package 3")).toMatch(/^ {2}Package 3\s+3,333\s+33 — {11}\(not fetched\)$/)
  })

  it("shows only the window of rows around the selection, and says where it is", () => {
    const rows = Array.from({ length: 20 }, (_, i) => pkg(i + 1))
    const { lastFrame } = render(<PackageList rows={rows} selected={9} top={0} height={4} columns={100} empty="none" />)
    const frame = lastFrame() ?? ""
    expect(frame).not.toContain("Package 6 ")
    expect(frame).toContain("Package 7 ")
    expect(lineWith(frame, "Package 10")).toMatch(/^› Package 10/)
    expect(frame).not.toContain("Package 11")
    expect(frame).toContain("7–10 of 20 on this page")
  })

  it("cuts a long title to its column", () => {
    const rows = [pkg(1, { title: "django-a-very-long-package-title-that-does-not-fit" })]
    const { lastFrame } = render(<PackageList rows={rows} selected={0} top={0} height={4} columns={100} empty="none" />)
    expect(lastFrame()).toContain("django-a-very-lo…")
  })

  it("says so when there is nothing to show", () => {
    const { lastFrame } = render(
      <PackageList rows={[]} selected={0} top={0} height={4} columns={100} empty="No package here." />
    )
    expect(lastFrame()).toContain("No package here.")
  })
})

describe("PackageDetail", () => {
  it("shows every fact and the year's sparkline", () => {
    const { lastFrame } = render(<PackageDetail pkg={pkg(2, { stars: 1778, forks: 513, participants: 103 })} />)
    const frame = lastFrame() ?? ""
    expect(frame).toContain("Package 2  (package-2)")
    expect(frame).toContain("The 2th package.")
    expect(lineWith(frame, "Repository")).toMatch(/Repository\s+https:\/\/github\.com\/example\/package-2/)
    expect(lineWith(frame, "PyPI version")).toMatch(/PyPI version\s+2\.0$/)
    expect(lineWith(frame, "Stars")).toMatch(/Stars\s+1,778$/)
    expect(lineWith(frame, "Forks")).toMatch(/Forks\s+513$/)
    expect(lineWith(frame, "Participants")).toMatch(/Participants\s+103$/)
    expect(lineWith(frame, "Last commit")).toMatch(/Last commit\s+2025-01-02$/)
    expect(frame).toContain("Commits over 52 weeks (8 in all)")
    expect(frame).toContain(`▁▁█${"▁".repeat(49)}`)
  })

  it("says when commits were never fetched", () => {
    const { lastFrame } = render(<PackageDetail pkg={pkg(1, { commits: [], pypiVersion: null })} />)
    expect(lastFrame()).toContain("Commits over 52 weeks: not fetched yet")
    expect(lineWith(lastFrame() ?? "", "PyPI version")).toMatch(/—$/)
  })
})

describe("Header and StatusLine", () => {
  it("shows the catalogue's size, the source and the page", () => {
    const { lastFrame } = render(
      <Header count={4231} source="SQLite data/x.sqlite" offset={50} pageLength={50} pageSize={50} />
    )
    expect(lastFrame()).toBe("packgrid · 4,231 packages · SQLite data/x.sqlite · page 2/85 (51–100)")
  })

  it("shows an error with the way out, over a loading note", () => {
    const { lastFrame } = render(
      <StatusLine
        loading="Loading packages…"
        error="cannot reach http://x: ECONNREFUSED"
        filterDraft={null}
        hint="keys"
      />
    )
    expect(lastFrame()).toBe("Error: cannot reach http://x: ECONNREFUSED — press r to retry")
  })

  it("shows the loading note, the filter being typed, or the keys", () => {
    expect(
      render(<StatusLine loading="Loading packages…" error={null} filterDraft={null} hint="keys" />).lastFrame()
    ).toBe("Loading packages…")
    expect(render(<StatusLine loading={null} error={null} filterDraft="djan" hint="keys" />).lastFrame()).toMatch(
      /^\/djan {2}\s+Enter apply · Esc cancel$/
    )
    expect(render(<StatusLine loading={null} error={null} filterDraft={null} hint="keys" />).lastFrame()).toBe("keys")
  })
})
