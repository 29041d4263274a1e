/**
 * The demo catalogue grown to `size` packages for the 100,000-package search benchmark. The copies
 * keep the real packages' words (titles, descriptions, topics) so the text index sees the vocabulary
 * and word frequencies of real Django packages, not `synthetic-n`: copy k of a package is a fork-like
 * `<slug>-k` with a fraction of its stars, a repository of its own, no grids. The real packages stay
 * as they are, so the demo's best-known packages must still win their searches at 100,000.
 */
type Record_ = Record<string, unknown> & { id: number; slug: string; title: string; repo_url: string }

export interface Catalogue {
  readonly categories: Array<Record<string, unknown>>
  readonly packages: Array<Record_>
  readonly grids: Array<Record<string, unknown>>
  readonly [key: string]: unknown
}

export const scaledCatalogue = (demo: Catalogue, size: number): Catalogue => {
  const base = demo.packages
  const maxId = Math.max(...base.map((p) => p.id))
  const taken = new Set(base.map((p) => p.slug))
  const copies = Array.from({ length: Math.max(0, size - base.length) }, (_, i): Record_ => {
    const t = base[i % base.length]!
    const k = Math.floor(i / base.length) + 1
    const id = maxId + 1 + i
    // Slugs are at most 50 characters and unique (some real slugs already end in a number): a cut or
    // taken one is made unique by the copy's id.
    const wanted = `${t.slug}-${k}`
    const slug = wanted.length <= 50 && !taken.has(wanted) ? wanted : `${t.slug.slice(0, 49 - String(id).length)}-${id}`
    taken.add(slug)
    const stars = typeof t.repo_watchers === "number" ? Math.floor(t.repo_watchers / (k * 3)) : 0
    return {
      ...t,
      id,
      slug,
      title: `${t.title} ${k}`,
      repo_url: `https://github.com/fork-${k}/${slug}`,
      repo_host: "github",
      pypi_url: "",
      repo_watchers: stars,
      repo_forks: Math.floor((typeof t.repo_forks === "number" ? t.repo_forks : 0) / (k * 3)),
      usage_count: 0,
      grids: []
    }
  })
  return { ...demo, packages: [...base, ...copies] }
}
