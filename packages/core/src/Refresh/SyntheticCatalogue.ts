/**
 * A `packgrid-catalogue/1` of the simulator's synthetic packages (`synthetic-N` on every host, see
 * `Simulator.ts`): what refresh tests and the benchmark import before they run a refresh against the
 * simulator. Every package is stale (never fetched) and has a PyPI name.
 */
import { FORMAT } from "../Catalogue/CatalogueFile.ts"

export type SyntheticHost = "github" | "gitlab" | "bitbucket" | "codeberg"

const WEB: Readonly<Record<SyntheticHost, string>> = {
  github: "https://github.com",
  gitlab: "https://gitlab.com",
  bitbucket: "https://bitbucket.org",
  codeberg: "https://codeberg.org"
}

export interface SyntheticOptions {
  /** The first N (default 0): packages `synthetic-from` … `synthetic-(from+count-1)`. */
  readonly from?: number
  /** Hosts taken in turn, package by package (default: GitHub only). */
  readonly hosts?: ReadonlyArray<SyntheticHost>
  /** Package ids start here (default 1). */
  readonly firstId?: number
}

/** The web URL of `synthetic-n` on `host`, as a package's `repo_url`. */
export const syntheticRepoUrl = (n: number, host: SyntheticHost = "github") => `${WEB[host]}/synthetic/synthetic-${n}`

/** A catalogue of `count` synthetic packages in one category. */
export const syntheticCatalogue = (count: number, options: SyntheticOptions = {}) => {
  const from = options.from ?? 0
  const hosts = options.hosts ?? ["github"]
  const firstId = options.firstId ?? 1
  const created = "2024-01-01T00:00:00Z"
  return {
    format: FORMAT,
    categories: [{ id: 1, slug: "apps", title: "App", title_plural: "Apps" }],
    packages: Array.from({ length: count }, (_, i) => {
      const n = from + i
      const host = hosts[i % hosts.length]!
      return {
        id: firstId + i,
        slug: `synthetic-${n}`,
        title: `Synthetic ${n}`,
        category: 1,
        repo_url: syntheticRepoUrl(n, host),
        repo_host: host,
        pypi_url: `synthetic-${n}`,
        created,
        modified: created
      }
    }),
    grids: []
  }
}
