import type { MouseEvent } from "react"
import { searchPackages, type SearchRequest, type SearchRow } from "../api.ts"
import { formatDate, formatNumber, MISSING } from "../format.ts"
import { type Remote, useRemote } from "../remote.ts"
import { hashForSlug } from "../route.ts"
import { type Loaded, PagedList } from "./PagedList.tsx"

/** A page of results with the query it answers, so a stale page keeps its own label. */
export interface LoadedResults extends Loaded<SearchRow> {
  readonly q: string
}

interface SearchResultsProps {
  readonly request: SearchRequest
  readonly onOffset: (offset: number) => void
  readonly selectedSlug: string | null
  readonly onSelect: (slug: string) => void
}

/** Packages (and grids) matching the query, in the chosen order, loaded from the advanced search. */
export function SearchResults({ request, onOffset, selectedSlug, onSelect }: SearchResultsProps) {
  const key = `search?${request.q}&${request.sort}&${request.offset}`
  const { remote, retry } = useRemote(key, async (signal) => ({
    q: request.q,
    offset: request.offset,
    page: await searchPackages(request, { signal })
  }))
  return (
    <SearchResultsView
      remote={remote}
      selectedSlug={selectedSlug}
      onSelect={onSelect}
      onOffset={onOffset}
      onRetry={retry}
    />
  )
}

interface SearchResultsViewProps {
  readonly remote: Remote<LoadedResults>
  readonly selectedSlug: string | null
  readonly onSelect: (slug: string) => void
  readonly onOffset: (offset: number) => void
  readonly onRetry: () => void
}

const TEXTS = {
  failed: "Could not search packages",
  loading: "Searching…",
  empty: ({ q }: LoadedResults) => (q === "" ? "No packages yet." : `Nothing matches “${q}”.`)
}

/** The results in each state: loading, failed, none, or a page (possibly stale while the next loads). */
export function SearchResultsView({ remote, selectedSlug, onSelect, onOffset, onRetry }: SearchResultsViewProps) {
  return (
    <PagedList remote={remote} texts={TEXTS} onOffset={onOffset} onRetry={onRetry}>
      {(page, busy) => (
        <table className="packages" aria-busy={busy}>
          <caption className="visually-hidden">Search results, with packgrid's score</caption>
          <thead>
            <tr>
              <th scope="col">Package</th>
              <th scope="col" className="num">
                Score
              </th>
              <th scope="col" className="num">
                Stars
              </th>
              <th scope="col" className="num">
                Forks
              </th>
              <th scope="col">Last commit</th>
              <th scope="col">
                <span className="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.results.map((row) => (
              <ResultRow
                key={`${row.item_type}-${row.id}`}
                row={row}
                selected={row.item_type === "package" && row.slug === selectedSlug}
                onSelect={onSelect}
              />
            ))}
          </tbody>
        </table>
      )}
    </PagedList>
  )
}

interface ResultRowProps {
  readonly row: SearchRow
  readonly selected: boolean
  readonly onSelect: (slug: string) => void
}

/** A package opens its details; a grid (a topic, such as "Stripe") is listed as one, without details. */
function ResultRow({ row, selected, onSelect }: ResultRowProps) {
  const isPackage = row.item_type === "package"
  const onClick = (event: MouseEvent<HTMLTableRowElement>) => {
    if (!isPackage || (event.target instanceof Element && event.target.closest("a") !== null)) return
    onSelect(row.slug)
  }
  const confidence = row.score_report?.confidence?.level
  return (
    <tr className={selected ? "selected" : undefined} aria-current={selected ? "true" : undefined} onClick={onClick}>
      <th scope="row">
        <span className="title">{row.title}</span>
        {isPackage ? null : <span className="tag">grid</span>}
        {row.description ? <span className="summary">{row.description}</span> : null}
      </th>
      <td className="num">
        {isPackage ? (
          <span className="score" title={confidence === undefined ? undefined : `${confidence} confidence`}>
            {row.package_score}
          </span>
        ) : (
          MISSING
        )}
      </td>
      <td className="num">{isPackage ? formatNumber(row.repo_watchers) : MISSING}</td>
      <td className="num">{isPackage ? formatNumber(row.repo_forks) : MISSING}</td>
      <td>
        {row.last_committed === null ? (
          MISSING
        ) : (
          <time dateTime={row.last_committed}>{formatDate(row.last_committed)}</time>
        )}
      </td>
      <td>
        {isPackage ? (
          <a className="details-link" href={hashForSlug(row.slug)} aria-label={`Details for ${row.title}`}>
            Details
          </a>
        ) : null}
      </td>
    </tr>
  )
}
