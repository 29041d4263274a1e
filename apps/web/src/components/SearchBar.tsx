import { useEffect, useState } from "react"
import type { SearchSort } from "../api.ts"

/** The list's orders: the search's, plus the reference's own list (newest first). */
export type ListSort = SearchSort | "newest"

const SORT_LABELS: ReadonlyArray<readonly [ListSort, string]> = [
  ["score", "Best score"],
  ["relevance", "Best match"],
  ["stars", "Most stars"],
  ["last_commit", "Latest commit"],
  ["last_release", "Latest release"],
  ["name", "Name"],
  ["newest", "Newest listed"]
]

interface SearchBarProps {
  readonly q: string
  readonly sort: ListSort
  readonly onQ: (q: string) => void
  readonly onSort: (sort: ListSort) => void
}

/** The query box (type-ahead: results follow the typing) and the order of the list. */
export function SearchBar({ q, sort, onQ, onSort }: SearchBarProps) {
  return (
    <form className="search-bar" role="search" onSubmit={(event) => event.preventDefault()}>
      <label>
        <span className="visually-hidden">Search packages</span>
        <input
          type="search"
          name="q"
          value={q}
          placeholder="Search packages: rest framework, stripe, wagtial…"
          autoComplete="off"
          onChange={(event) => onQ(event.target.value)}
        />
      </label>
      <label>
        <span className="sort-label">Order</span>
        <select name="sort" value={sort} onChange={(event) => onSort(event.target.value as ListSort)}>
          {SORT_LABELS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </form>
  )
}

/** `value`, once it has stopped changing for `ms`: one search per pause in the typing, not per key. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}
