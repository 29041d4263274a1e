/** The dashboard's data controller: which page is loaded, which package is open, what is loading or failed. */
import { useCallback, useEffect, useRef, useState } from "react"
import type { CatalogueSource, PackageView } from "../source.ts"

export interface LoadedPage {
  readonly count: number
  readonly offset: number
  readonly rows: ReadonlyArray<PackageView>
}

export interface Failure {
  readonly message: string
  readonly retry: () => void
}

export interface Catalogue {
  /** The last page that arrived; null before the first one. */
  readonly page: LoadedPage | null
  /** The open package (the list's row at once, then the source's fresh copy); null on the list. */
  readonly detail: PackageView | null
  readonly loading: string | null
  readonly error: Failure | null
  readonly nextPage: () => void
  readonly previousPage: () => void
  readonly open: (pkg: PackageView) => void
  readonly back: () => void
  /** Retries what failed, or reloads what is on screen. */
  readonly reload: () => void
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e))

export const useCatalogue = (source: CatalogueSource, pageSize: number): Catalogue => {
  const [page, setPage] = useState<LoadedPage | null>(null)
  const [detail, setDetail] = useState<PackageView | null>(null)
  const [loading, setLoading] = useState<string | null>("Loading packages…")
  const [error, setError] = useState<Failure | null>(null)
  // Only the latest request may change the screen: a slow answer to an abandoned one is dropped.
  const latest = useRef(0)
  const loadedOffset = useRef(0)
  const wantedOffset = useRef(0)
  const detailRef = useRef<PackageView | null>(null)

  const request = useCallback(
    <A>(
      what: string,
      run: () => Promise<A>,
      done: (a: A) => void,
      again: () => void,
      failed: () => void = () => {}
    ) => {
      const id = ++latest.current
      setLoading(what)
      setError(null)
      run().then(
        (a) => {
          if (id !== latest.current) return
          setLoading(null)
          done(a)
        },
        (e: unknown) => {
          if (id !== latest.current) return
          setLoading(null)
          failed()
          setError({ message: messageOf(e), retry: again })
        }
      )
    },
    []
  )

  // Paging counts from the page last asked for, so that PgDn pressed twice while loading moves two pages.
  const loadPage = useCallback(
    (offset: number): void => {
      wantedOffset.current = offset
      request(
        offset === 0 ? "Loading packages…" : `Loading packages from #${offset + 1}…`,
        () => source.list({ limit: pageSize, offset }),
        (p) => {
          loadedOffset.current = p.offset
          setPage({ count: p.count, offset: p.offset, rows: p.results })
        },
        () => loadPage(offset),
        () => {
          wantedOffset.current = loadedOffset.current
        }
      )
    },
    [request, source, pageSize]
  )

  const loadDetail = useCallback(
    (slug: string): void =>
      request(
        `Loading ${slug}…`,
        () => source.get(slug),
        (pkg) => {
          detailRef.current = pkg
          setDetail(pkg)
        },
        () => loadDetail(slug)
      ),
    [request, source]
  )

  useEffect(() => {
    loadPage(0)
  }, [loadPage])

  const count = page?.count ?? null
  const nextPage = useCallback(() => {
    if (count !== null && wantedOffset.current + pageSize < count) loadPage(wantedOffset.current + pageSize)
  }, [count, pageSize, loadPage])
  const previousPage = useCallback(() => {
    if (wantedOffset.current > 0) loadPage(Math.max(0, wantedOffset.current - pageSize))
  }, [pageSize, loadPage])

  const open = useCallback(
    (pkg: PackageView) => {
      // Opening abandons a page still loading.
      wantedOffset.current = loadedOffset.current
      detailRef.current = pkg
      setDetail(pkg)
      loadDetail(pkg.slug)
    },
    [loadDetail]
  )
  const back = useCallback(() => {
    latest.current++
    detailRef.current = null
    setDetail(null)
    setLoading(null)
    setError(null)
  }, [])

  const reload = useCallback(() => {
    if (error !== null) return error.retry()
    if (detailRef.current !== null) return loadDetail(detailRef.current.slug)
    loadPage(loadedOffset.current)
  }, [error, loadDetail, loadPage])

  return { page, detail, loading, error, nextPage, previousPage, open, back, reload }
}
