import { useCallback, useState } from "react"
import { PAGE_SIZE } from "../api.ts"
import { hashForSlug, useSelectedSlug } from "../route.ts"
import { PackageBrowser } from "./PackageBrowser.tsx"
import { PackageDetail } from "./PackageDetail.tsx"
import { type ListSort, SearchBar, useDebounced } from "./SearchBar.tsx"
import { SearchResults } from "./SearchResults.tsx"

/**
 * The dashboard: the search bar, the packages it finds (best score first when nothing is typed, best
 * match first when something is), and the selected package beside them. "Newest listed" with no query
 * is the reference's own list.
 */
export function App() {
  const [q, setQ] = useState("")
  // Until someone picks an order: best score for the whole list, best match for a query.
  const [chosenSort, setSort] = useState<ListSort | null>(null)
  const [offset, setOffset] = useState(0)
  const query = useDebounced(q.trim(), 200)
  const sort = chosenSort ?? (query === "" ? "score" : "relevance")
  const [selectedSlug, select] = useSelectedSlug()

  const close = useCallback(() => {
    if (selectedSlug === null) return
    select(null)
    // Hand keyboard focus back to the row the panel was opened from.
    document.querySelector<HTMLElement>(`a[href="${CSS.escape(hashForSlug(selectedSlug))}"]`)?.focus()
  }, [selectedSlug, select])

  const list =
    sort === "newest" && query === "" ? (
      <PackageBrowser offset={offset} onOffset={setOffset} selectedSlug={selectedSlug} onSelect={select} />
    ) : (
      <SearchResults
        request={{ q: query, sort: sort === "newest" ? "relevance" : sort, limit: PAGE_SIZE, offset }}
        onOffset={setOffset}
        selectedSlug={selectedSlug}
        onSelect={select}
      />
    )

  return (
    <div className={selectedSlug === null ? "app" : "app with-detail"}>
      <header className="masthead">
        <h1>packgrid</h1>
        <p>Reusable Django packages, with the facts to choose between them.</p>
        <SearchBar
          q={q}
          sort={sort}
          onQ={(next) => {
            setQ(next)
            setOffset(0)
          }}
          onSort={(next) => {
            setSort(next)
            setOffset(0)
          }}
        />
      </header>
      <main className="content">
        <section className="list" aria-label="Packages">
          {list}
        </section>
        {selectedSlug === null ? null : <PackageDetail key={selectedSlug} slug={selectedSlug} onClose={close} />}
      </main>
    </div>
  )
}
