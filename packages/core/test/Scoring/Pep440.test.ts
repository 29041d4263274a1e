import { describe, expect, it } from "vitest"
import {
  compareVersions,
  isPrerelease,
  parseSpecifierSet,
  parseVersion,
  type Version
} from "../../src/Scoring/internal/Pep440.ts"
import specifiers from "./fixtures/specifiers.json" with { type: "json" }

const v = (s: string): Version => {
  const parsed = parseVersion(s)
  if (parsed === null) throw new Error(`"${s}" did not parse`)
  return parsed
}

describe("PEP 440 versions", () => {
  it("orders as packaging does", () => {
    const ordered = [
      "1.0.dev0",
      "1.0a1",
      "1.0a2.dev1",
      "1.0a2",
      "1.0b1",
      "1.0rc1",
      "1.0",
      "1.0+local",
      "1.0.post1.dev0",
      "1.0.post1",
      "1.0.1",
      "1!0.1"
    ]
    for (let i = 1; i < ordered.length; i++)
      expect(compareVersions(v(ordered[i - 1] ?? ""), v(ordered[i] ?? ""))).toBe(-1)
    expect(compareVersions(v("1.0"), v("1.0.0"))).toBe(0)
    expect(compareVersions(v("v1.0-alpha.1"), v("1.0a1"))).toBe(0)
  })

  it("knows pre-releases and rejects what is not a version", () => {
    expect(isPrerelease(v("2.0rc1"))).toBe(true)
    expect(isPrerelease(v("2.0.dev3"))).toBe(true)
    expect(isPrerelease(v("2.0.post1"))).toBe(false)
    expect(parseVersion("latest")).toBeNull()
  })
})

describe("requires_python specifier sets, against packaging's SpecifierSet (fixtures/generate.py)", () => {
  it.each(specifiers.cases)("$spec", ({ spec, valid, admits }) => {
    const test = parseSpecifierSet(spec)
    expect(test !== null).toBe(valid)
    if (test !== null) expect(specifiers.versions.filter((x) => test(v(x)))).toEqual(admits)
  })
})
