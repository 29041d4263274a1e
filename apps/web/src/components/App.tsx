import { useCallback, useState } from "react"
import { hashForSlug, useSelectedSlug } from "../route.ts"
import { PackageBrowser } from "./PackageBrowser.tsx"
import { PackageDetail } from "./PackageDetail.tsx"

/** The dashboard: the package list, and the selected package beside it. */
export function App() {
  const [offset, setOffset] = useState(0)
  const [selectedSlug, select] = useSelectedSlug()

  const close = useCallback(() => {
    if (selectedSlug === null) return
    select(null)
    // Hand keyboard focus back to the row the panel was opened from.
    document.querySelector<HTMLElement>(`a[href="${CSS.escape(hashForSlug(selectedSlug))}"]`)?.focus()
  }, [selectedSlug, select])

  return (
    <div className={selectedSlug === null ? "app" : "app with-detail"}>
      <header className="masthead">
        <h1>packgrid</h1>
        <p>Reusable Django packages, with the facts to choose between them.</p>
      </header>
      <main className="content">
        <section className="list" aria-label="Packages">
          <PackageBrowser offset={offset} onOffset={setOffset} selectedSlug={selectedSlug} onSelect={select} />
        </section>
        {selectedSlug === null ? null : <PackageDetail key={selectedSlug} slug={selectedSlug} onClose={close} />}
      </main>
    </div>
  )
}
