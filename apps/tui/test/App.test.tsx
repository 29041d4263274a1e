import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { cleanup, render } from "ink-testing-library"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { apiSource } from "../src/apiSource.ts"
import { storeSource } from "../src/storeSource.ts"
import { App } from "../src/ui/App.tsx"
import { loadCatalogue, tinyCatalogue } from "./support/catalogue.ts"
import { BACKSPACE, DOWN, ENTER, ESC, frameWhere, frameWith, lineWith, PAGE_DOWN, type } from "./support/ink.ts"
import { startV4Server, v4Package, type V4Server } from "./support/v4Server.ts"

afterEach(cleanup)

/** A frame with wrapped lines joined again (Ink breaks a long line at a space, which it drops or keeps). */
const unwrapped = (frame: string) => frame.replace(/ *\n */g, " ")

describe("App over API v4", () => {
  let server: V4Server
  beforeAll(async () => {
    server = await startV4Server(Array.from({ length: 25 }, (_, i) => v4Package(i + 1)))
  })
  afterAll(() => server.close())

  const start = async () => {
    const app = render(<App source={apiSource(server.url)} pageSize={10} />)
    await frameWith(app.lastFrame, "Package 1 ")
    return app
  }

  it("shows a loading line, then the first page with the catalogue's count and source", async () => {
    const { lastFrame, frames } = render(<App source={apiSource(server.url)} pageSize={10} />)
    expect(frames[0]).toContain("Loading packages…")
    const frame = await frameWith(lastFrame, "Package 10")
    expect(lineWith(frame, "packgrid")).toBe(`packgrid · 25 packages · API ${server.url}/ · page 1/3 (1–10)`)
    // dj-stripe's recorded year, on every canned package.
    expect(lineWith(frame, "Package 3 ")).toBe(
      "  Package 3           3,000      3 2026-01-05  ▁▁▁▁▁▁▁▁▁▂▂▁▁▁▁▁▁▁▁▁▁█▁▂▁▂▄▄▂▁▁▂▂█▆▁▁▁▁▁▁▁▁▁▁▂▅▁▁▁▁▁"
    )
    expect(lineWith(frame, "Package 10")).toMatch(/^ {2}Package 10\s+10,000\s+10 2026-01-05/)
    expect(lineWith(frame, "Package 1 ")).toMatch(/^› /)
    expect(frame).not.toContain("Package 11")
    expect(frame).not.toContain("Loading")
  })

  it("moves with j and ↓, opens the package with Enter, and goes back with Esc and Backspace", async () => {
    const { lastFrame, stdin } = await start()
    await type(stdin, "j", DOWN)
    expect(lineWith(lastFrame() ?? "", "Package 3 ")).toMatch(/^› /)
    await type(stdin, ENTER)
    const detail = await frameWith(lastFrame, "Participants")
    expect(server.requests).toContain("/api/v4/packages/package-3/")
    expect(detail).toContain("Package 3  (package-3)")
    expect(lineWith(detail, "Stars")).toMatch(/Stars\s+3,000$/)
    expect(lineWith(detail, "Participants")).toMatch(/Participants\s+103$/)
    expect(detail).toContain("Commits over 52 weeks (53 in all)")
    expect(detail).not.toContain("Package 4")

    await type(stdin, ESC)
    const list = await frameWith(lastFrame, "Package 4")
    // Back where it was.
    expect(lineWith(list, "Package 3 ")).toMatch(/^› /)

    await type(stdin, "k", ENTER)
    await frameWith(lastFrame, "Package 2  (package-2)")
    await type(stdin, BACKSPACE)
    expect(lineWith(await frameWith(lastFrame, "Package 4"), "Package 2 ")).toMatch(/^› /)
  })

  it("applies keys that arrive in one read one after another", async () => {
    const { lastFrame, stdin } = await start()
    await type(stdin, "jjj\r")
    await frameWith(lastFrame, "Package 4  (package-4)")
  })

  it("pages with PgDn/n and p, fetching each page", async () => {
    const { lastFrame, stdin } = await start()
    await type(stdin, PAGE_DOWN)
    let frame = await frameWith(lastFrame, "Package 20")
    expect(server.requests.at(-1)).toBe("/api/v4/packages/?limit=10&offset=10")
    expect(frame).toContain("page 2/3 (11–20)")
    expect(frame).not.toContain("Package 10")
    expect(lineWith(frame, "Package 11")).toMatch(/^› /)

    await type(stdin, "n")
    frame = await frameWith(lastFrame, "page 3/3 (21–25)")
    expect(frame).toContain("Package 25")
    // There is no fourth page.
    await type(stdin, "n")
    expect(server.requests.at(-1)).toBe("/api/v4/packages/?limit=10&offset=20")

    await type(stdin, "p", "p")
    frame = await frameWith(lastFrame, "page 1/3 (1–10)")
    expect(frame).toContain("Package 1 ")
  })

  it("filters the page's titles with /, and Esc cancels or clears", async () => {
    const { lastFrame, stdin } = await start()
    await type(stdin, "/", "1")
    expect(lastFrame()).toContain("/1")
    expect(lastFrame()).toContain("Enter apply · Esc cancel")
    await type(stdin, ENTER)
    let frame = await frameWith(lastFrame, 'filter "1": 2 of 10')
    expect(frame).toContain("Package 1 ")
    expect(frame).toContain("Package 10")
    expect(frame).not.toContain("Package 2 ")

    // Enter opens the selected match: the second one is Package 10.
    await type(stdin, "j", ENTER)
    await frameWith(lastFrame, "Package 10  (package-10)")
    await type(stdin, ESC)
    await frameWith(lastFrame, 'filter "1"')

    await type(stdin, "/", "x", ESC)
    frame = await frameWith(lastFrame, 'filter "1": 2 of 10')
    await type(stdin, ESC)
    frame = await frameWith(lastFrame, "Package 5")
    expect(frame).not.toContain('filter "')

    await type(stdin, "/", "z", "z", ENTER)
    expect(await frameWith(lastFrame, "No package on this page matches")).toContain('"zz"')
  })

  it("shows a failure with the way to retry, and r retries", async () => {
    server.fail = 503
    try {
      const { lastFrame, stdin } = render(<App source={apiSource(server.url)} pageSize={10} />)
      // The error line wraps rather than hide the end of a long message.
      const frame = unwrapped(await frameWhere(lastFrame, (f) => unwrapped(f).includes("press r to retry")))
      expect(frame).toContain(
        "Error: GET /api/v4/packages/?limit=10&offset=0 answered 503: The server is having a bad day. — press r to retry"
      )
      server.fail = null
      await type(stdin, "r")
      const retried = await frameWith(lastFrame, "Package 10")
      expect(retried).not.toContain("Error")
    } finally {
      server.fail = null
    }
  })

  it("keeps the list when opening a package fails, and retries it", async () => {
    const { lastFrame, stdin } = await start()
    server.fail = 500
    try {
      await type(stdin, ENTER)
      const frame = unwrapped(await frameWhere(lastFrame, (f) => unwrapped(f).includes("press r to retry")))
      expect(frame).toContain(
        "Error: GET /api/v4/packages/package-1/ answered 500: The server is having a bad day. — press r to retry"
      )
      server.fail = null
      await type(stdin, "r")
      await frameWhere(lastFrame, (f) => f.includes("Participants") && !f.includes("Error"))
    } finally {
      server.fail = null
    }
  })

  it("quits with q", async () => {
    const { lastFrame, stdin } = await start()
    await type(stdin, "q")
    await type(stdin, "j", "j")
    // After q the app no longer handles keys: the selection never reaches Package 2 or 3.
    expect(lastFrame() ?? "").not.toMatch(/› Package [23] /)
  })
})

describe("App over the store", () => {
  let dir: string
  let url: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "packgrid-tui-app-"))
    url = `file:${join(dir, "packgrid.sqlite")}`
    await loadCatalogue(url, tinyCatalogue)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("shows the database's catalogue and a package's detail", async () => {
    const source = storeSource(url)
    try {
      await source.open()
      const { lastFrame, stdin } = render(<App source={source} />)
      const frame = await frameWith(lastFrame, "django-alpha")
      expect(lineWith(frame, "packgrid")).toBe(`packgrid · 3 packages · ${source.label} · page 1/1 (1–3)`)
      expect(lineWith(frame, "Gamma")).toMatch(/^› Gamma\s+98,765\s+4,321 2025-12-31 {2}\(not fetched\)$/)
      expect(lineWith(frame, "django-alpha")).toMatch(/^ {2}django-alpha\s+1,234\s+56 2026-01-05 {2}(▁▂){25}▁█$/)
      await type(stdin, "G", ENTER)
      const detail = await frameWith(lastFrame, "The first one.")
      expect(lineWith(detail, "PyPI version")).toMatch(/1\.2\.3$/)
      expect(detail).toContain("Commits over 52 weeks (34 in all)")
    } finally {
      cleanup()
      await source.close()
    }
  })
})
