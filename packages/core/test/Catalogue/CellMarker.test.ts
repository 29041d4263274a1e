import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Cell, NO_KEYWORDS, parseCell, YES_KEYWORDS } from "../../src/Catalogue/CellMarker.ts"

/**
 * The reference's `style_element` (REFERENCE §5.3) restated, bug included, as an oracle: the marker and
 * level it shows, and the remainder it prints after the icon.
 */
const reference = (text: string): { marker: "good" | "bad" | null; level: number; rest: string } => {
  const low = text.trim().toLowerCase()
  if ((YES_KEYWORDS as ReadonlyArray<string>).includes(low)) return { marker: "good", level: 1, rest: "" }
  if ((NO_KEYWORDS as ReadonlyArray<string>).includes(low)) return { marker: "bad", level: 1, rest: "" }
  if (/^(\+2|\+{2})$/.test(low)) return { marker: "good", level: 2, rest: "" }
  if (/^(-2|-{2})$/.test(low)) return { marker: "bad", level: 2, rest: "" }
  if (/^(\+[3-9]+|\+{3,}|\+[1-9][0-9]+)$/.test(low)) return { marker: "good", level: 3, rest: "" }
  if (/^(-[3-9]+|-{3,}|-[1-9][0-9]+)$/.test(low)) return { marker: "bad", level: 3, rest: "" }
  for (const k of YES_KEYWORDS) if (text.startsWith(k)) return { marker: "good", level: 1, rest: text.slice(k.length) }
  for (const k of NO_KEYWORDS) if (text.startsWith(k)) return { marker: "bad", level: 1, rest: text.slice(k.length) }
  return { marker: null, level: 0, rest: text }
}

const cell = (marker: Cell["marker"], level: Cell["level"], text: string): Cell => ({ marker, level, text })

describe("parseCell: the reference's markers (REFERENCE §5.3)", () => {
  it("reads a whole-cell keyword in any case as one tick or one cross, with no text", () => {
    for (const k of [...YES_KEYWORDS, "Yes", "YES", "Check", "Good", " yes "])
      expect(parseCell(k)).toEqual(cell("good", 1, ""))
    for (const k of [...NO_KEYWORDS, "No", "NO", "Bad", "Sucks", "\tno\n"])
      expect(parseCell(k)).toEqual(cell("bad", 1, ""))
  })

  it("reads +2/++ as two ticks and +3…, +10…, +++… as three (capped), and the same for crosses", () => {
    expect(parseCell("+2")).toEqual(cell("good", 2, ""))
    expect(parseCell("++")).toEqual(cell("good", 2, ""))
    expect(parseCell("--")).toEqual(cell("bad", 2, ""))
    expect(parseCell("-2")).toEqual(cell("bad", 2, ""))
    // The reference's own tests: +4 and +42 give three ticks.
    for (const t of ["+3", "+4", "+42", "+++", "+++++", "+10", "+99"]) expect(parseCell(t)).toEqual(cell("good", 3, ""))
    for (const t of ["-3", "-9", "-42", "---", "-10"]) expect(parseCell(t)).toEqual(cell("bad", 3, ""))
  })

  it("reads a leading keyword or sign as the marker, and the rest (without its separator) as the text", () => {
    expect(parseCell("yes, with the contrib app")).toEqual(cell("good", 1, "with the contrib app"))
    expect(parseCell("Yes (via a plugin)")).toEqual(cell("good", 1, "(via a plugin)"))
    expect(parseCell("No - use django-filter instead")).toEqual(cell("bad", 1, "use django-filter instead"))
    expect(parseCell("no: only PostgreSQL")).toEqual(cell("bad", 1, "only PostgreSQL"))
    expect(parseCell("NO support for MySQL")).toEqual(cell("bad", 1, "support for MySQL"))
    expect(parseCell("+ async views")).toEqual(cell("good", 1, "async views"))
    expect(parseCell("+1 for the admin")).toEqual(cell("good", 1, "for the admin"))
    expect(parseCell("- no admin")).toEqual(cell("bad", 1, "no admin"))
    expect(parseCell("-1 slow")).toEqual(cell("bad", 1, "slow"))
    expect(parseCell("No.")).toEqual(cell("bad", 1, ""))
    expect(parseCell("good docs, few tests")).toEqual(cell("good", 1, "docs, few tests"))
  })

  it("fixes 'anything starting with no is a cross': not, nothing, node, none, north, no-op stay text", () => {
    for (const t of ["not needed", "nothing", "node.js only", "none", "north america", "no-op", "nope"]) {
      expect(parseCell(t), t).toEqual(cell("neutral", 0, t))
      expect(reference(t).marker, `the reference marks "${t}"`).toBe("bad")
      const capital = `${t[0]!.toUpperCase()}${t.slice(1)}`
      expect(parseCell(capital), capital).toEqual(cell("neutral", 0, capital))
    }
    // Other words that merely begin like a keyword, and signs that are numbers or flags.
    for (const t of ["yestest", "goodness", "badge", "checkout", "evilness", "-5 ms", "+0.5", "--help", "-v", "+x"]) {
      expect(parseCell(t), t).toEqual(cell("neutral", 0, t))
    }
  })

  it("tells an empty cell (none) from text without a marker (neutral)", () => {
    expect(parseCell("")).toEqual(cell("none", 0, ""))
    expect(parseCell("   \n")).toEqual(cell("none", 0, ""))
    expect(parseCell(" PostgreSQL only ")).toEqual(cell("neutral", 0, "PostgreSQL only"))
    expect(parseCell("0")).toEqual(cell("neutral", 0, "0"))
  })
})

describe("parseCell: properties", () => {
  const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ,.()'-]{0,30}$/)
  const anyText = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc
      .constantFrom(...YES_KEYWORDS, ...NO_KEYWORDS)
      .chain((k) =>
        fc
          .tuple(fc.constantFrom("", " ", ", ", ": ", "-", "x", "."), fc.string({ maxLength: 20 }))
          .map(([sep, rest]) => `${k}${sep}${rest}`)
      ),
    fc.stringMatching(/^[+-]{1,4}[0-9]{0,3}$/)
  )

  it("never throws; the level is 1–3 exactly when there is a marker; none only for blank cells", () => {
    fc.assert(
      fc.property(anyText, (t) => {
        const c = parseCell(t)
        expect(["good", "bad", "neutral", "none"]).toContain(c.marker)
        expect(c.level >= 1 && c.level <= 3).toBe(c.marker === "good" || c.marker === "bad")
        expect(c.marker === "none").toBe(t.trim() === "")
        expect(c.text).toBe(c.text.trim())
        if (c.marker === "neutral") expect(c.text).toBe(t.trim())
      }),
      { numRuns: 2000 }
    )
  })

  it("only ever shows a marker the reference shows too, at the same level (it never invents one)", () => {
    fc.assert(
      fc.property(anyText, (t) => {
        const ours = parseCell(t)
        if (ours.marker !== "good" && ours.marker !== "bad") return
        // The reference tests the start case-sensitively on the raw text; ours reads any case after trimming.
        const theirs = reference(t.trim().toLowerCase())
        expect(theirs.marker).toBe(ours.marker)
        expect(theirs.level).toBe(ours.level)
      }),
      { numRuns: 2000 }
    )
  })

  it("a keyword glued to more letters is never a marker; the same keyword as a whole word is", () => {
    const keyword = fc.constantFrom("check", "yes", "good", "bad", "negative", "evil", "sucks", "no")
    fc.assert(
      fc.property(
        keyword,
        fc.stringMatching(/^[a-z]{1,8}$/),
        fc.stringMatching(/^[a-z][a-z ]{0,20}$/),
        (k, glued, rest) => {
          expect(parseCell(`${k}${glued} ${rest}`).marker).toBe("neutral")
          const whole = parseCell(`${k} ${rest}`)
          expect(whole.marker).toBe(YES_KEYWORDS.includes(k as never) ? "good" : "bad")
          expect(whole.text).toBe(rest.trim())
        }
      )
    )
  })

  it("does not depend on letter case or surrounding whitespace", () => {
    fc.assert(
      fc.property(word, fc.constantFrom("", " ", "\t", "\n "), (t, pad) => {
        const plain = parseCell(t)
        expect(parseCell(`${pad}${t}${pad}`)).toEqual(plain)
        const upper = parseCell(t.toUpperCase())
        expect(upper.marker).toBe(plain.marker)
        expect(upper.level).toBe(plain.level)
        expect(upper.text.toLowerCase()).toBe(plain.text.toLowerCase())
      })
    )
  })
})
