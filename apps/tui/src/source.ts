/**
 * What the dashboard shows, and the one interface it reads it through. Two implementations exist:
 * `storeSource` (the core's store, the same database as the server) and `apiSource` (a running
 * server's API v4); the UI does not know which one it has.
 */

/** A package as the dashboard shows it, in the list and in the detail view. */
export interface PackageView {
  readonly slug: string
  readonly title: string
  /** The reference's `repo_watchers` (GitHub stars). */
  readonly stars: number
  readonly forks: number
  readonly lastCommit: Date | null
  readonly pypiVersion: string | null
  /** Weekly commit counts, oldest first: 52 of them, or none when never fetched. */
  readonly commits: ReadonlyArray<number>
  readonly description: string
  readonly repoUrl: string
  readonly participants: number
}

export interface PageRequest {
  readonly limit: number
  readonly offset: number
}

export interface CataloguePage {
  /** How many packages the whole catalogue holds. */
  readonly count: number
  readonly offset: number
  readonly results: ReadonlyArray<PackageView>
}

/** Where the dashboard reads the catalogue. Every failure is an `Error` whose message can be shown as is. */
export interface CatalogueSource {
  /** Shown in the header, e.g. `SQLite ./data/packgrid.sqlite` or `API http://127.0.0.1:8000/`. */
  readonly label: string
  /** Makes the source ready (the store migrates its schema); call once before the first read. */
  readonly open: () => Promise<void>
  readonly list: (page: PageRequest) => Promise<CataloguePage>
  readonly get: (slug: string) => Promise<PackageView>
  /** Releases what the source holds (the store closes its database). */
  readonly close: () => Promise<void>
}
