/**
 * Grid cell markers (REFERENCE §5.3, `grid_tags.py::style_element`), parsed once into data: a tick, a
 * cross, plain text, or nothing. The reference's forms are kept:
 *
 * - a whole cell that is a keyword, any case: `check` `yes` `good` `+1` `+` → one tick; `bad` `negative`
 *   `evil` `sucks` `no` `-1` `-` → one cross;
 * - `+2` / `++` → two ticks, `+3`…`+9`, `+10`…, `+++`… → three (capped); the same with `-` for crosses;
 * - a cell that starts with a keyword: that marker, and the rest of the text beside it.
 *
 * Fixed: the reference tests the start with a bare `startswith`, so any text beginning with "no" or "-"
 * is a cross ("none" renders ✗ "ne", "node.js support" ✗ "de.js support", "not needed" ✗ "t needed"),
 * and "yestest" a tick. Here a leading keyword counts only as a whole word (the next character is not a
 * letter, digit, `_`, `'` or `-`), a leading `+`/`-`/`+1`/`-1` only when a space or the end follows (so
 * "-5 ms", "+0.5" and "--help" stay text), and the start is matched in any case ("No, use X" is a cross,
 * which the reference's case-sensitive prefix test missed).
 */

export type Marker = "good" | "bad" | "neutral" | "none"

export interface Cell {
  /** `good` (ticks), `bad` (crosses), `neutral` (text without a marker), `none` (an empty cell). */
  readonly marker: Marker
  /** How many ticks or crosses, 1–3; 0 for `neutral` and `none`. */
  readonly level: 0 | 1 | 2 | 3
  /** The text shown beside the marker: the cell without its marker and the separator after it, trimmed. */
  readonly text: string
}

/** The reference's keywords, in its order (`YES_KEYWORDS`, `NO_KEYWORDS`). */
export const YES_KEYWORDS = ["check", "yes", "good", "+1", "+"] as const
export const NO_KEYWORDS = ["bad", "negative", "evil", "sucks", "no", "-1", "-"] as const

const WORDS: ReadonlyArray<readonly [string, "good" | "bad"]> = [
  ...YES_KEYWORDS.filter((k) => /^[a-z]/.test(k)).map((k) => [k, "good"] as const),
  ...NO_KEYWORDS.filter((k) => /^[a-z]/.test(k)).map((k) => [k, "bad"] as const)
]
// Longest first, so `+1` wins over `+`.
const SIGNS: ReadonlyArray<readonly [string, "good" | "bad"]> = [
  ["+1", "good"],
  ["-1", "bad"],
  ["+", "good"],
  ["-", "bad"]
]

const EMPTY: Cell = { marker: "none", level: 0, text: "" }

// A word continues through letters, marks, digits, `_`, apostrophes and hyphens ("no-op", "don't").
const WORD_CHAR = /[\p{L}\p{M}\p{N}_'’-]/u
// What may sit between a leading marker and the text: spaces and one punctuation run (", ", ": ", " - ").
const SEPARATOR = /^[\s,;:.!?–—-]*\s*/u

/** `+2`/`++` → 2, `+3`…, `+10`…, `+++`… → 3 (capped), for one sign; undefined otherwise. */
const repeated = (s: string, sign: "+" | "-"): 2 | 3 | undefined => {
  const c = sign === "+" ? "\\+" : "-"
  if (new RegExp(`^(${c}2|${c}{2})$`).test(s)) return 2
  if (new RegExp(`^(${c}[3-9]+|${c}{3,}|${c}[1-9][0-9]+)$`).test(s)) return 3
  return undefined
}

const marked = (marker: "good" | "bad", level: 1 | 2 | 3, rest: string): Cell => ({
  marker,
  level,
  text: rest.replace(SEPARATOR, "").trim()
})

/** One cell's text as its marker and the text beside it. */
export const parseCell = (text: string): Cell => {
  const trimmed = text.trim()
  if (trimmed === "") return EMPTY
  const low = trimmed.toLowerCase()

  if ((YES_KEYWORDS as ReadonlyArray<string>).includes(low)) return { marker: "good", level: 1, text: "" }
  if ((NO_KEYWORDS as ReadonlyArray<string>).includes(low)) return { marker: "bad", level: 1, text: "" }
  for (const sign of ["+", "-"] as const) {
    const level = repeated(low, sign)
    if (level !== undefined) return { marker: sign === "+" ? "good" : "bad", level, text: "" }
  }

  for (const [word, marker] of WORDS) {
    if (trimmed.slice(0, word.length).toLowerCase() === word && !WORD_CHAR.test(trimmed.charAt(word.length))) {
      return marked(marker, 1, trimmed.slice(word.length))
    }
  }
  for (const [sign, marker] of SIGNS) {
    if (trimmed.startsWith(sign) && /^\s/u.test(trimmed.slice(sign.length))) {
      return marked(marker, 1, trimmed.slice(sign.length))
    }
  }
  return { marker: "neutral", level: 0, text: trimmed }
}
