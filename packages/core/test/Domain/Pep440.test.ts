import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  compareVersions,
  contains,
  formatVersion,
  isPrerelease,
  parseSpecifier,
  parseSpecifierSet,
  parseVersion,
  satisfies,
  type Version
} from "../../src/Domain/Pep440.ts"
// Generated with packaging's SpecifierSet by test/Scoring/fixtures/generate.py, beside the scoring fixtures.
import specifiers from "../Scoring/fixtures/specifiers.json" with { type: "json" }

const v = (s: string): Version => {
  const parsed = parseVersion(s)
  if (parsed === null) throw new Error(`"${s}" did not parse`)
  return parsed
}
const set = (s: string) => Either.getOrThrow(parseSpecifierSet(s))

describe("PEP 440 versions", () => {
  it("orders as packaging does: dev < pre < final < local < post, ignoring trailing zeros", () => {
    const ordered = [
      "1.0.dev0",
      "1.0.dev1",
      "1.0a1",
      "1.0a2.dev1",
      "1.0a2",
      "1.0b1",
      "1.0b2",
      "1.0rc1",
      "1.0",
      "1.0+local",
      "1.0.post1.dev0",
      "1.0.post1",
      "1.0.1",
      "1.1",
      "1!0.1"
    ]
    for (let i = 1; i < ordered.length; i++) {
      expect(compareVersions(v(ordered[i - 1]!), v(ordered[i]!))).toBe(-1)
      expect(compareVersions(v(ordered[i]!), v(ordered[i - 1]!))).toBe(1)
    }
    expect(compareVersions(v("1.0"), v("1.0.0"))).toBe(0)
    expect(compareVersions(v("3.8"), v("3.8.0"))).toBe(0)
    expect(compareVersions(v("v1.0-alpha.1"), v("1.0a1"))).toBe(0)
    expect(compareVersions(v("1!1.0"), v("2.0"))).toBe(1)
  })

  it("knows pre-releases and rejects what is not a version", () => {
    expect(isPrerelease(v("2.0rc1"))).toBe(true)
    expect(isPrerelease(v("2.0.dev3"))).toBe(true)
    expect(isPrerelease(v("2.0.post1"))).toBe(false)
    expect(parseVersion("latest")).toBeNull()
    expect(parseVersion("3..8")).toBeNull()
    expect(parseVersion(" 3.8 ")).toEqual(v("3.8"))
  })

  it("prints the normalised form, as str(Version) does", () => {
    expect(formatVersion(v("V1.0-ALPHA.1"))).toBe("1.0a1")
    expect(formatVersion(v("1!2.0.0-rc.3.post-4.dev+Ubuntu-01"))).toBe("1!2.0.0rc3.post4.dev0+ubuntu.1")
    expect(formatVersion(v("1.0c1"))).toBe("1.0rc1")
    expect(formatVersion(v("2.0-1"))).toBe("2.0.post1")
    expect(formatVersion(v("1.0.preview_2"))).toBe("1.0rc2")
  })

  it("orders local labels segment by segment, numbers after words, and can leave them out", () => {
    expect(compareVersions(v("1.0+abc"), v("1.0+1"))).toBe(-1)
    expect(compareVersions(v("1.0+1.2"), v("1.0+1"))).toBe(1)
    expect(compareVersions(v("1.0+abc"), v("1.0+abd"))).toBe(-1)
    expect(compareVersions(v("1.0+01"), v("1.0+1"))).toBe(0)
    expect(compareVersions(v("1.0+local"), v("1.0"), { withLocal: false })).toBe(0)
    expect(compareVersions(v("1.0+local"), v("1.0.post1"), { withLocal: false })).toBe(-1)
  })

  it("property: parsing what formatVersion printed gives an equal version, printed the same way", () => {
    const n = fc.integer({ min: 0, max: 20 })
    const version = fc.record({
      epoch: fc.oneof(fc.constant(0), n),
      release: fc.array(n, { minLength: 1, maxLength: 4 }),
      pre: fc.option(fc.tuple(fc.constantFrom("a" as const, "b" as const, "rc" as const), n)),
      post: fc.option(n),
      dev: fc.option(n),
      local: fc.option(fc.constantFrom("ubuntu.1", "abc", "1.2.x"))
    })
    fc.assert(
      fc.property(version, (x) => {
        const back = v(formatVersion(x))
        expect(compareVersions(back, x)).toBe(0)
        expect(formatVersion(back)).toBe(formatVersion(x))
      })
    )
  })
})

describe("PEP 440 specifier sets", () => {
  it("parses specifier sets the way packaging accepts them", () => {
    expect(Either.isRight(parseSpecifierSet(">= 3.8, <4"))).toBe(true)
    expect(Either.isRight(parseSpecifierSet(">=3.8,"))).toBe(true)
    expect(Either.isRight(parseSpecifierSet("~=3"))).toBe(false)
    expect(Either.isRight(parseSpecifierSet(">=3.8.*"))).toBe(false)
    expect(Either.isRight(parseSpecifierSet("==3.8+local"))).toBe(true)
    expect(Either.isRight(parseSpecifierSet(">=3.8+local"))).toBe(false)
    expect(Either.isRight(parseSpecifierSet("~=3.8+local"))).toBe(false)
    expect(Either.isRight(parseSpecifierSet("==3.8a1.*"))).toBe(false)
    expect(Either.isRight(parseSpecifierSet("===3.8;"))).toBe(false)
    expect(Either.isRight(parseSpecifierSet("=== "))).toBe(true)
    expect(parseSpecifier(" == 3.8 ")).toEqual(Either.right({ operator: "==", version: "3.8" }))
    expect(parseSpecifier("=>3.8")).toEqual(Either.left(`"=>3.8" has no comparison operator`))
    expect(parseSpecifierSet(">=3.8, 3.9")).toEqual(Either.left(`"3.9" has no comparison operator`))
  })

  it("matches prefixes, exclusions and exact strings", () => {
    expect(contains(set("==3.*"), "3.14")).toBe(true)
    expect(contains(set("!=3.8.*"), "3.8")).toBe(false)
    expect(contains(set("==3.8"), "3.8.0")).toBe(true)
    expect(contains(set("===3.8"), "3.8")).toBe(true)
    expect(contains(set("<3.8"), "3.8rc1")).toBe(false)
    expect(contains(set("<3.8rc2"), "3.8rc1")).toBe(true)
    expect(contains(set(">3.8"), "3.8.post1")).toBe(false)
    expect(contains(set(""), "3.0")).toBe(true)
  })

  it("compares `===` as text: a string as written, a Version as formatVersion prints it", () => {
    expect(contains(set("===3.8"), "v3.8")).toBe(false)
    expect(contains(set("===3.8"), v("v3.8"))).toBe(true)
    expect(contains(set("===3.8"), " 3.8")).toBe(false)
    expect(contains(set("===3.8"), v(" 3.8"))).toBe(true)
    expect(satisfies(v("3.8"), { operator: "===", version: "3.8" })).toBe(true)
  })

  describe("requires_python specifier sets, against packaging's SpecifierSet (fixtures/generate.py)", () => {
    it.each(specifiers.cases)("$spec", ({ spec, valid, admits }) => {
      const parsed = parseSpecifierSet(spec)
      expect(Either.isRight(parsed)).toBe(valid)
      if (Either.isRight(parsed)) {
        expect(specifiers.versions.filter((x) => contains(parsed.right, v(x)))).toEqual(admits)
        expect(specifiers.versions.filter((x) => contains(parsed.right, x))).toEqual(admits)
      }
    })
  })

  // Edge cases where a reading of PEP 440 could differ from packaging's; expectations from packaging 26.2,
  // `SpecifierSet(spec).contains(candidate, prereleases=True)` with the candidate as a string.
  it.each([
    // Not a version: only `===` with the same text admits it, and an empty set admits anything.
    ["===foo", "foo", true],
    ["", "foo", true],
    ["===foo,>=1", "foo", false],
    [">=1", "foo", false],
    ["===", "", true],
    ["===", "3.8", false],
    // `~=` cuts its prefix from the text: "v3" is no version, "c1" is not a suffix packaging skips.
    ["~=v3.8", "3.9", false],
    ["~=3.8.c1", "3.8.5", true],
    ["~=3.8.c1", "3.9", false],
    ["~=3.8c1", "3.8.5", true],
    ["~=3.8rc1", "3.9", true],
    ["~=3.8.0-1", "3.8.5", true],
    // `>V` refuses post-releases of V itself and V+local, nothing else.
    [">3.8rc0", "3.8rc1+local", true],
    [">3.8", "3.8+local", false],
    [">3.8", "3.8.1+local", true],
    [">3.8a1", "3.8.post1", true],
    [">3.8", "3.8.post1", false],
    [">3.8.post1", "3.8.post2", true],
    // `<V` refuses pre-releases from V's earliest one (V.dev0) up, unless V is a pre-release.
    ["<3.8", "3.8rc1", false],
    ["<3.8", "3.8.dev0", false],
    ["<3.8.post1", "3.8rc1", true],
    ["<3.8.post1", "3.8.post1.dev0", false],
    ["<3.8", "3.7+local", true],
    // Prefixes pad with zeros, ignore local labels and compare epochs.
    ["==3.8.*", "3.8rc1", true],
    ["==3.8.0.*", "3.8", true],
    ["==3.0.*", "3", true],
    ["!=3.8.*", "3.8.post1+abc", false],
    ["==1!3.*", "3.1", false],
    ["==3.8", "3.8+abc", true],
    ["==3.8+abc", "3.8", false],
    [">=3.8", "3.8+abc", true],
    ["<=3.8", "3.8+abc", true]
  ] as const)("%j admits %j: %s, as packaging 26.2 says", (spec, candidate, admitted) => {
    expect(contains(set(spec), candidate)).toBe(admitted)
    const parsed = parseVersion(candidate)
    if (parsed !== null) expect(contains(set(spec), parsed)).toBe(admitted)
  })
})
