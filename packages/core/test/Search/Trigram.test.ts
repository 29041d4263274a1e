import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { innerTrigrams, similarity, trigrams } from "../../src/Search/Trigram.ts"

describe("Search/Trigram", () => {
  it("builds pg_trgm's trigram set (show_trgm('django-filter'))", () => {
    expect([...trigrams("django-filter")].sort()).toEqual(
      ["  d", "  f", " dj", " fi", "ang", "dja", "er ", "fil", "go ", "ilt", "jan", "lte", "ngo", "ter"].sort()
    )
    expect([...trigrams("Ab1_c")].sort()).toEqual(["  a", "  c", " ab", " c ", "ab1", "b1 "].sort())
  })

  it("gives pg_trgm's similarity() values (measured on PostgreSQL 15)", () => {
    expect(similarity("djnago-filter", "django-filter")).toBeCloseTo(0.5555556, 6)
    expect(similarity("restframwork", "django-rest-framework")).toBeCloseTo(0.34615386, 6)
    expect(similarity("restframwork", "djangorestframework-api-key")).toBeCloseTo(0.28125, 6)
    expect(similarity("abc", "ABC x")).toBeCloseTo(0.6666667, 6)
    expect(similarity("a", "a")).toBe(1)
    expect(similarity("", "")).toBe(0)
    expect(similarity("--", "django")).toBe(0)
  })

  it("is symmetric, within 0..1, and 1 for the same words", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const s = similarity(a, b)
        expect(s).toBeGreaterThanOrEqual(0)
        expect(s).toBeLessThanOrEqual(1)
        expect(similarity(b, a)).toBe(s)
        if (trigrams(a).size > 0) expect(similarity(a, a.toUpperCase().toLowerCase())).toBe(1)
      })
    )
  })

  it("lists the unpadded trigrams an FTS5 trigram table indexes", () => {
    expect(innerTrigrams("djnago-filter")).toEqual(["djn", "jna", "nag", "ago", "fil", "ilt", "lte", "ter"])
    expect(innerTrigrams("dj x")).toEqual([])
  })
})
