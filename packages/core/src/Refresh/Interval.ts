/**
 * Durations as operators write them, for the refresh's `--time-budget`, `--lease` and the server's
 * `PACKGRID_REFRESH_INTERVAL`: `90s`, `10m`, `1h`, `1h30m`, `2d`, `500ms`; a bare number is seconds (the
 * reference's `--time-budget` took seconds).
 */
import { Either } from "effect"

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Milliseconds, or a message saying what is accepted. Zero and negative durations are refused. */
export const parseInterval = (text: string): Either.Either<number, string> => {
  const s = text.trim().toLowerCase()
  const refuse = Either.left(`"${text}" is not a duration: write e.g. 90s, 10m, 1h or 1h30m`)
  if (/^\d+(\.\d+)?$/.test(s)) {
    const ms = Number(s) * 1000
    return ms > 0 ? Either.right(ms) : refuse
  }
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(s)) return refuse
  let ms = 0
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) ms += Number(m[1]) * UNITS[m[2]!]!
  return ms > 0 && Number.isFinite(ms) ? Either.right(Math.round(ms)) : refuse
}

/** `90000` → `1m30s`, for logs and summaries. */
export const formatInterval = (ms: number): string => {
  if (ms < 1000) return `${Math.round(ms)}ms`
  let rest = Math.round(ms / 1000)
  const parts: Array<string> = []
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
    ["s", 1]
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`)
      rest %= size
    }
  }
  return parts.join("")
}
