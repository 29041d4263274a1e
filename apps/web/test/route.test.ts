import { describe, expect, it } from "vitest"
import { hashForSlug, slugFromHash } from "../src/route.ts"
import { httpUrl } from "../src/url.ts"

describe("package hash", () => {
  it("reads the selected slug", () => {
    expect(slugFromHash("#/packages/dj-stripe")).toBe("dj-stripe")
    expect(slugFromHash("#/packages/dj-stripe/")).toBe("dj-stripe")
  })

  it("selects nothing for other hashes", () => {
    expect(slugFromHash("")).toBeNull()
    expect(slugFromHash("#")).toBeNull()
    expect(slugFromHash("#/packages/")).toBeNull()
    expect(slugFromHash("#/grids/payments")).toBeNull()
    expect(slugFromHash("#/packages/%E0%A4%A")).toBeNull()
  })

  it("round-trips slugs that need escaping", () => {
    for (const slug of ["dj-stripe", "django_rest_framework", "a b/c", "ünïcode"]) {
      expect(slugFromHash(hashForSlug(slug))).toBe(slug)
    }
    expect(hashForSlug("a b/c")).toBe("#/packages/a%20b%2Fc")
  })
})

describe("httpUrl", () => {
  it("keeps http and https URLs", () => {
    expect(httpUrl("https://github.com/dj-stripe/dj-stripe")).toBe("https://github.com/dj-stripe/dj-stripe")
    expect(httpUrl("http://pypi.python.org/pypi/dj-stripe")).toBe("http://pypi.python.org/pypi/dj-stripe")
  })

  it("drops empty, relative and script URLs", () => {
    expect(httpUrl(null)).toBeNull()
    expect(httpUrl("")).toBeNull()
    expect(httpUrl("/relative")).toBeNull()
    expect(httpUrl("javascript:alert(1)")).toBeNull()
    expect(httpUrl(" JavaScript:alert(1)")).toBeNull()
  })
})
