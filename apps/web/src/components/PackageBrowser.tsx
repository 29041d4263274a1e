import { listPackages, PAGE_SIZE, type PackageV4 } from "../api.ts"
import { type Remote, useRemote } from "../remote.ts"
import { type Loaded, PagedList } from "./PagedList.tsx"
import { PackageTable } from "./PackageTable.tsx"

/** A page of the reference's package list. */
export type LoadedPage = Loaded<PackageV4>

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

const TEXTS = { failed: "Could not load packages", loading: "Loading packages…", empty: () => "No packages yet." }

/** The list in each of its states: loading, failed, empty, or a page (possibly stale while the next loads). */
export function PackageBrowserView({ remote, selectedSlug, onSelect, onOffset, onRetry }: PackageBrowserViewProps) {
  return (
    <PagedList remote={remote} texts={TEXTS} onOffset={onOffset} onRetry={onRetry}>
      {(page, busy) => (
        <PackageTable packages={page.results} selectedSlug={selectedSlug} onSelect={onSelect} busy={busy} />
      )}
    </PagedList>
  )
}
