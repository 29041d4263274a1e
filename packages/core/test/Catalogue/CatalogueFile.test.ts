import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { FORMAT, validateCatalogue } from "../../src/Catalogue/CatalogueFile.ts"

const category = { id: 1, slug: "apps", title: "App" }
const pkg = (id: number, slug: string, extra: Record<string, unknown> = {}) => ({
  id,
  slug,
  title: slug,
  category: 1,
  repo_url: `https://github.com/o/${slug}`,
  created: "2013-09-01T13:55:38.132750-04:00",
  modified: "2026-01-28T14:02:42.047580-05:00",
  ...extra
})
const catalogue = (packages: Array<unknown>, grids: Array<unknown> = []) => ({
  format: FORMAT,
  categories: [category],
  packages,
  grids
})
const problems = (input: unknown) =>
  Either.match(validateCatalogue(input), {
    onLeft: (e) => e.problems,
    onRight: () => {
      throw new Error("the catalogue was accepted")
    }
  })

describe("validateCatalogue", () => {
  it("accepts a valid file, normalising repository URLs and applying defaults", () => {
    const result = validateCatalogue(catalogue([pkg(1, "one", { repo_url: "git@github.com:O/One.git" })]))
    expect(Either.isRight(result)).toBe(true)
    const [one] = Either.getOrThrow(result).packages
    expect(one).toMatchObject({
      repo_url: "https://github.com/O/One",
      repo_watchers: 0,
      grids: [],
      pypi_version: null,
      created: 1378058138132750
    })
  })

  it("gives one reason per field, even for optional, nullable and literal fields", () => {
    const found = problems(
      catalogue([
        pkg(1, "one", {
          repo_watchers: "many",
          pypi_version: 5,
          repo_host: "sourceforge",
          last_fetched: "2020-01-01T00:00:00"
        })
      ])
    )
    expect([...found].sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      {
        record: `packages[0] (slug "one")`,
        field: "last_fetched",
        reason: `"2020-01-01T00:00:00" has no offset: give Z or ±HH:MM so the instant is unambiguous`
      },
      { record: `packages[0] (slug "one")`, field: "pypi_version", reason: "Expected string or null, actual 5" },
      {
        record: `packages[0] (slug "one")`,
        field: "repo_host",
        reason: `Expected "github", "gitlab", "bitbucket", "codeberg", "forgejo" or "other", actual "sourceforge"`
      },
      { record: `packages[0] (slug "one")`, field: "repo_watchers", reason: `Expected number, actual "many"` }
    ])
  })

  it("names the record with its slug for duplicates, and the first holder in the reason", () => {
    expect(
      problems(catalogue([pkg(1, "one"), pkg(2, "two"), pkg(3, "one", { repo_url: "https://github.com/o/three" })]))
    ).toEqual([
      { record: `packages[2] (slug "one")`, field: "slug", reason: `duplicate slug "one" (also packages[0])` }
    ])
    expect(problems(catalogue([pkg(1, "one"), pkg(1, "two", { repo_url: "https://github.com/o/one/" })]))).toEqual([
      { record: `packages[1] (slug "two")`, field: "id", reason: "duplicate id 1 (also packages[0])" },
      {
        record: `packages[1] (slug "two")`,
        field: "repo_url",
        reason: `duplicate repo_url "https://github.com/o/one" (also packages[0])`
      }
    ])
  })

  it("checks references between records", () => {
    const grid = {
      id: 5,
      slug: "payments",
      title: "Payments",
      packages: [1, 9],
      features: [{ id: 1, title: "F" }],
      elements: [{ package: 2, feature: 7, text: "x" }]
    }
    expect(problems(catalogue([pkg(1, "one", { category: 3, grids: [5, 6], deprecates_package: 1 })], [grid]))).toEqual(
      [
        { record: `packages[0] (slug "one")`, field: "category", reason: "unknown category 3" },
        { record: `packages[0] (slug "one")`, field: "grids.1", reason: "unknown grid 6" },
        { record: `packages[0] (slug "one")`, field: "deprecates_package", reason: "a package cannot replace itself" },
        { record: `grids[0] (slug "payments")`, field: "packages.1", reason: "unknown package 9" },
        {
          record: `grids[0] (slug "payments")`,
          field: "elements.0.feature",
          reason: "feature 7 is not one of this grid's"
        },
        { record: `grids[0] (slug "payments")`, field: "elements.0.package", reason: "package 2 is not in this grid" }
      ]
    )
  })

  it("lets a file refer to ids the database already has", () => {
    const input = catalogue([pkg(1, "one", { category: 3, grids: [6] })])
    expect(Either.isLeft(validateCatalogue(input))).toBe(true)
    expect(Either.isRight(validateCatalogue(input, { categories: new Set([3]), grids: new Set([6]) }))).toBe(true)
  })
})
