/**
 * Trigram similarity as PostgreSQL's pg_trgm computes it (`similarity(a, b)`), in plain TypeScript, so
 * both engines judge a typo the same way: PostgreSQL finds the candidates with its `%` operator and
 * SQLite with its FTS5 `trigram` table, and this function scores them. Browser-safe, pure.
 *
 * pg_trgm lower-cases the text, splits it into words of letters and digits, pads each word with two
 * spaces in front and one behind, and takes the set of all three-character windows. The similarity is
 * the size of the intersection over the size of the union of the two sets.
 */

const WORD = /[\p{L}\p{N}]+/gu

/** The words pg_trgm sees in `text`: runs of letters and digits, lower-cased. */
export const trigramWords = (text: string): Array<string> => text.normalize("NFC").toLowerCase().match(WORD) ?? []

/** The set of padded trigrams of `text` (pg_trgm's `show_trgm`, without its hashing of non-ASCII ones). */
export const trigrams = (text: string): Set<string> => {
  const out = new Set<string>()
  for (const word of trigramWords(text)) {
    const chars = Array.from(`  ${word} `)
    for (let i = 0; i + 3 <= chars.length; i++) out.add(chars[i]! + chars[i + 1]! + chars[i + 2]!)
  }
  return out
}

/** pg_trgm's `similarity(a, b)`: shared trigrams over all trigrams, in 0..1 (0 when both are empty). */
export const similarity = (a: string, b: string): number => setSimilarity(trigrams(a), trigrams(b))

/** `similarity` for sets already computed (a query is compared with many titles). */
export const setSimilarity = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  if (a.size === 0 || b.size === 0) return 0
  let common = 0
  for (const t of a) if (b.has(t)) common++
  return common / (a.size + b.size - common)
}

/**
 * The unpadded trigrams inside each word of `text`: what an FTS5 `trigram` table indexes, hence the
 * terms that find candidates there (a word shorter than three characters has none).
 */
export const innerTrigrams = (text: string): Array<string> => {
  const out = new Set<string>()
  for (const word of trigramWords(text)) {
    const chars = Array.from(word)
    for (let i = 0; i + 3 <= chars.length; i++) out.add(chars[i]! + chars[i + 1]! + chars[i + 2]!)
  }
  return [...out]
}
