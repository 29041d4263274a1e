import type { MouseEvent } from "react"
import { PAGE_SIZE, type PageV4, searchPackages, type SearchRequest, type SearchRow } from "../api.ts"
import { formatDate, formatNumber, MISSING } from "../format.ts"
import { type Remote, useRemote } from "../remote.ts"
import { hashForSlug } from "../route.ts"
import { LoadError } from "./LoadError.tsx"
import { Pagination } from "./Pagination.tsx"

/** A page of results with the request it answers, so a stale page keeps its own label. */
export interface LoadedResults {
  readonly request: SearchRequest
  readonly page: PageV4<SearchRow>
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
    request,
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

/** The results in each state: loading, failed, none, or a page (possibly stale while the next loads). */
export function SearchResultsView({ remote, selectedSlug, onSelect, onOffset, onRetry }: SearchResultsViewProps) {
  if (remote.state === "failed") {
    return <LoadError title="Could not search packages" error={remote.error} onRetry={onRetry} />
  }
  const loaded = remote.state === "loaded" ? remote.value : remote.stale
  if (loaded === null) {
    return (
      <p className="status" role="status">
        Searching…
      </p>
    )
  }
  const { request, page } = loaded
  if (page.count === 0) {
    return (
      <p className="status" role="status">
        {request.q === "" ? "No packages yet." : `Nothing matches “${request.q}”.`}
      </p>
    )
  }
  const loading = remote.state === "loading"
  return (
    <div className="browser">
      <table className="packages" aria-busy={loading}>
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
      <Pagination
        offset={request.offset}
        shown={page.results.length}
        count={page.count}
        hasPrevious={!loading && page.previous !== null}
        hasNext={!loading && page.next !== null}
        onPrevious={() => onOffset(Math.max(0, request.offset - PAGE_SIZE))}
        onNext={() => onOffset(request.offset + PAGE_SIZE)}
      />
    </div>
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
