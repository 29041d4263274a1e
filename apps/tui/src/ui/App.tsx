/** @jsxRuntime automatic */
import { Box, useApp, useInput } from "ink"
import { useLayoutEffect, useRef, useState } from "react"
import type { CatalogueSource } from "../source.ts"
import { Header } from "./Header.tsx"
import { initialNavigation, keyPresses, matching, type Navigation, step } from "./navigation.ts"
import { PackageDetail } from "./PackageDetail.tsx"
import { PackageList } from "./PackageList.tsx"
import { StatusLine } from "./StatusLine.tsx"
import { type LoadedPage, useCatalogue } from "./useCatalogue.ts"
import { useTerminalSize } from "./useTerminalSize.ts"

export interface AppProps {
  readonly source: CatalogueSource
  /** Packages fetched per page. */
  readonly pageSize?: number
}

const LIST_KEYS = "↑↓/jk move · g/G ends · PgUp/PgDn or p/n page · Enter open · / filter · r reload · q quit"
const DETAIL_KEYS = "Esc/Backspace back · r reload · q quit"
/** Lines around the list: header, blank, column header, scroll note, blank, status line, and one spare. */
const CHROME = 7

/** The terminal dashboard: a page of packages, one package's detail, a filter on the page's titles. */
export const App = ({ source, pageSize = 50 }: AppProps) => {
  const { exit } = useApp()
  const { columns, rows: terminalRows } = useTerminalSize()
  const catalogue = useCatalogue(source, pageSize)
  const height = Math.max(3, terminalRows - CHROME)
  const page = catalogue.page
  // The cursor belongs to the page it was moved on: a new page starts at the top (the filter stays).
  const [cursor, setCursor] = useState<{ readonly page: LoadedPage | null; readonly nav: Navigation }>({
    page: null,
    nav: initialNavigation
  })
  const nav = cursor.page === page ? cursor.nav : { ...cursor.nav, selected: 0, top: 0 }

  // Keys may arrive before React has handed Ink a fresh input handler (Ink re-subscribes in a passive
  // effect), and several may arrive in one read: the handler works on this snapshot, which every
  // commit refreshes and every key updates.
  const live = useRef({ page, nav, detailOpen: catalogue.detail !== null, height, catalogue })
  useLayoutEffect(() => {
    live.current = { page, nav, detailOpen: catalogue.detail !== null, height, catalogue }
  })

  useInput((input, key) => {
    const now = live.current
    let current = now.nav
    let detailOpen = now.detailOpen
    const titles = now.page?.rows.map((p) => p.title) ?? []
    for (const press of keyPresses(input, key)) {
      const [next, command] = step(current, press, { detailOpen, titles, height: now.height })
      current = next
      if (command === null) continue
      switch (command._tag) {
        case "quit":
          return exit()
        case "reload":
          now.catalogue.reload()
          break
        case "nextPage":
          now.catalogue.nextPage()
          break
        case "previousPage":
          now.catalogue.previousPage()
          break
        case "open": {
          const pkg = now.page?.rows[command.index]
          if (pkg !== undefined) {
            now.catalogue.open(pkg)
            detailOpen = true
          }
          break
        }
        case "back":
          now.catalogue.back()
          detailOpen = false
          break
      }
    }
    live.current = { ...now, nav: current, detailOpen }
    if (current !== now.nav) setCursor({ page: now.page, nav: current })
  })

  const rows = page?.rows ?? []
  const shown =
    nav.filter === ""
      ? rows
      : matching(
          rows.map((p) => p.title),
          nav.filter
        ).flatMap((i) => rows[i] ?? [])
  const empty =
    page === null
      ? ""
      : rows.length === 0
        ? "The catalogue is empty: import one with pnpm packgrid import FILE."
        : `No package on this page matches "${nav.filter}".`
  const hint =
    catalogue.detail !== null
      ? DETAIL_KEYS
      : nav.filter === ""
        ? LIST_KEYS
        : `filter "${nav.filter}": ${shown.length} of ${rows.length} · Esc clears · ${LIST_KEYS}`

  return (
    <Box flexDirection="column" width={columns}>
      <Header
        count={page?.count ?? null}
        source={source.label}
        offset={page?.offset ?? 0}
        pageLength={rows.length}
        pageSize={pageSize}
      />
      <Box marginY={1} flexDirection="column">
        {catalogue.detail !== null ? (
          <PackageDetail pkg={catalogue.detail} />
        ) : (
          <PackageList
            rows={shown}
            selected={nav.selected}
            top={nav.top}
            height={height}
            columns={columns}
            empty={empty}
          />
        )}
      </Box>
      <StatusLine
        loading={catalogue.loading}
        error={catalogue.error?.message ?? null}
        filterDraft={nav.draft}
        hint={hint}
      />
    </Box>
  )
}
