import { Schema } from "effect"
import { CategoryId, GridId, PackageId, UserId } from "./Ids.ts"
import { RepoHost } from "./RepoUrl.ts"
import { Slug } from "./Slug.ts"
import { Timestamp } from "./Timestamp.ts"

const Count = Schema.Int.pipe(Schema.nonNegative())

/** 52 weekly commit counts, oldest first, or empty when never fetched. */
export const WeeklyCommits = Schema.Array(Count).pipe(
  Schema.filter((a) => a.length === 0 || a.length === 52 || "must hold 52 weekly counts, or none")
)

/**
 * A reusable package, with every fact of the reference model that packgrid uses (field names are the
 * reference's, which are also the catalogue's and the API's). `supports_python3` is a tri-state: null
 * means "not known", which the reference wrongly displays and scores as "no".
 */
export class Package extends Schema.Class<Package>("Package")({
  id: PackageId,
  slug: Slug,
  title: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  category: CategoryId,
  repo_url: Schema.String,
  repo_host: RepoHost,
  repo_description: Schema.String,
  repo_watchers: Count,
  repo_forks: Count,
  pypi_url: Schema.String,
  pypi_version: Schema.NullOr(Schema.String),
  pypi_downloads: Count,
  pypi_classifiers: Schema.Array(Schema.String),
  pypi_license: Schema.NullOr(Schema.String),
  pypi_licenses: Schema.Array(Schema.String),
  pypi_requires_python: Schema.NullOr(Schema.String),
  supports_python3: Schema.NullOr(Schema.Boolean),
  documentation_url: Schema.NullOr(Schema.String),
  participants: Schema.Array(Schema.String),
  commit_count: Count,
  commits_over_52w: WeeklyCommits,
  last_commit_date: Schema.NullOr(Timestamp),
  latest_release_date: Schema.NullOr(Timestamp),
  open_issues: Schema.NullOr(Count),
  contributors: Schema.NullOr(Count),
  topics: Schema.Array(Schema.String),
  usage_count: Count,
  favorite_count: Count,
  score: Schema.Int,
  date_deprecated: Schema.NullOr(Timestamp),
  deprecated_by: Schema.NullOr(UserId),
  deprecates_package: Schema.NullOr(PackageId),
  date_repo_archived: Schema.NullOr(Timestamp),
  last_exception: Schema.NullOr(Schema.String),
  last_exception_at: Schema.NullOr(Timestamp),
  last_exception_count: Count,
  last_fetched: Schema.NullOr(Timestamp),
  created_by: Schema.NullOr(UserId),
  last_modified_by: Schema.NullOr(UserId),
  created: Timestamp,
  modified: Timestamp,
  /** Increments on every write; the API's ETag, so a stale `If-Match` is refused. */
  revision: Schema.Int.pipe(Schema.positive()),
  /** Grid ids in the order the package joined them (the v4 `grids` list keeps that order). */
  grids: Schema.Array(GridId)
}) {
  get is_deprecated(): boolean {
    return this.date_deprecated !== null
  }
  get is_archived(): boolean {
    return this.date_repo_archived !== null
  }
  /** The reference's `pypi_name`: the PyPI project name from a bare name or a legacy URL. */
  get pypi_name(): string {
    return pypiName(this.pypi_url)
  }
}

const PYPI_PREFIXES = [
  "http://pypi.python.org/pypi/",
  "https://pypi.python.org/pypi/",
  "https://pypi.org/project/",
  "http://pypi.org/project/",
  "https://pypi.org/pypi/"
]

export const pypiName = (pypiUrl: string): string => {
  let s = pypiUrl.trim()
  for (const prefix of PYPI_PREFIXES) if (s.startsWith(prefix)) s = s.slice(prefix.length)
  return s.replace(/^\/+|\/+$/g, "")
}

/** Fields the system owns: never taken from a caller's input. */
export const SystemFields = ["id", "created", "modified", "revision", "grids", "usage_count", "favorite_count"] as const
type SystemField = (typeof SystemFields)[number]

/** A package to create: what identifies it is required, every fact optional (a refresh fills them). */
export type PackageDraft = Pick<Package, "slug" | "title" | "category" | "repo_url"> &
  Partial<Omit<Package, SystemField | "slug" | "title" | "category" | "repo_url">>

/** A change to a package: any non-system field. */
export type PackagePatch = Partial<Omit<Package, SystemField>>
