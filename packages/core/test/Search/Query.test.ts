import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  exactMatcher,
  fts5AnyTrigram,
  fts5Exclusion,
  fuzzyText,
  fuzzyTrigrams,
  isEmpty,
  MAX_TERMS,
  nameMatcher,
  parse,
  postgresExclusion,
  type PrefixMode,
  specific,
  substringWords,
  toFts5,
  toFts5Any,
  toFts5Substring,
  toPostgres,
  toPostgresAny
} from "../../src/Search/Query.ts"

/** Inputs that are syntax in FTS5, tsquery or websearch_to_tsquery. */
const NASTY = [
  '"',
  '""',
  '"unclosed phrase',
  "*",
  "crisp*",
  "title:django",
  "{title}: x",
  "(",
  ")",
  "NEAR(a b, 2)",
  "a AND",
  "OR",
  "NOT x",
  "-",
  "--",
  "- -",
  "-django",
  "^start",
  "a + b",
  "'quoted'",
  "a & b | !c <-> d",
  "\\",
  "\u0000",
  "ÿ́",
  "🙂",
  "django:*",
  "  ",
  ""
]

/** A small recogniser of exactly the FTS5 this module writes: quoted strings, AND/OR/NOT, parens, `*`. */
const isWellFormedFts5 = (s: string): boolean => {
  let i = 0
  let depth = 0
  let expectOperand = true
  while (i < s.length) {
    const rest = s.slice(i)
    if (rest.startsWith(" ")) {
      i++
    } else if (expectOperand && rest.startsWith("(")) {
      depth++
      i++
    } else if (expectOperand && rest.startsWith('"')) {
      i++
      for (;;) {
        if (i >= s.length) return false
        if (s[i] === '"') {
          if (s[i + 1] === '"') i += 2
          else break
        } else i++
      }
      i++
      if (s[i] === "*") i++
      expectOperand = false
    } else if (!expectOperand && rest.startsWith(")")) {
      depth--
      if (depth < 0) return false
      i++
    } else if (!expectOperand && /^(AND|OR|NOT) /.test(rest)) {
      i += rest.indexOf(" ")
      expectOperand = true
    } else return false
  }
  return depth === 0 && !expectOperand
}

describe("Search/Query.parse", () => {
  it("reads words, phrases, exclusions and punctuation-joined words", () => {
    expect(parse('Django "rest framework" -jwt django-filter')).toEqual({
      include: [
        { words: ["django"], quoted: false },
        { words: ["rest", "framework"], quoted: true },
        { words: ["django", "filter"], quoted: false }
      ],
      exclude: [{ words: ["jwt"], quoted: false }],
      prefix: true
    })
    expect(parse('-"foo bar" baz').exclude).toEqual([{ words: ["foo", "bar"], quoted: true }])
    expect(parse("rest_framework 5.2").include.map((t) => t.words)).toEqual([
      ["rest", "framework"],
      ["5", "2"]
    ])
  })

  it("treats operators and stray syntax as text or nothing", () => {
    expect(parse("NEAR(a b)").include.map((t) => t.words)).toEqual([["near", "a"], ["b"]])
    expect(parse("a OR b").include.map((t) => t.words)).toEqual([["a"], ["or"], ["b"]])
    expect(isEmpty(parse("* : ( ) -"))).toBe(true)
    expect(isEmpty(parse("-django"))).toBe(true)
    expect(parse('"unclosed phrase').include).toEqual([{ words: ["unclosed", "phrase"], quoted: true }])
  })

  it("gives the last bare word a prefix match while it is being typed", () => {
    expect(parse("crisp").prefix).toBe(true)
    expect(parse("django cri").prefix).toBe(true)
    expect(parse("crisp ").prefix).toBe(false)
    expect(parse('"crisp"').prefix).toBe(false)
    expect(parse("django -cri").prefix).toBe(false)
    expect(parse("c").prefix).toBe(false)
    expect(parse("dj").prefix).toBe(true)
    expect(parse("crisp ", { prefix: "always" }).prefix).toBe(true)
    expect(parse("crisp", { prefix: "never" }).prefix).toBe(false)
  })

  it("caps the number of terms", () => {
    const q = parse(Array.from({ length: 40 }, (_, i) => `w${i}`).join(" "))
    expect(q.include.length + q.exclude.length).toBe(MAX_TERMS)
  })
})

describe("Search/Query engine forms", () => {
  it("writes FTS5 with every string quoted", () => {
    expect(toFts5(parse("django filter"))).toBe('"django" AND ("filter" OR "filter"*)')
    expect(toFts5(parse('"rest framework" -jwt -"foo bar"'))).toBe('("rest framework") NOT ("jwt" OR "foo bar")')
    expect(toFts5(parse("NEAR( crisp "))).toBe('"near" AND "crisp"')
    expect(toFts5Any(parse("django filter"))).toBe('"django" OR "filter" OR "filter"*')
    expect(fts5Exclusion(parse("a -b"))).toBe('"b"')
  })

  it("drops PostgreSQL's stop words, except a word still being typed", () => {
    expect(toFts5(parse("the "))).toBeUndefined()
    expect(toPostgres(parse("the "))).toBeUndefined()
    expect(toFts5(parse("tools for rest "))).toBe('"tools" AND "rest"')
    expect(toFts5(parse("for"))).toBe('("for" OR "for"*)')
    expect(toPostgres(parse("for"))).toEqual({ websearch: "", head: "", prefix: "for:*" })
    expect(toPostgres(parse("tools for rest "))?.websearch).toBe('"tools" "rest"')
    expect(toPostgres(parse('"best of django" '))?.websearch).toBe('"best of django"')
    // A query of only stop words and exclusions must not become "everything but the exclusions".
    expect(toPostgres(parse("the -foo "))).toBeUndefined()
  })

  it("writes PostgreSQL's websearch and prefix inputs", () => {
    expect(toPostgres(parse("django cri"))).toEqual({ websearch: '"django" "cri"', head: '"django"', prefix: "cri:*" })
    expect(toPostgres(parse('"rest framework" -jwt '))).toEqual({
      websearch: '"rest framework" -"jwt"',
      head: "",
      prefix: undefined
    })
    expect(toPostgres(parse("django-cri"))?.prefix).toBe("django <-> cri:*")
    expect(toPostgresAny(parse("django rest cri"))).toEqual({ websearch: '"django" or "rest"', prefix: "cri:*" })
    expect(postgresExclusion(parse("a -b -c"))).toBe('"b" or "c"')
  })

  it("finds the words for substring and typo matching", () => {
    expect(substringWords(parse("the rest of api"))).toEqual(["rest", "api"])
    expect(substringWords(parse("django-cr"))).toEqual([])
    expect(toFts5Substring(parse("rest api"))).toBe('"rest" AND "api"')
    expect(toFts5Substring(parse("dj"))).toBeUndefined()
    expect(fuzzyText(parse("djnago-filter"))).toBe("djnago filter")
    expect(fuzzyText(parse("ab"))).toBeUndefined()
    expect(fts5AnyTrigram(fuzzyTrigrams(parse("restframwork")))?.split(" OR ")).toHaveLength(10)
  })

  it("recognises an exact name whatever its punctuation and case", () => {
    const stripe = exactMatcher(parse("DJ stripe"))
    expect(["dj-stripe", "DJ_Stripe", "dj stripe", " dj.stripe "].every(stripe)).toBe(true)
    expect(["djstripe", "dj-stripe-x", "django-stripe"].some(stripe)).toBe(false)
    expect(exactMatcher(parse(""))("")).toBe(false)
  })

  it("takes a name with the django- or dj- prefix of Django packages as naming the rest", () => {
    const drf = exactMatcher(parse("rest framework"))
    expect(["django-rest-framework", "Django REST framework", "dj-rest-framework", "rest_framework"].every(drf)).toBe(
      true
    )
    expect(["django-rest-framework-jwt", "djangorestframework", "wagtail-rest-framework"].some(drf)).toBe(false)
    expect(exactMatcher(parse("stripe"))("dj-stripe")).toBe(true)
  })
})

describe("Search/Query on any input", () => {
  const anyInput = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: "grapheme", maxLength: 60 }),
    fc.array(fc.constantFrom(...NASTY, "django", "rest", "x"), { maxLength: 12 }).map((a) => a.join(" "))
  )

  it("never throws, and every FTS5 output is well formed", () => {
    fc.assert(
      fc.property(anyInput, fc.constantFrom<PrefixMode>("auto", "always", "never"), (input, prefix) => {
        const q = parse(input, { prefix })
        for (const out of [
          toFts5(q),
          toFts5Any(q),
          fts5Exclusion(q),
          toFts5Substring(q),
          fts5AnyTrigram(fuzzyTrigrams(q))
        ]) {
          if (out !== undefined) expect(isWellFormedFts5(out), out).toBe(true)
        }
        const pg = toPostgres(q)
        if (pg !== undefined) {
          // Only quoted strings, spaces and exclusion dashes reach websearch_to_tsquery.
          expect(pg.websearch).toMatch(/^(-?"[^"]*"( |$))*$/)
          expect(pg.prefix ?? "x:*").toMatch(/^[\p{L}\p{N}]+( <-> [\p{L}\p{N}]+)*:\*$/u)
        }
        // Whatever the engines would look up, there is a term to look up.
        if (toFts5(q) !== undefined) expect(isEmpty(q)).toBe(false)
      }),
      { numRuns: 2000 }
    )
    for (const input of NASTY) expect(() => toFts5(parse(input))).not.toThrow()
  })

  it("measures the share of the query a name holds, title and slug together", () => {
    const share = (q: string, title: string, slug: string) => nameMatcher(parse(q))(title, slug)
    expect(share("rest framework", "django-rest-framework", "drf")).toBe(1)
    expect(share("rest framework", "dj-rest-auth", "dj-rest-auth")).toBe(0.5)
    expect(share("drf", "django-rest-framework", "drf")).toBe(1)
    // Whole words only: "rest" inside "djangorestframework" is the substring lookup's evidence.
    expect(share("rest", "djangorestframework-csv", "djangorestframework-csv")).toBe(0)
    // The last word as a prefix while typing, not once the input ends in a space.
    expect(share("rest fram", "django-rest-framework", "drf")).toBe(1)
    expect(share("rest fram ", "django-rest-framework", "drf")).toBe(0.5)
    // Stop words do not count; a phrase needs all its words; diacritics are folded as the indexes do.
    expect(share("tools for rest", "rest-tools", "rest-tools")).toBe(1)
    expect(share('"rest framework"', "django-rest-auth", "x")).toBe(0)
    expect(share("cafe", "Café-Django", "cafe-django")).toBe(1)
    expect(share("", "django", "django")).toBe(0)
  })

  it("leaves out a generic django term when the query has other words", () => {
    const words = (q: string) => specific(parse(q)).include.map((t) => t.words.join(" "))
    expect(words("django registry")).toEqual(["registry"])
    expect(words("Django")).toEqual(["django"])
    expect(words("django the")).toEqual(["django", "the"])
    expect(words('"django rest" api')).toEqual(["django rest", "api"])
    expect(words("django-filter")).toEqual(["django filter"])
    // The prefix rule stays with the last word, and goes when the last word was the generic one.
    expect(specific(parse("django cri")).prefix).toBe(true)
    expect(specific(parse("registry django")).prefix).toBe(false)
  })
})
