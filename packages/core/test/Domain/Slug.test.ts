import { Either, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Slug, SLUG_MAX_LENGTH, slugify } from "../../src/Domain/Slug.ts"

const decode = Schema.decodeUnknownEither(Slug)
const message = (input: unknown): string => {
  const result = decode(input)
  if (Either.isRight(result)) throw new Error(`${JSON.stringify(input)} was accepted`)
  return result.left.message
}
// The rules, restated independently of the schema.
const isValidSlug = (s: string) => /^[a-z0-9_-]{1,50}$/.test(s) && !/^\d+$/.test(s)

describe("Slug", () => {
  it("accepts lower-case letters, digits, underscores and hyphens", () => {
    for (const s of ["dj-stripe", "django_rest_framework", "a", "2fa", "x".repeat(SLUG_MAX_LENGTH), "-", "a1-b2_c3"]) {
      expect(decode(s)).toEqual(Either.right(s))
    }
  })

  it("refuses upper case, spaces, dots and non-ASCII letters", () => {
    for (const s of ["Django", "dj stripe", "dj.stripe", "café", "a/b"]) {
      expect(message(s)).toContain("Enter a valid slug: lower-case letters, digits, underscores or hyphens.")
    }
  })

  it("refuses an all-digit slug, which routes would read as an id", () => {
    expect(message("2012")).toContain("A slug may not be all digits: it would be read as an id.")
    expect(decode("2012a")).toEqual(Either.right("2012a"))
  })

  it("refuses blank and over-long slugs", () => {
    expect(message("")).toContain("This field may not be blank.")
    expect(message("x".repeat(SLUG_MAX_LENGTH + 1))).toContain("Ensure this field has no more than 50 characters.")
  })

  it("property: accepts exactly the strings the rules allow", () => {
    const alphabet = fc.constantFrom(..."az09_-AZ. é".split(""))
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 55 }), (s) => {
        expect(Either.isRight(decode(s))).toBe(isValidSlug(s))
      }),
      { numRuns: 2000 }
    )
  })
})

describe("slugify", () => {
  it("follows Django's slugify", () => {
    expect(slugify("Django REST framework")).toBe("django-rest-framework")
    expect(slugify("  dj-stripe  ")).toBe("dj-stripe")
    expect(slugify("Ça va? Très bien!")).toBe("ca-va-tres-bien")
    expect(slugify("django---allauth   2")).toBe("django-allauth-2")
    expect(slugify("__private__")).toBe("private")
    expect(slugify("???")).toBe("")
  })

  it("prefixes an all-digit result so it stays reachable as a slug", () => {
    expect(slugify("2012")).toBe("p-2012")
    expect(slugify("1".repeat(60))).toBe(`p-${"1".repeat(48)}`)
  })

  it("cuts to the maximum length", () => {
    expect(slugify("a".repeat(80))).toBe("a".repeat(SLUG_MAX_LENGTH))
  })

  it("property: always a valid slug, or empty when nothing in the title can be kept", () => {
    const title = fc.oneof(
      fc.string({ unit: "binary", maxLength: 80 }),
      fc.string({ unit: fc.constantFrom(..."aZ9 -_.!é\u00a0\u2003ß0123".split("")), maxLength: 80 })
    )
    fc.assert(
      fc.property(title, (t) => {
        const s = slugify(t)
        expect(s === "" || Either.isRight(decode(s))).toBe(true)
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 3000) }
    )
  })

  it("property: a slug made of the allowed characters without edge separators is its own slugify", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9]{0,20}(-[a-z0-9]{1,10}){0,3}$/), (s) => {
        expect(slugify(s)).toBe(s)
      })
    )
  })
})
