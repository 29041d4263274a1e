/**
 * Fixed-point helpers. Points travel as integer tenths so every breakdown sums exactly; normalized values
 * are quantized to 1e-4 before they are scaled, so a component's points are an integer computation of a
 * quantized input.
 */

/** round(a / b), halves up, for integers a ≥ 0 and b > 0. */
export const divRound = (a: number, b: number): number => Math.floor((2 * a + b) / (2 * b))

export const clamp01 = (x: number): number => (x <= 0 || Number.isNaN(x) ? 0 : x >= 1 ? 1 : x)

/** A normalized value in [0, 1] as an integer number of ten-thousandths. */
export const quantize = (x: number): number => Math.round(clamp01(x) * 10_000)

/** Points (in tenths) of a quantized normalized value on a component worth `maxTenths`. */
export const tenthsOf = (q: number, maxTenths: number): number => divRound(q * maxTenths, 10_000)

/** Tenths as a display number with one decimal (the nearest double to it, printed as such by JSON). */
export const fromTenths = (t: number): number => t / 10

/** Piecewise-linear interpolation through anchors sorted by x, clamped at both ends (SCORING.md §8.3 `pl`). */
export const pl = (x: number, anchors: ReadonlyArray<readonly [number, number]>): number => {
  let prev: readonly [number, number] | undefined
  for (const anchor of anchors) {
    if (x <= anchor[0]) {
      if (prev === undefined) return anchor[1]
      return prev[1] + ((anchor[1] - prev[1]) * (x - prev[0])) / (anchor[0] - prev[0])
    }
    prev = anchor
  }
  return prev === undefined ? 0 : prev[1]
}

/** `min(1, ln(1 + max(0, x)) / ln(1 + T))` (SCORING.md §8.3 `lg`). */
export const lg = (x: number, threshold: number): number =>
  Math.min(1, Math.log(1 + Math.max(0, x)) / Math.log(1 + threshold))

/**
 * Splits `total` into integer parts proportional to `weights` (largest remainder, ties to the earlier part),
 * so the parts sum to `total` exactly.
 */
export const apportion = (weights: ReadonlyArray<number>, total: number): ReadonlyArray<number> => {
  const sum = weights.reduce((s, w) => s + w, 0)
  if (sum === 0) return weights.map(() => 0)
  const exact = weights.map((w) => (w * total) / sum)
  const parts = exact.map(Math.floor)
  let rest = total - parts.reduce((s, p) => s + p, 0)
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i)
  for (const { i } of order) {
    if (rest <= 0) break
    parts[i] = (parts[i] ?? 0) + 1
    rest--
  }
  return parts
}
