/**
 * `packgrid score` and `packgrid rescore` as operators run them, on a real SQLite file. From source (tsx):
 * packgrid-cli.test.ts builds and runs the bundle, and two suites rebuilding it at once would race.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { tinyCatalogue } from "./support/catalogue.ts"

const cli = fileURLToPath(new URL("../src/packgrid.ts", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "packgrid-score-"))
const database = `file:${join(dir, "score.sqlite")}`

const packgrid = (...args: Array<string>) => {
  const r = spawnSync(process.execPath, ["--import", "tsx", cli, "--database", database, ...args], {
    encoding: "utf8",
    env: { ...process.env, INIT_CWD: dir }
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe("packgrid score and rescore", () => {
  beforeAll(() => {
    writeFileSync(join(dir, "tiny.json"), JSON.stringify(tinyCatalogue))
    const r = packgrid("import", "tiny.json")
    expect(r.stderr).toBe("")
    expect(r.stdout).toMatch(/imported .*: 1 categories, 3 packages/)
    // The import scores what it imported, as of now.
    expect(r.stdout).toMatch(/rescored 3 packages as of \S+Z: 3 changed, 3 history rows for \d{4}-\d{2}-\d{2}/)
  }, 60_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("explains the three scores in words", () => {
    const r = packgrid("score", "django-alpha")
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    const text = r.stdout
    expect(text).toMatch(/^django-alpha \(django-alpha, package 1\), scored as of \S+Z/)
    expect(text).toMatch(/Package score \(packgrid dps-1\): \d+\/100/)
    expect(text).toMatch(/Confidence: (High|Medium|Low) \(\d\.\d\d of the points rest on known facts\)/)
    for (const pillar of ["Maintenance", "Compatibility", "Adoption", "Hygiene", "Community"])
      expect(text).toMatch(new RegExp(`\\n  ${pillar} +\\d+\\.\\d/\\d+ `))
    expect(text).toContain("Stars (corroborated)")
    expect(text).toContain("how to improve:")
    expect(text).toContain("To improve it:")
    expect(text).toMatch(/Flags: none|Flags:\n/)
    expect(text).toMatch(/Legacy grid score .*: -?\d+\n  1234 stars − /)
    expect(text).toMatch(/Search weight \(Django Packages' searchv3 rules\): \d+\/100/)
    expect(text).toContain("Watchers Rule")
    expect(text).toMatch(/Stored: score -?\d+, search_weight \d+, package_score \d+ \(current\)/)
    expect(text).toMatch(/History \(days the scores changed\):\n  \d{4}-\d{2}-\d{2}  package_score/)
  })

  it("prints the same as JSON with --json, by slug or id", () => {
    const r = packgrid("score", "gamma", "--json")
    expect(r.code).toBe(0)
    const json = JSON.parse(r.stdout) as Record<string, any>
    expect(Object.keys(json)).toEqual([
      "package",
      "as_of",
      "scores",
      "stored",
      "package_score",
      "legacy",
      "search_weight",
      "history"
    ])
    expect(json.package).toEqual({ id: 3, slug: "gamma", title: "Gamma" })
    expect(json.scores.package_score).toBe(json.package_score.score)
    expect(json.package_score.pillars).toHaveLength(5)
    // Gamma is not on PyPI: the flag is listed and applied.
    expect(json.package_score.flags.find((f: any) => f.applied)?.key).toBe("not_on_pypi")
    const byId = JSON.parse(packgrid("score", "3", "--json").stdout) as Record<string, any>
    expect(byId.package).toEqual(json.package)
  })

  it("rescores all or some packages, and refuses what it cannot find", () => {
    const all = packgrid("rescore")
    expect(all.code).toBe(0)
    expect(all.stdout).toMatch(/^rescored 3 packages as of \S+Z: 0 changed, 0 history rows for \S+, in 1 batch and \d+ ms\n$/)
    const some = packgrid("rescore", "django-beta", "gamma")
    expect(some.stdout).toMatch(/^rescored 2 packages/)
    const missing = packgrid("score", "no-such-package")
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/packgrid: .*no-such-package/)
    expect(packgrid("rescore", "no-such-package").code).toBe(1)
    expect(packgrid("score").code).toBe(2)
    expect(packgrid("score", "a", "b").stderr).toContain("usage: packgrid score SLUG [--json]")
  })
})
