/**
 * `packgrid score` and `packgrid rescore` on a real SQLite file, the commands called in-process as
 * packgrid.ts calls them (packgrid-cli.test.ts runs the built bundle for import and export).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { UsageError } from "../src/cli.ts"
import { importCommand } from "../src/commands/catalogue.ts"
import { rescoreCommand, scoreCommand } from "../src/commands/score.ts"
import { tinyCatalogue } from "./support/catalogue.ts"

const dir = mkdtempSync(join(tmpdir(), "packgrid-score-"))
const database = `file:${join(dir, "score.sqlite")}`

/** Runs a command, collecting what it prints. */
const printed = async (command: (out: (line: string) => void) => Promise<void>) => {
  const lines: Array<string> = []
  await command((line) => void lines.push(line))
  return lines.join("\n")
}

describe("packgrid score and rescore", () => {
  beforeAll(async () => {
    const file = join(dir, "tiny.json")
    writeFileSync(file, JSON.stringify(tinyCatalogue))
    const text = await printed((out) => importCommand(database, file, out))
    expect(text).toMatch(/imported .*: 1 categories, 3 packages/)
    // The import scores what it imported, as of now.
    expect(text).toMatch(/\nrescored 3 packages as of \S+Z: 3 changed, 3 history rows for \d{4}-\d{2}-\d{2}/)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("explains the three scores in words", async () => {
    const text = await printed((out) => scoreCommand(database, ["django-alpha"], {}, out))
    expect(text).toMatch(/^django-alpha \(django-alpha, package 1\), scored as of \S+Z/)
    expect(text).toMatch(/Package score \(packgrid dps-1\): \d+\/100/)
    expect(text).toMatch(/Confidence: (High|Medium|Low) \(\d\.\d\d of the points rest on known facts\)/)
    for (const pillar of ["Maintenance", "Compatibility", "Adoption", "Hygiene", "Community"])
      expect(text).toMatch(new RegExp(`\\n  ${pillar} +\\d+\\.\\d/\\d+ `))
    expect(text).toContain("Stars (corroborated)")
    expect(text).toContain("how to improve:")
    expect(text).toContain("To improve it:")
    expect(text).toMatch(/Flags: none|Flags:\n/)
    expect(text).toMatch(/Legacy grid score .*: -?\d+\n {2}1234 stars − /)
    expect(text).toMatch(/Search weight \(Django Packages' searchv3 rules\): \d+\/100/)
    expect(text).toContain("Watchers Rule")
    expect(text).toMatch(/Stored: score -?\d+, search_weight \d+, package_score \d+ \(current\)/)
    expect(text).toMatch(/History \(days the scores changed\):\n {2}\d{4}-\d{2}-\d{2} {2}package_score/)
  })

  it("prints the same as JSON with --json, by slug or id", async () => {
    const json = JSON.parse(await printed((out) => scoreCommand(database, ["gamma"], { json: true }, out))) as Record<
      string,
      any
    >
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
    const byId = JSON.parse(await printed((out) => scoreCommand(database, ["3"], { json: true }, out))) as Record<
      string,
      any
    >
    expect(byId.package).toEqual(json.package)
  })

  it("rescores all or some packages, and names what it cannot find", async () => {
    expect(await printed((out) => rescoreCommand(database, [], out))).toMatch(
      /^rescored 3 packages as of \S+Z: 0 changed, 0 history rows for \S+, in 1 batch and \d+ ms$/
    )
    expect(await printed((out) => rescoreCommand(database, ["django-beta", "3"], out))).toMatch(/^rescored 2 packages/)
    await expect(printed((out) => scoreCommand(database, ["no-such-package"], {}, out))).rejects.toThrow(
      'no package has the slug or id "no-such-package"'
    )
    await expect(printed((out) => rescoreCommand(database, ["gamma", "nope"], out))).rejects.toThrow(
      'no package has the slug or id "nope"'
    )
    await expect(printed((out) => scoreCommand(database, [], {}, out))).rejects.toThrow(UsageError)
    await expect(printed((out) => scoreCommand(database, ["a", "b"], {}, out))).rejects.toThrow(
      "usage: packgrid score SLUG [--json]"
    )
  })
})
