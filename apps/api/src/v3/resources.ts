/**
 * The reference's APIv3 resources (`apiv3/resources.py`): plain dicts built as `base_resource` (absolute_url,
 * created, modified, slug, title) then `update(...)` with the kind's own keys, so the keys come out in that
 * insertion order. URIs are site-relative paths, as Django's `reverse` gives them.
 */
import type { Category } from "@packgrid/core/Domain/Category"
import type { Grid } from "@packgrid/core/Domain/Grid"
import type { Package } from "@packgrid/core/Domain/Package"
import type { Timestamp } from "@packgrid/core/Domain/Timestamp"
import { djangoDateTime, type Json } from "./json.ts"

export const categoryUri = (slug: string) => `/api/v3/categories/${slug}/`
export const gridUri = (slug: string) => `/api/v3/grids/${slug}/`
export const packageUri = (slug: string) => `/api/v3/packages/${slug}/`
export const userUri = (githubAccount: string) => `/api/v3/users/${githubAccount}/`

/** What a package resource names by slug or login instead of by id. */
export interface PackageLinks {
  readonly categorySlugs: ReadonlyMap<number, string>
  readonly gridSlugs: ReadonlyMap<number, string>
  /** Our username stands in for the reference profile's `github_account`. */
  readonly usernames: ReadonlyMap<number, string>
}

const base = (
  absoluteUrl: string,
  o: { created: Timestamp; modified: Timestamp; slug: string; title: string }
): Record<string, Json> => ({
  absolute_url: absoluteUrl,
  created: djangoDateTime(o.created),
  modified: djangoDateTime(o.modified),
  slug: o.slug,
  title: o.title
})

export const categoryV3 = (c: Category): Json => ({
  ...base(`/categories/${c.slug}/`, c),
  description: c.description,
  resource_uri: categoryUri(c.slug),
  show_pypi: c.show_pypi,
  title_plural: c.title_plural
})

/** `packageSlugs`: the members' slugs ordered by package title (`grid.packages.all()` under Package's ordering). */
export const gridV3 = (g: Grid, packageSlugs: ReadonlyArray<string>): Json => ({
  ...base(`/grids/g/${g.slug}/`, g),
  description: g.description,
  is_locked: g.is_locked,
  resource_uri: gridUri(g.slug),
  header: g.header,
  packages: packageSlugs.map(packageUri)
})

export const packageV3 = (p: Package, links: PackageLinks): Json => {
  // One comma string for both keys: `commit_list` lost its own column and now repeats `commits_over_52`.
  const commits = p.commits_over_52w.join(",")
  const categorySlug = links.categorySlugs.get(p.category)
  const creator = p.created_by === null ? undefined : links.usernames.get(p.created_by)
  const modifier = p.last_modified_by === null ? undefined : links.usernames.get(p.last_modified_by)
  return {
    ...base(`/packages/p/${p.slug}/`, p),
    category: categorySlug === undefined ? null : categoryUri(categorySlug),
    commit_list: commits,
    commits_over_52: commits,
    created_by: creator === undefined ? null : userUri(creator),
    documentation_url: p.documentation_url,
    grids: p.grids.flatMap((id) => {
      const slug = links.gridSlugs.get(id)
      return slug === undefined ? [] : [gridUri(slug)]
    }),
    last_fetched: djangoDateTime(p.last_fetched),
    last_modified_by: modifier ?? null,
    participants: p.participants.join(","),
    pypi_url: p.pypi_url,
    pypi_version: p.pypi_version,
    repo_description: p.repo_description,
    repo_forks: p.repo_forks,
    repo_url: p.repo_url,
    repo_watchers: p.repo_watchers,
    resource_uri: packageUri(p.slug),
    usage_count: p.usage_count
  }
}
