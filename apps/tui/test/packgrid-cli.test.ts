/** The operator CLI as users run it: a real process on a real SQLite file. */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

// The shipped bundle, built once before the suite: what `pnpm packgrid` runs.
const cli = fileURLToPath(new URL("../dist/packgrid.js", import.meta.url))
const build = fileURLToPath(new URL("../build.mjs", import.meta.url))
const demo = fileURLToPath(new URL("../../../data/demo/catalogue.json", import.meta.url))

const dir = mkdtempSync(join(tmpdir(), "packgrid-cli-"))
const database = `file:${join(dir, "cli.sqlite")}`

const packgrid = (...args: Array<string>) => {
  const r = spawnSync(process.execPath, [cli, "--database", database, ...args], {
    encoding: "utf8",
    env: { ...process.env, INIT_CWD: dir }
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

type Catalogue = {
  packages: Array<Record<string, unknown>>
  categories: Array<Record<string, unknown>>
  grids: Array<unknown>
}
const load = (): Catalogue => JSON.parse(readFileSync(demo, "utf8")) as Catalogue
const exported = () => {
  expect(packgrid("export", "snapshot.json").code).toBe(0)
  const c = JSON.parse(readFileSync(join(dir, "snapshot.json"), "utf8")) as Catalogue & { snapshot_date: string }
  return { ...c, snapshot_date: "" }
}
const write = (name: string, value: unknown) => {
  writeFileSync(join(dir, name), JSON.stringify(value))
  return name
}

describe("packgrid import and export", () => {
  let before: ReturnType<typeof exported>
  beforeAll(() => {
    expect(spawnSync(process.execPath, [build]).status).toBe(0)
    const r = packgrid("import", demo)
    expect(r.stderr).toBe("")
    expect(r.stdout).toMatch(/imported .*: 4 categories, 4231 packages, 347 grids/)
    before = exported()
  }, 60_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("exports what it imported, and importing the export again changes nothing", () => {
    expect(before.packages).toHaveLength(4231)
    const stripe = before.packages.find((p) => p.slug === "dj-stripe")!
    expect(stripe.grids).toEqual([216, 5])
    expect(stripe.last_fetched).toBe("2026-02-15T22:06:05.465218Z")
    expect(packgrid("import", "snapshot.json").code).toBe(0)
    expect(exported()).toEqual(before)
  })

  const refused: Array<[string, (c: Catalogue) => void, RegExp]> = [
    [
      "a wrong type",
      (c) => void (c.packages[10]!.repo_watchers = "many"),
      /packages\[10\] \(slug "[^"]+"\)\.repo_watchers: Expected number/
    ],
    [
      "a duplicate slug",
      (c) => void (c.packages[20]!.slug = c.packages[21]!.slug),
      /packages\[21\] \(slug "[^"]+"\)\.slug: duplicate slug "[^"]+" \(also packages\[20\]\)/
    ],
    [
      "an unknown category",
      (c) => void (c.packages[30]!.category = 99),
      /packages\[30\] \(slug "[^"]+"\)\.category: unknown category 99/
    ],
    [
      "an unknown grid",
      (c) => void (c.packages[40]!.grids = [99999]),
      /packages\[40\] \(slug "[^"]+"\)\.grids\.0: unknown grid 99999/
    ],
    [
      "a slug held by another id in the database",
      (c) => {
        c.packages = [{ ...c.packages[0]!, id: 90001, repo_url: "https://github.com/example/new-one" }]
        c.grids = []
      },
      /packages\[0\] \(slug "42-django-couchdb"\)\.slug: slug "42-django-couchdb" already belongs to package 1 in the database/
    ]
  ]
  it.each(refused)(
    "refuses %s, names the record, and writes nothing",
    (_name, corrupt, message) => {
      const c = load()
      // A valid change beside the corruption: it must not be written either.
      c.packages[0]!.title = "changed by a refused import"
      corrupt(c)
      const r = packgrid("import", write("corrupt.json", c))
      expect(r.code).toBe(1)
      expect(r.stderr).toContain("The catalogue was not imported (nothing was written)")
      expect(r.stderr).toMatch(message)
      expect(exported()).toEqual(before)
    },
    60_000
  )

  it("explains a missing file and a bad command with exit code 2", () => {
    const missing = packgrid("import", "no-such-file.json")
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/cannot read .*no-such-file\.json: ENOENT/)
    const unknown = packgrid("frobnicate")
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown command "frobnicate"')
  })
})
