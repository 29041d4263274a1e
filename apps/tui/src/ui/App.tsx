import { Box, useApp, useInput } from "ink"
import { useEffect, useMemo, useState } from "react"
import type { CatalogueSource } from "../source.ts"
import { Header } from "./Header.tsx"
import { PackageDetail } from "./PackageDetail.tsx"
import { PackageList, windowStart } from "./PackageList.tsx"
import { StatusLine } from "./StatusLine.tsx"
import { useCatalogue } from "./useCatalogue.ts"
import { useTerminalSize } from "./useTerminalSize.ts"

export interface AppProps {
  readonly source: CatalogueSource
  /** Packages fetched per page. */
  readonly pageSize?: number
}

const LIST_KEYS = "↑↓/jk move · PgUp/PgDn or p/n page · Enter open · / filter · r reload · q quit"
const DETAIL_KEYS = "Esc/Backspace back · r reload · q quit"
/** Lines around the list: header, blank, column header, scroll note, blank, status line, and one spare. */
const CHROME = 7

/** The terminal dashboard: a page of packages, one package's detail, a filter on the page's titles. */
export const App = ({ source, pageSize = 50 }: AppProps) => {
  const { exit } = useApp()
  const { columns, rows: terminalRows } = useTerminalSize()
  const catalogue = useCatalogue(source, pageSize)
  const [cursor, setCursor] = useState({ selected: 0, top: 0 })
  const [filter, setFilter] = useState("")
  const [draft, setDraft] = useState<string | null>(null)

  const pageRows = catalogue.page?.rows
  const shown = useMemo(() => {
    const all = pageRows ?? []
    const needle = filter.trim().toLowerCase()
    return needle === "" ? all : all.filter((p) => p.title.toLowerCase().includes(needle))
  }, [pageRows, filter])

  // A new page or a new filter starts at the top.
  useEffect(() => setCursor({ selected: 0, top: 0 }), [pageRows, filter])

  const height = Math.max(3, terminalRows - CHROME)
  const moveBy = (delta: number) =>
    setCursor((c) => {
      const selected = Math.max(0, Math.min(c.selected + delta, shown.length - 1))
      return { selected, top: windowStart(c.top, selected, height, shown.length) }
    })

  useInput((input, key) => {
    if (draft !== null) {
      if (key.return) {
        setFilter(draft)
        setDraft(null)
      } else if (key.escape) setDraft(null)
      else if (key.backspace || key.delete) setDraft((d) => (d ?? "").slice(0, -1))
      else if (input !== "" && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow) setDraft((d) => (d ?? "") + input)
      return
    }
    if (input === "q") return exit()
    if (input === "r") return catalogue.reload()
    if (catalogue.detail !== null) {
      if (key.escape || key.backspace || key.delete) catalogue.back()
      return
    }
    if (key.downArrow || input === "j") moveBy(1)
    else if (key.upArrow || input === "k") moveBy(-1)
    else if (key.pageDown || input === "n") catalogue.nextPage()
    else if (key.pageUp || input === "p") catalogue.previousPage()
    else if (key.return) {
      const pkg = shown[cursor.selected]
      if (pkg !== undefined) catalogue.open(pkg)
    } else if (input === "/") setDraft(filter)
    else if (key.escape && filter !== "") setFilter("")
  })

  const page = catalogue.page
  const empty =
    page === null
      ? ""
      : page.rows.length === 0
        ? "The catalogue is empty: import one with pnpm packgrid import FILE."
        : `No package on this page matches "${filter}".`
  const hint = catalogue.detail !== null ? DETAIL_KEYS : filter === "" ? LIST_KEYS : `filter "${filter}": ${shown.length} of ${page?.rows.length ?? 0} · Esc clear · ${LIST_KEYS}`

  return (
    <Box flexDirection="column" width={columns}>
      <Header
        count={page?.count ?? null}
        source={source.label}
        offset={page?.offset ?? 0}
        pageLength={page?.rows.length ?? 0}
        pageSize={pageSize}
      />
      <Box marginY={1} flexDirection="column">
        {catalogue.detail !== null ? (
          <PackageDetail pkg={catalogue.detail} />
        ) : (
          <PackageList rows={shown} selected={cursor.selected} top={cursor.top} height={height} columns={columns} empty={empty} />
        )}
      </Box>
      <StatusLine
        loading={catalogue.loading}
        error={catalogue.error?.message ?? null}
        filterDraft={draft}
        hint={hint}
      />
    </Box>
  )
}
