/**
 * The v4 wire schemas: what the handlers decode from request bodies and what the serializers emit.
 * The OpenAPI document is generated from these same values, so it cannot drift from the handlers.
 */
import { Schema } from "effect"
import { RepoHost } from "@packgrid/core/Domain/RepoUrl"
import { Slug } from "@packgrid/core/Domain/Slug"

const DateTime = Schema.NullOr(Schema.String).annotations({
  description: "ISO 8601 in PACKGRID_TIME_ZONE, microseconds when non-zero"
})
const Url = Schema.String.annotations({ jsonSchema: { type: "string", format: "uri" } })

export const PackageV4 = Schema.Struct({
  category: Url,
  grids: Schema.Array(Url),
  id: Schema.Int,
  title: Schema.String,
  slug: Schema.String,
  last_updated: DateTime,
  last_fetched: DateTime,
  repo_url: Schema.String,
  pypi_version: Schema.NullOr(Schema.String),
  created: DateTime,
  modified: DateTime,
  repo_forks: Schema.Int,
  repo_description: Schema.String,
  pypi_url: Schema.String,
  documentation_url: Schema.NullOr(Schema.String),
  repo_watchers: Schema.Int,
  commits_over_52: Schema.Array(Schema.Int),
  participants: Schema.Array(Schema.String)
}).annotations({ identifier: "Package" })

export const GridV4 = Schema.Struct({
  id: Schema.Int,
  title: Schema.String,
  slug: Schema.String,
  description: Schema.String,
  is_locked: Schema.Boolean,
  packages: Schema.Array(Url),
  header: Schema.Boolean,
  created: DateTime,
  modified: DateTime
}).annotations({ identifier: "Grid" })

export const CategoryV4 = Schema.Struct({
  id: Schema.Int,
  title: Schema.String,
  slug: Schema.String,
  description: Schema.String,
  title_plural: Schema.String,
  show_pypi: Schema.Boolean,
  created: DateTime,
  modified: DateTime
}).annotations({ identifier: "Category" })

export const FeatureV4 = Schema.Struct({
  id: Schema.Int,
  title: Schema.String,
  description: Schema.String
}).annotations({ identifier: "Feature" })

export const ElementV4 = Schema.Struct({
  package: Url,
  feature: Schema.Int,
  text: Schema.String
}).annotations({ identifier: "Element" })

export const Paginated = <A, I>(item: Schema.Schema<A, I>) =>
  Schema.Struct({
    count: Schema.Int,
    next: Schema.NullOr(Url),
    previous: Schema.NullOr(Url),
    results: Schema.Array(item)
  })

export const ErrorDetail = Schema.Struct({ detail: Schema.String }).annotations({ identifier: "ErrorDetail" })
export const ValidationErrors = Schema.Record({ key: Schema.String, value: Schema.Array(Schema.String) }).annotations({
  identifier: "ValidationErrors",
  description: "DRF's validation body: each field's messages"
})

/** A reference to another object: its id, its slug (packages, grids) or its v4 URL, as DRF accepts hyperlinks. */
export const Reference = Schema.Union(
  Schema.Int.pipe(Schema.positive()),
  Schema.String.pipe(Schema.minLength(1), Schema.maxLength(300))
)

const Title = (max: number) =>
  Schema.String.pipe(
    Schema.minLength(1, { message: () => "This field may not be blank." }),
    Schema.maxLength(max, { message: () => `Ensure this field has no more than ${max} characters.` })
  )
const Text = (max: number) =>
  Schema.String.pipe(Schema.maxLength(max, { message: () => `Ensure this field has no more than ${max} characters.` }))
const When = Schema.NullOr(Schema.String.pipe(Schema.maxLength(64)))

/** A package as an editor writes it. `date_deprecated`, `deprecates_package` and `date_repo_archived` need an admin. */
export const PackageWrite = Schema.Struct({
  title: Title(100),
  slug: Slug,
  category: Reference,
  repo_url: Title(200),
  repo_host: Schema.optional(Schema.Union(RepoHost, Schema.Literal(""))),
  pypi_url: Schema.optional(Text(255)),
  documentation_url: Schema.optional(Schema.NullOr(Text(200))),
  repo_description: Schema.optional(Text(500)),
  date_deprecated: Schema.optional(When),
  deprecates_package: Schema.optional(Schema.NullOr(Reference)),
  date_repo_archived: Schema.optional(When)
}).annotations({ identifier: "PackageWrite" })
export type PackageWrite = typeof PackageWrite.Type

export const GridWrite = Schema.Struct({
  title: Title(100),
  slug: Slug,
  description: Schema.optional(Text(1000)),
  is_locked: Schema.optional(Schema.Boolean),
  header: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "GridWrite" })

export const CategoryWrite = Schema.Struct({
  title: Title(50),
  slug: Slug,
  description: Schema.optional(Text(5000)),
  title_plural: Schema.optional(Text(50)),
  show_pypi: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "CategoryWrite" })

export const FeatureWrite = Schema.Struct({ title: Title(100), description: Schema.optional(Text(1000)) }).annotations({
  identifier: "FeatureWrite"
})
export const GridPackageWrite = Schema.Struct({ package: Reference }).annotations({ identifier: "GridPackageWrite" })
export const ElementWrite = Schema.Struct({
  package: Reference,
  feature: Schema.Int.pipe(Schema.positive()),
  text: Text(1000)
}).annotations({ identifier: "ElementWrite" })
export const Login = Schema.Struct({ username: Title(150), password: Title(1000) }).annotations({ identifier: "Login" })

// PATCH bodies: every field optional.
export const PackagePatchWrite = Schema.partial(PackageWrite)
export const GridPatchWrite = Schema.partial(GridWrite)
export const CategoryPatchWrite = Schema.partial(CategoryWrite)
export const FeaturePatchWrite = Schema.partial(FeatureWrite)

/** A row of the reference's search endpoint (SearchV3), in its field order. */
export const SearchRowV4 = Schema.Struct({
  description: Schema.String,
  title: Schema.String,
  title_no_prefix: Schema.String,
  slug_no_prefix: Schema.String,
  clean_title: Schema.String,
  absolute_url: Schema.String,
  created: DateTime,
  modified: DateTime,
  weight: Schema.Int,
  item_type: Schema.Literal("package", "grid"),
  slug: Schema.String,
  category: Schema.String,
  repo_watchers: Schema.Int,
  repo_forks: Schema.Int,
  pypi_downloads: Schema.Int,
  score: Schema.Int,
  usage: Schema.Int,
  participants: Schema.String,
  last_committed: DateTime,
  last_released: DateTime
}).annotations({ identifier: "SearchResult" })
