import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { CatalogueSource } from "../src/source.ts"
import { storeSource } from "../src/storeSource.ts"
import { loadCatalogue, tinyCatalogue, weeks } from "./support/catalogue.ts"

describe("storeSource over a real SQLite file", () => {
  let dir: string
  let url: string
  let source: CatalogueSource

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "packgrid-tui-"))
    url = `file:${join(dir, "packgrid.sqlite")}`
    source = storeSource(url)
    await source.open()
    await loadCatalogue(url, tinyCatalogue)
  })
  afterAll(async () => {
    await source.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it("labels itself with the database", () => {
    expect(source.label).toBe(`SQLite ${join(dir, "packgrid.sqlite")}`)
  })

  it("lists a page, newest id first like API v4, with the catalogue's count", async () => {
    const first = await source.list({ limit: 2, offset: 0 })
    expect(first.count).toBe(3)
    expect(first.results.map((p) => p.slug)).toEqual(["gamma", "django-beta"])
    const second = await source.list({ limit: 2, offset: 2 })
    expect(second).toMatchObject({ count: 3, offset: 2 })
    expect(second.results.map((p) => p.slug)).toEqual(["django-alpha"])
  })

  it("gives a package as the view model", async () => {
    expect(await source.get("django-alpha")).toEqual({
      slug: "django-alpha",
      title: "django-alpha",
      stars: 1234,
      forks: 56,
      lastCommit: new Date("2026-01-05T20:45:59Z"),
      pypiVersion: "1.2.3",
      commits: weeks((i) => (i === 51 ? 9 : i % 2)),
      description: "The first one.",
      repoUrl: "https://github.com/example/django-alpha",
      participants: 3
    })
    expect(await source.get("django-beta")).toMatchObject({
      lastCommit: null,
      commits: [],
      pypiVersion: null,
      participants: 0,
      forks: 0
    })
  })

  it("fails with the store's message for an unknown package", async () => {
    await expect(source.get("no-such-package")).rejects.toThrow(/^No Package matches the given query\.$/)
  })

  it("fails clearly when the database cannot be opened", async () => {
    // A directory is not a database file.
    const directory = storeSource(`file:${dir}`)
    try {
      await expect(directory.open()).rejects.toThrow(`The database failed: SQLite ${dir}: unable to open database file`)
    } finally {
      await directory.close()
    }
    // The file's directory cannot be made: the file system's message, on one line, without a stack.
    const bad = storeSource(`file:${join(dir, "packgrid.sqlite", "x.sqlite")}`)
    try {
      await expect(bad.open()).rejects.toThrow(
        /^The database failed: SQLite \S+x\.sqlite: E[A-Z]+: [^\n]+, mkdir '[^\n]+'$/
      )
    } finally {
      await bad.close()
    }
  })
})
