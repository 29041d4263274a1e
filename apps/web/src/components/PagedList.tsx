import type { ReactNode } from "react"
import { PAGE_SIZE, type PageV4 } from "../api.ts"
import type { Remote } from "../remote.ts"
import { LoadError } from "./LoadError.tsx"
import { Pagination } from "./Pagination.tsx"

/** A page together with the offset it was asked for, so a stale page keeps its own label. */
export interface Loaded<T> {
  readonly offset: number
  readonly page: PageV4<T>
}

interface PagedListProps<L extends Loaded<unknown>> {
  readonly remote: Remote<L>
  readonly texts: {
    readonly failed: string
    readonly loading: string
    readonly empty: (loaded: L) => string
  }
  readonly onOffset: (offset: number) => void
  readonly onRetry: () => void
  /** The table of one page; `busy` while the next page loads. */
  readonly children: (page: L["page"], busy: boolean) => ReactNode
}

/**
 * A paged list in each of its states: loading, failed, empty, or a page with its pagination (kept,
 * dimmed and without paging, while the next one loads).
 */
export function PagedList<L extends Loaded<unknown>>({
  remote,
  texts,
  onOffset,
  onRetry,
  children
}: PagedListProps<L>) {
  if (remote.state === "failed") return <LoadError title={texts.failed} error={remote.error} onRetry={onRetry} />
  const loaded = remote.state === "loaded" ? remote.value : remote.stale
  if (loaded === null) {
    return (
      <p className="status" role="status">
        {texts.loading}
      </p>
    )
  }
  const { offset, page } = loaded
  if (page.count === 0) {
    return (
      <p className="status" role="status">
        {texts.empty(loaded)}
      </p>
    )
  }
  const busy = remote.state === "loading"
  return (
    <div className="browser">
      {children(page, busy)}
      <Pagination
        offset={offset}
        shown={page.results.length}
        count={page.count}
        hasPrevious={!busy && page.previous !== null}
        hasNext={!busy && page.next !== null}
        onPrevious={() => onOffset(Math.max(0, offset - PAGE_SIZE))}
        onNext={() => onOffset(offset + PAGE_SIZE)}
      />
    </div>
  )
}
