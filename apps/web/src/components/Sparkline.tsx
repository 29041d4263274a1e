import { plural } from "../format.ts"

interface SparklineProps {
  readonly values: ReadonlyArray<number>
  readonly width?: number
  readonly height?: number
}

// Keeps the 1.5px stroke inside the box at the highest and lowest weeks.
const INSET = 1.5

/** SVG polyline points for `values` scaled into a width × height box, oldest value on the left. */
export function sparklinePoints(values: ReadonlyArray<number>, width: number, height: number): string {
  const max = Math.max(1, ...values)
  const step = values.length > 1 ? (width - 2 * INSET) / (values.length - 1) : 0
  return values
    .map((value, i) => {
      const x = values.length > 1 ? INSET + i * step : width / 2
      const y = height - INSET - (Math.max(0, value) / max) * (height - 2 * INSET)
      return `${round(x)},${round(y)}`
    })
    .join(" ")
}

/** Weekly commits as a small line chart; the accessible name carries the total. */
export function Sparkline({ values, width = 104, height = 24 }: SparklineProps) {
  if (values.length === 0) return <span className="sparkline-empty">no data</span>
  const total = values.reduce((sum, n) => sum + n, 0)
  const label = `${plural(total, "commit")} in the last ${values.length} weeks`
  const points = sparklinePoints(values, width, height)
  const baseline = round(height - INSET)
  const area = `${INSET},${baseline} ${points} ${round(width - INSET)},${baseline}`
  return (
    <svg
      className="sparkline"
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      <title>{label}</title>
      <polygon className="sparkline-area" points={area} />
      <polyline className="sparkline-line" points={points} />
    </svg>
  )
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}
