import { useCallback, useEffect, useState } from "react"

const PACKAGE_PREFIX = "#/packages/"

/** The package slug selected by a location hash such as "#/packages/dj-stripe", or null. */
export function slugFromHash(hash: string): string | null {
  if (!hash.startsWith(PACKAGE_PREFIX)) return null
  const raw = hash.slice(PACKAGE_PREFIX.length).replace(/\/$/, "")
  if (raw === "") return null
  try {
    return decodeURIComponent(raw)
  } catch {
    return null
  }
}

/** The location hash that selects a package. */
export function hashForSlug(slug: string): string {
  return `${PACKAGE_PREFIX}${encodeURIComponent(slug)}`
}

/** The selected package slug, following back/forward navigation. */
export function useSelectedSlug(): readonly [string | null, (slug: string | null) => void] {
  const [slug, setSlug] = useState(() => slugFromHash(window.location.hash))

  useEffect(() => {
    const onHashChange = () => setSlug(slugFromHash(window.location.hash))
    window.addEventListener("hashchange", onHashChange)
    return () => window.removeEventListener("hashchange", onHashChange)
  }, [])

  const select = useCallback((next: string | null) => {
    if (next === null) {
      // Setting location.hash to "" would leave a bare "#" and scroll to the top; pushState does neither.
      // It fires no hashchange, hence the explicit setSlug.
      history.pushState(null, "", window.location.pathname + window.location.search)
      setSlug(null)
    } else {
      window.location.hash = hashForSlug(next)
    }
  }, [])
  return [slug, select] as const
}
