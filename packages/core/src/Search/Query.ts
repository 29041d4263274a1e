/**
 * What a person typed into a search box, read once and written out for each engine. Pure and
 * browser-safe (the web dashboard uses it to show how a query was understood).
 *
 * The language is the reference's (`websearch_to_tsquery`): words are ANDed, `"quoted words"` are a
 * phrase, `-word` or `-"a phrase"` excludes. Everything else is text: `*`, `:`, `(`, `^`, `NEAR`, `AND`,
 * `OR` and stray quotes carry no syntax. A run of letters and digits joined by punctuation
 * (`django-filter`, `rest_framework`, `5.2`) is a phrase of its parts, which is how both engines index
 * slugs. Every output is built only from letters, digits, spaces and the syntax this module adds, so
 * no input can make FTS5 or PostgreSQL fail to parse a query.
 *
 * Type-ahead (the reference's rule, generalised): the reference adds a prefix match when the whole query
 * is one 3–5 character word. Here the last term gets a prefix match whenever it is a bare (unquoted,
 * not excluded) word of at least `MIN_PREFIX` characters and the input does not end in a space, so
 * `crisp` finds django-crispy-forms and `django cri` narrows as one types.
 */
import { innerTrigrams } from "./Trigram.ts"

/** Longer input is cut (the reference's search form allows 100 characters). */
export const MAX_INPUT = 200
/** At most this many terms are used; the rest of the input is ignored. */
export const MAX_TERMS = 16
/** A word is cut to this many characters. */
export const MAX_WORD = 64
/** The shortest last word that gets a prefix match (FTS5 keeps prefix indexes for 2, 3 and 4 characters). */
export const MIN_PREFIX = 2
/** Typo matching needs this many characters, as in the reference (`len(q) >= 3`). */
export const MIN_FUZZY = 3
/** At most this many trigrams ask the FTS5 trigram table for typo candidates. */
const MAX_TRIGRAMS = 48

/**
 * Words too common to look up (PostgreSQL's `english` stop words, as the reference's search drops
 * them): "tools for rest" finds packages without "for". Inside a quoted phrase they are kept.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers " +
    "herself it its itself they them their theirs themselves what which who whom this that these those am is " +
    "are was were be been being have has had having do does did doing a an the and but if or because as " +
    "until while of at by for with about against between into through during before after above below to " +
    "from up down in out on off over under again further then once here there when where why how all any " +
    "both each few more most other some such no nor not only own same so than too very s t can will just " +
    "don should now"
  ).split(" ")
)

/** One term: a word, or a phrase of consecutive words (quoted, or joined by punctuation). */
export interface Term {
  readonly words: ReadonlyArray<string>
  readonly quoted: boolean
}

export interface ParsedQuery {
  /** Terms every match must have (ANDed). */
  readonly include: ReadonlyArray<Term>
  /** Terms no match may have. */
  readonly exclude: ReadonlyArray<Term>
  /** The last included term also matches as a prefix (type-ahead). */
  readonly prefix: boolean
}

export type PrefixMode = "auto" | "always" | "never"

const WORD = /[\p{L}\p{N}]+/gu
const SPACE = /\s/u

const wordsOf = (text: string): Array<string> =>
  (text.toLowerCase().match(WORD) ?? []).map((w) => Array.from(w).slice(0, MAX_WORD).join(""))

const isStopWord = (word: string) => STOP_WORDS.has(word)
/** A term the engines keep: PostgreSQL ignores a term made only of stop words. */
const hasContent = (t: Term) => t.words.some((w) => !isStopWord(w))

/**
 * Reads `input`. `prefix`: "auto" applies the type-ahead rule above, "always" treats the last bare word
 * as unfinished even after a trailing space (a suggestion box), "never" turns prefix matching off.
 */
export const parse = (input: string, options: { readonly prefix?: PrefixMode } = {}): ParsedQuery => {
  const chars = Array.from(input.normalize("NFC")).slice(0, MAX_INPUT)
  const include: Array<Term> = []
  const exclude: Array<Term> = []
  let last: { term: Term; negated: boolean; end: number } | undefined
  let i = 0
  while (i < chars.length && include.length + exclude.length < MAX_TERMS) {
    while (i < chars.length && SPACE.test(chars[i]!)) i++
    if (i >= chars.length) break
    let negated = false
    if (chars[i] === "-" && i + 1 < chars.length && !SPACE.test(chars[i + 1]!)) {
      negated = true
      i++
    }
    let text: string
    let quoted = false
    if (chars[i] === '"') {
      quoted = true
      const close = chars.indexOf('"', i + 1)
      const end = close < 0 ? chars.length : close
      text = chars.slice(i + 1, end).join("")
      i = end + 1
    } else {
      const start = i
      while (i < chars.length && !SPACE.test(chars[i]!) && chars[i] !== '"') i++
      text = chars.slice(start, i).join("")
    }
    const words = wordsOf(text)
    if (words.length === 0) continue
    const term: Term = { words, quoted }
    ;(negated ? exclude : include).push(term)
    last = { term, negated, end: i }
  }
  const mode = options.prefix ?? "auto"
  const lastWord = last?.term.words[last.term.words.length - 1] ?? ""
  const prefix =
    mode !== "never" &&
    last !== undefined &&
    !last.negated &&
    !last.term.quoted &&
    Array.from(lastWord).length >= MIN_PREFIX &&
    (mode === "always" || last.end >= chars.length)
  return { include, exclude, prefix }
}

/**
 * Words that say nothing in a directory of Django packages when the query has others: "django registry"
 * asks for registries (aristotle-metadata-registry never says "django"), "django" alone for Django.
 */
const GENERIC: ReadonlySet<string> = new Set(["django"])

const isGeneric = (t: Term) => !t.quoted && t.words.length === 1 && GENERIC.has(t.words[0]!)

/**
 * What the indexes must match: the query without its generic terms when it has other words, so
 * "django registry" finds what "registry" finds (the exact-name test keeps the whole query). The
 * prefix rule stays with the last term only if that term stays.
 */
export const specific = (q: ParsedQuery): ParsedQuery => {
  const kept = q.include.filter((t) => !isGeneric(t))
  if (kept.length === q.include.length || !kept.some(hasContent)) return q
  const last = q.include[q.include.length - 1]!
  return { include: kept, exclude: q.exclude, prefix: q.prefix && !isGeneric(last) }
}

/** Whether the query asks for anything (a query of only exclusions asks for nothing). */
export const isEmpty = (q: ParsedQuery): boolean => q.include.length === 0

const quote = (words: ReadonlyArray<string>) => `"${words.join(" ").replaceAll('"', '""')}"`

/**
 * The FTS5 `MATCH` expression, or undefined when the engines would have nothing to look up (only
 * stop words). Every string is quoted, so `NEAR`, `AND`, `*` and column filters are text.
 */
export const toFts5 = (q: ParsedQuery): string | undefined => {
  const parts: Array<string> = []
  q.include.forEach((t, i) => {
    const isPrefix = q.prefix && i === q.include.length - 1
    if (isPrefix) parts.push(`(${quote(t.words)} OR ${quote(t.words)}*)`)
    else if (hasContent(t)) parts.push(quote(t.words))
  })
  if (parts.length === 0) return undefined
  const positive = parts.join(" AND ")
  const negative = fts5Exclusion(q)
  return negative === undefined ? positive : `(${positive}) NOT (${negative})`
}

/** The included terms as FTS5 alternatives (the last as a prefix too): does a column hold any of them. */
export const toFts5Any = (q: ParsedQuery): string | undefined => {
  const parts: Array<string> = []
  q.include.forEach((t, i) => {
    if (q.prefix && i === q.include.length - 1) parts.push(`${quote(t.words)} OR ${quote(t.words)}*`)
    else if (hasContent(t)) parts.push(quote(t.words))
  })
  return parts.length === 0 ? undefined : parts.join(" OR ")
}

/** An FTS5 expression matching any excluded term, for lookups that do not go through `toFts5`. */
export const fts5Exclusion = (q: ParsedQuery): string | undefined => {
  const parts = q.exclude.filter(hasContent).map((t) => quote(t.words))
  return parts.length === 0 ? undefined : parts.join(" OR ")
}

/** PostgreSQL's side: inputs for `websearch_to_tsquery('simple', …)` and the prefix `to_tsquery('simple', …)`. */
export interface PostgresQuery {
  /** Every term (stop words left out as for FTS5). */
  readonly websearch: string
  /** Every term but the prefix one, ANDed with `prefix` (empty when there is none). */
  readonly head: string
  /** The last term as a prefix (`django <-> cri:*`), for `to_tsquery`. */
  readonly prefix: string | undefined
}

const websearchTerm = (t: Term, negated: boolean) => `${negated ? "-" : ""}${quote(t.words)}`

/**
 * The PostgreSQL query, or undefined when there is nothing to look up. The text search is
 * `websearch_to_tsquery('simple', websearch)`, OR-ed with `websearch_to_tsquery('simple', head) &&
 * to_tsquery('simple', prefix)` when the last term is a prefix (the reference's form).
 */
export const toPostgres = (q: ParsedQuery): PostgresQuery | undefined => {
  if (!q.include.some(hasContent) && !q.prefix) return undefined
  const negatives = q.exclude.filter(hasContent).map((t) => websearchTerm(t, true))
  const positives = (terms: ReadonlyArray<Term>) => terms.filter(hasContent).map((t) => websearchTerm(t, false))
  const websearch = [...positives(q.include), ...negatives].join(" ")
  if (!q.prefix) return { websearch, head: "", prefix: undefined }
  const lastTerm = q.include[q.include.length - 1]!
  return {
    websearch,
    head: [...positives(q.include.slice(0, -1)), ...negatives].join(" "),
    prefix: `${lastTerm.words.join(" <-> ")}:*`
  }
}

/**
 * The included terms as alternatives, for PostgreSQL: `websearch_to_tsquery('simple', websearch)`
 * OR-ed with the prefix query when there is one (undefined when there is nothing to look up).
 */
export const toPostgresAny = (q: ParsedQuery): Omit<PostgresQuery, "head"> | undefined => {
  const all = toPostgres(q)
  if (all === undefined) return undefined
  const terms = (all.prefix === undefined ? q.include : q.include.slice(0, -1)).filter(hasContent)
  return { websearch: terms.map((t) => quote(t.words)).join(" or "), prefix: all.prefix }
}

/** A `websearch_to_tsquery` input matching any excluded term. */
export const postgresExclusion = (q: ParsedQuery): string | undefined => {
  const parts = q.exclude.filter(hasContent).map((t) => quote(t.words))
  return parts.length === 0 ? undefined : parts.join(" or ")
}

/**
 * Words a title or slug must contain as substrings (all of them): `rest` inside `djangorestframework`,
 * which neither engine's word index sees. Stop words are left out; a word under three characters (which
 * a trigram index cannot look up) turns the lookup off rather than widen it to the other words alone.
 */
export const substringWords = (q: ParsedQuery): ReadonlyArray<string> => {
  const words = q.include.flatMap((t) => t.words).filter((w) => !isStopWord(w))
  return words.some((w) => Array.from(w).length < 3) ? [] : [...new Set(words)]
}

/** The FTS5 `trigram` table expression for `substringWords`, or undefined when there are none. */
export const toFts5Substring = (q: ParsedQuery): string | undefined => {
  const words = substringWords(q)
  return words.length === 0 ? undefined : words.map((w) => quote([w])).join(" AND ")
}

/** The text compared with titles and slugs for typos (the reference compares the whole query). */
export const fuzzyText = (q: ParsedQuery): string | undefined => {
  const text = q.include.flatMap((t) => t.words).join(" ")
  return Array.from(text.replaceAll(" ", "")).length >= MIN_FUZZY ? text : undefined
}

/** The trigrams that ask the FTS5 trigram table for typo candidates: those inside the query's words. */
export const fuzzyTrigrams = (q: ParsedQuery): ReadonlyArray<string> => {
  const text = fuzzyText(q)
  return text === undefined ? [] : innerTrigrams(text).slice(0, MAX_TRIGRAMS)
}

/** The FTS5 `trigram` table expression matching any of `grams`. */
export const fts5AnyTrigram = (grams: ReadonlyArray<string>): string | undefined =>
  grams.length === 0 ? undefined : grams.map((g) => quote([g])).join(" OR ")

/** Most names are printable ASCII: the Unicode normalisations are skipped for them (ranking tests every match). */
const NON_ASCII = /[^ -~]/

/**
 * A test of whether a title or slug is exactly what was asked for, punctuation and case aside, and the
 * `django-` or `dj-` most Django packages are named with aside too: `dj stripe`, `DJ-Stripe`,
 * `"dj-stripe"` and `stripe` all name dj-stripe, `rest framework` names django-rest-framework (and not
 * its many django-rest-framework-* extensions). Built once per query (it runs on every match of a broad one).
 */
export const exactMatcher = (q: ParsedQuery): ((text: string) => boolean) => {
  const asked = q.include.flatMap((t) => t.words)
  if (asked.length === 0) return () => false
  // The words are letters and digits only: nothing to escape.
  const re = new RegExp(
    `^[^\\p{L}\\p{N}]*(?:(?:django|dj)[^\\p{L}\\p{N}]+)?${asked.join("[^\\p{L}\\p{N}]+")}[^\\p{L}\\p{N}]*$`,
    "u"
  )
  return (text) => {
    const lower = text.toLowerCase()
    return re.test(NON_ASCII.test(lower) ? lower.normalize("NFC") : lower)
  }
}

/** Text as the word indexes compare it: lower case, diacritics removed (FTS5's `remove_diacritics`). */
const folded = (text: string) => {
  const lower = text.toLowerCase()
  return NON_ASCII.test(lower) ? lower.normalize("NFD").replace(/\p{M}/gu, "") : lower
}

/**
 * How much of the query a package's name holds: the share of its terms (stop words aside) whose words
 * are all among the words of the title and slug together, the last term also as a prefix when typing.
 * Title and slug are one name here because they are two spellings of it: `drf` is the slug of
 * "django-rest-framework", and "rest framework" is all in that name. Built once per query: a word test
 * is one compiled expression, since it runs on every match of a broad query.
 */
export const nameMatcher = (q: ParsedQuery): ((title: string, slug: string) => number) => {
  const terms = q.include
    .map((t, i) => ({ t, prefix: q.prefix && i === q.include.length - 1 }))
    .filter(({ t }) => hasContent(t))
    .map(({ t, prefix }) =>
      t.words.map((w, j) => {
        // Words are letters and digits only: nothing to escape.
        const end = prefix && j === t.words.length - 1 ? "" : "(?![\\p{L}\\p{N}])"
        return new RegExp(`(?<![\\p{L}\\p{N}])${folded(w)}${end}`, "u")
      })
    )
  if (terms.length === 0) return () => 0
  return (title, slug) => {
    const name = folded(`${title} ${slug}`)
    let held = 0
    for (const words of terms) if (words.every((re) => re.test(name))) held++
    return held / terms.length
  }
}

/** `exactMatcher(q)(text)`. */
export const isExactMatch = (q: ParsedQuery, text: string): boolean => exactMatcher(q)(text)
