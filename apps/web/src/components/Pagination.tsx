import { formatRange } from "../format.ts"

interface PaginationProps {
  readonly offset: number
  readonly shown: number
  readonly count: number
  readonly hasPrevious: boolean
  readonly hasNext: boolean
  readonly onPrevious: () => void
  readonly onNext: () => void
}

/** Previous/next buttons around the "21–40 of 57" label. */
export function Pagination({ offset, shown, count, hasPrevious, hasNext, onPrevious, onNext }: PaginationProps) {
  return (
    <nav className="pagination" aria-label="Package pages">
      <button type="button" onClick={onPrevious} disabled={!hasPrevious}>
        ← Previous
      </button>
      <span className="pagination-range" aria-live="polite">
        {formatRange(offset, shown, count)}
      </span>
      <button type="button" onClick={onNext} disabled={!hasNext}>
        Next →
      </button>
    </nav>
  )
}
