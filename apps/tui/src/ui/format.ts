/** Pure text formatting for the dashboard: numbers, dates, sparklines, fixed-width cells. */

const BARS = "▁▂▃▄▅▆▇█"

/** `1778` → `1,778` (independent of the machine's locale). */
export const formatCount = (n: number): string => {
  const sign = n < 0 ? "-" : ""
  return sign + String(Math.trunc(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ",")
}

/** The calendar date in UTC, `YYYY-MM-DD`; `—` when unknown. */
export const formatDate = (d: Date | null): string =>
  d === null || Number.isNaN(d.getTime()) ? "—" : d.toISOString().slice(0, 10)

/**
 * One bar per value, scaled to the largest. A zero is the lowest bar and any activity at least the
 * second, so a quiet week never looks like an active one. No values (never fetched) is an empty string.
 */
export const sparkline = (values: ReadonlyArray<number>): string => {
  const max = Math.max(0, ...values)
  return values
    .map((v) => {
      if (v <= 0 || max === 0) return BARS[0]
      return BARS[Math.min(7, Math.max(1, Math.round((v / max) * 7)))]
    })
    .join("")
}

/** `text` cut or padded to exactly `width` columns (an ellipsis marks a cut). */
export const fit = (text: string, width: number): string => {
  if (width <= 0) return ""
  const chars = [...text]
  if (chars.length <= width) return text + " ".repeat(width - chars.length)
  return `${chars.slice(0, width - 1).join("")}…`
}

/** `text` right-aligned in `width` columns. */
export const fitRight = (text: string, width: number): string =>
  text.length >= width ? text : " ".repeat(width - text.length) + text
