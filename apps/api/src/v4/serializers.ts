/**
 * The djangopackages API v4 wire format: field names, order and types exactly as its DRF serializers
 * emit them. This is the only place that knows that format.
 */
import type { Category } from "@packgrid/core/Domain/Category"
import type { Grid } from "@packgrid/core/Domain/Grid"
import type { Package } from "@packgrid/core/Domain/Package"
import { formatTimestamp, type Timestamp } from "@packgrid/core/Domain/Timestamp"

/** How hyperlinks and datetimes are written for one request. */
export interface Wire {
  /** Absolute URL of an API path (`/api/v4/...`), carrying the request's `?format=` as DRF does. */
  readonly link: (path: string) => string
  readonly zone: string
}

const when = (wire: Wire, t: Timestamp | null) => (t === null ? null : formatTimestamp(t, wire.zone))

export const packageV4 = (wire: Wire, p: Package) => ({
  category: wire.link(`/api/v4/categories/${p.category}/`),
  grids: p.grids.map((g) => wire.link(`/api/v4/grids/${g}/`)),
  id: p.id,
  title: p.title,
  slug: p.slug,
  last_updated: when(wire, p.last_commit_date),
  last_fetched: when(wire, p.last_fetched),
  repo_url: p.repo_url,
  pypi_version: p.pypi_version,
  created: when(wire, p.created),
  modified: when(wire, p.modified),
  repo_forks: p.repo_forks,
  repo_description: p.repo_description,
  pypi_url: p.pypi_url,
  documentation_url: p.documentation_url,
  repo_watchers: p.repo_watchers,
  commits_over_52: p.commits_over_52w,
  participants: p.participants
})

/** `packages` are the member ids ordered by package title, as the reference's prefetch orders them. */
export const gridV4 = (wire: Wire, g: Grid, packagesByTitle: ReadonlyArray<number>) => ({
  id: g.id,
  title: g.title,
  slug: g.slug,
  description: g.description,
  is_locked: g.is_locked,
  packages: packagesByTitle.map((id) => wire.link(`/api/v4/packages/${id}/`)),
  header: g.header,
  created: when(wire, g.created),
  modified: when(wire, g.modified)
})

export const categoryV4 = (wire: Wire, c: Category) => ({
  id: c.id,
  title: c.title,
  slug: c.slug,
  description: c.description,
  title_plural: c.title_plural,
  show_pypi: c.show_pypi,
  created: when(wire, c.created),
  modified: when(wire, c.modified)
})
