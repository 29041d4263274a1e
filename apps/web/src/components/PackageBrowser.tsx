import { listPackages, PAGE_SIZE, type PackageV4, type PageV4 } from "../api.ts"
import { type Remote, useRemote } from "../remote.ts"
import { LoadError } from "./LoadError.tsx"
import { PackageTable } from "./PackageTable.tsx"
import { Pagination } from "./Pagination.tsx"

/** A page together with the offset it was asked for, so a stale page keeps its own label. */
export interface LoadedPage {
  readonly offset: number
  readonly page: PageV4<PackageV4>
}

interface PackageBrowserProps {
  readonly offset: number
  readonly onOffset: (offset: number) => void
  readonly selectedSlug: string | null
  readonly onSelect: (slug: string) => void
}

/** The paginated package list, loaded from the API. */
export function PackageBrowser({ offset, onOffset, selectedSlug, onSelect }: PackageBrowserProps) {
  const { remote, retry } = useRemote(`packages?offset=${offset}`, async (signal) => ({
    offset,
    page: await listPackages({ limit: PAGE_SIZE, offset }, { signal })
  }))
  return (
    <PackageBrowserView
      remote={remote}
      selectedSlug={selectedSlug}
      onSelect={onSelect}
      onOffset={onOffset}
      onRetry={retry}
    />
  )
}

interface PackageBrowserViewProps {
  readonly remote: Remote<LoadedPage>
  readonly selectedSlug: string | null
  readonly onSelect: (slug: string) => void
  readonly onOffset: (offset: number) => void
  readonly onRetry: () => void
}

/** The list in each of its states: loading, failed, empty, or a page (possibly stale while the next loads). */
export function PackageBrowserView({ remote, selectedSlug, onSelect, onOffset, onRetry }: PackageBrowserViewProps) {
  if (remote.state === "failed") {
    return <LoadError title="Could not load packages" error={remote.error} onRetry={onRetry} />
  }
  const loaded = remote.state === "loaded" ? remote.value : remote.stale
  if (loaded === null) {
    return (
      <p className="status" role="status">
        Loading packages…
      </p>
    )
  }
  const { offset, page } = loaded
  if (page.count === 0) {
    return (
      <p className="status" role="status">
        No packages yet.
      </p>
    )
  }
  const loading = remote.state === "loading"
  return (
    <div className="browser">
      <PackageTable packages={page.results} selectedSlug={selectedSlug} onSelect={onSelect} busy={loading} />
      <Pagination
        offset={offset}
        shown={page.results.length}
        count={page.count}
        hasPrevious={!loading && page.previous !== null}
        hasNext={!loading && page.next !== null}
        onPrevious={() => onOffset(Math.max(0, offset - PAGE_SIZE))}
        onNext={() => onOffset(offset + PAGE_SIZE)}
      />
    </div>
  )
}
