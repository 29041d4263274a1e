/**
 * The `packgrid-catalogue/1` file format: its Schema, and the checks that make an import all-or-nothing
 * (every problem is reported with the record, the field and the reason before anything is written).
 * Pure: reading and writing files and the database happens in the CLI and `Store/CatalogueStore`.
 */
import { Either, ParseResult, Schema } from "effect"
import { CatalogueInvalid } from "../Domain/Errors.ts"
import { normalizeRepoUrl, RepoHost } from "../Domain/RepoUrl.ts"
import { Slug } from "../Domain/Slug.ts"
import { TimestampFromString } from "../Domain/Timestamp.ts"
import { WeeklyCommits } from "../Domain/Package.ts"
import { DevelopmentStatus } from "../Domain/Release.ts"

export const FORMAT = "packgrid-catalogue/1"

const Id = Schema.Int.pipe(Schema.positive())
const Count = Schema.Int.pipe(Schema.nonNegative())
const When = TimestampFromString
const opt = <S extends Schema.Schema.Any>(s: S) => Schema.optional(s)

export const CategoryRecord = Schema.Struct({
  id: Id,
  slug: Slug,
  title: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(50)),
  title_plural: Schema.optionalWith(Schema.String.pipe(Schema.maxLength(50)), { default: () => "" }),
  description: Schema.optionalWith(Schema.String, { default: () => "" }),
  show_pypi: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  created: opt(When),
  modified: opt(When)
})
export type CategoryRecord = typeof CategoryRecord.Type

export const ReleaseRecord = Schema.Struct({
  number: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  upload_time: Schema.optionalWith(Schema.NullOr(When), { default: () => null }),
  licenses: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  development_status: Schema.optionalWith(DevelopmentStatus, { default: () => 0 }),
  requires_python: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  yanked: Schema.optionalWith(Schema.Boolean, { default: () => false })
})
export type ReleaseRecord = typeof ReleaseRecord.Type

const nullable = <S extends Schema.Schema.Any>(s: S) => Schema.optionalWith(Schema.NullOr(s), { default: () => null })
const list = <S extends Schema.Schema.Any>(s: S) => Schema.optionalWith(Schema.Array(s), { default: () => [] })

export const PackageRecord = Schema.Struct({
  id: Id,
  slug: Slug,
  title: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  category: Id,
  repo_url: Schema.String,
  repo_host: opt(RepoHost),
  pypi_url: Schema.optionalWith(Schema.String, { default: () => "" }),
  documentation_url: nullable(Schema.String),
  repo_description: Schema.optionalWith(Schema.String, { default: () => "" }),
  repo_watchers: Schema.optionalWith(Count, { default: () => 0 }),
  repo_forks: Schema.optionalWith(Count, { default: () => 0 }),
  participants: list(Schema.String),
  commits_over_52: Schema.optionalWith(WeeklyCommits, { default: () => [] }),
  last_commit_date: nullable(When),
  last_fetched: nullable(When),
  created: When,
  modified: When,
  pypi_version: nullable(Schema.String),
  grids: list(Id),
  supports_python3: opt(Schema.NullOr(Schema.Boolean)),
  pypi_downloads: Schema.optionalWith(Count, { default: () => 0 }),
  pypi_classifiers: list(Schema.String),
  pypi_requires_python: nullable(Schema.String),
  pypi_license: nullable(Schema.String),
  pypi_licenses: list(Schema.String),
  releases: list(ReleaseRecord),
  contributors: nullable(Count),
  open_issues: nullable(Count),
  commit_count: Schema.optionalWith(Count, { default: () => 0 }),
  usage_count: Schema.optionalWith(Count, { default: () => 0 }),
  favorite_count: Schema.optionalWith(Count, { default: () => 0 }),
  topics: list(Schema.String),
  archived: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  date_repo_archived: nullable(When),
  date_deprecated: nullable(When),
  deprecates_package: nullable(Id),
  latest_release_date: nullable(When),
  score: Schema.optionalWith(Schema.Int, { default: () => 0 })
})
export type PackageRecord = typeof PackageRecord.Type

export const GridRecord = Schema.Struct({
  id: Id,
  slug: Slug,
  title: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  description: Schema.optionalWith(Schema.String.pipe(Schema.maxLength(1000)), { default: () => "" }),
  is_locked: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  header: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  created: opt(When),
  modified: opt(When),
  packages: list(Id),
  features: list(
    Schema.Struct({
      id: Id,
      title: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
      description: Schema.optionalWith(Schema.String.pipe(Schema.maxLength(1000)), { default: () => "" })
    })
  ),
  elements: list(Schema.Struct({ package: Id, feature: Id, text: Schema.String.pipe(Schema.maxLength(1000)) }))
})
export type GridRecord = typeof GridRecord.Type

const Envelope = Schema.Struct({
  format: Schema.Literal(FORMAT),
  snapshot_date: opt(Schema.String),
  source: opt(Schema.String),
  categories: Schema.Array(Schema.Unknown),
  packages: Schema.Array(Schema.Unknown),
  grids: Schema.Array(Schema.Unknown)
})

/** A catalogue that passed every check that needs no database. */
export interface Catalogue {
  readonly snapshot_date: string | undefined
  readonly source: string | undefined
  readonly categories: ReadonlyArray<CategoryRecord>
  readonly packages: ReadonlyArray<PackageRecord>
  readonly grids: ReadonlyArray<GridRecord>
}

type Problem = { record: string; field: string; reason: string }

const parseProblems = (record: string, e: ParseResult.ParseError): Array<Problem> => {
  const byField = new Map<string, Array<string>>()
  for (const i of ParseResult.ArrayFormatter.formatErrorSync(e)) {
    const field = i.path.join(".")
    byField.set(field, [...(byField.get(field) ?? []), i.message])
  }
  return [...byField].map(([field, messages]) => ({ record, field, reason: oneReason(messages) }))
}

/**
 * A union (an optional or nullable field, a set of literals) fails once per member: one reason per
 * field instead. "Expected undefined" goes (JSON has no undefined; an absent field is allowed), plain
 * type mismatches merge into "Expected a, b or c, actual v", and a refinement's message wins over them.
 */
const oneReason = (messages: ReadonlyArray<string>): string => {
  const kept = messages.length > 1 ? messages.filter((m) => !m.startsWith("Expected undefined, actual ")) : messages
  const mismatches = kept.map((m) => /^Expected (.+), actual (.+)$/s.exec(m))
  const specific = kept.filter((_, i) => mismatches[i] === null)
  if (specific.length > 0) return specific.join("; ")
  const expected = mismatches.map((m) => m![1]!)
  const alternatives = expected.length > 1 ? `${expected.slice(0, -1).join(", ")} or ${expected.at(-1)}` : expected[0]
  return `Expected ${alternatives}, actual ${mismatches[0]![2]}`
}

const label = (kind: string, i: number, raw: unknown) => {
  const slug = typeof raw === "object" && raw !== null && "slug" in raw ? raw.slug : undefined
  return typeof slug === "string" ? `${kind}[${i}] (slug "${slug}")` : `${kind}[${i}]`
}

const decodeAll = <A>(
  kind: string,
  items: ReadonlyArray<unknown>,
  schema: Schema.Schema<A, any>,
  problems: Array<Problem>
) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "ignore" })
  const out: Array<A> = []
  items.forEach((raw, i) => {
    Either.match(decode(raw), {
      onLeft: (e) => problems.push(...parseProblems(label(kind, i, raw), e)),
      onRight: (a) => out.push(a)
    })
  })
  return out
}

const duplicates = <A>(
  kind: string,
  items: ReadonlyArray<A>,
  key: (a: A) => string | number,
  field: string,
  problems: Array<Problem>
) => {
  const seen = new Map<string | number, number>()
  items.forEach((item, i) => {
    const k = key(item)
    const first = seen.get(k)
    if (first === undefined) seen.set(k, i)
    else
      problems.push({
        record: label(kind, i, item),
        field,
        reason: `duplicate ${field} ${JSON.stringify(k)} (also ${kind}[${first}])`
      })
  })
}

/**
 * Decodes and checks a parsed catalogue file: types, slugs, repository URLs (normalised), duplicate
 * ids, slugs and repository URLs, and every reference between records. `known` lists ids that exist
 * in the database already, so a file may refer to them without carrying them.
 */
export const validateCatalogue = (
  input: unknown,
  known: {
    readonly categories?: ReadonlySet<number>
    readonly packages?: ReadonlySet<number>
    readonly grids?: ReadonlySet<number>
  } = {}
): Either.Either<Catalogue, CatalogueInvalid> => {
  const problems: Array<Problem> = []
  const envelope = Schema.decodeUnknownEither(Envelope, { errors: "all" })(input)
  if (Either.isLeft(envelope))
    return Either.left(new CatalogueInvalid({ problems: parseProblems("catalogue", envelope.left) }))
  const file = envelope.right
  const categories = decodeAll("categories", file.categories, CategoryRecord, problems)
  const grids = decodeAll("grids", file.grids, GridRecord, problems)
  const packages = decodeAll("packages", file.packages, PackageRecord, problems).map((p, i) =>
    Either.match(normalizeRepoUrl(p.repo_url), {
      onLeft: (reason) => {
        problems.push({ record: `packages[${i}] (slug "${p.slug}")`, field: "repo_url", reason })
        return p
      },
      onRight: (repo_url) => ({ ...p, repo_url })
    })
  )
  if (problems.length > 0) return Either.left(new CatalogueInvalid({ problems }))

  duplicates("categories", categories, (c) => c.id, "id", problems)
  duplicates("categories", categories, (c) => c.slug, "slug", problems)
  duplicates("packages", packages, (p) => p.id, "id", problems)
  duplicates("packages", packages, (p) => p.slug, "slug", problems)
  duplicates("packages", packages, (p) => p.repo_url, "repo_url", problems)
  duplicates("grids", grids, (g) => g.id, "id", problems)
  duplicates("grids", grids, (g) => g.slug, "slug", problems)

  const has = (ids: ReadonlyArray<{ id: number }>, extra: ReadonlySet<number> | undefined) => {
    const set = new Set(ids.map((x) => x.id))
    return (id: number) => set.has(id) || (extra?.has(id) ?? false)
  }
  const categoryExists = has(categories, known.categories)
  const packageExists = has(packages, known.packages)
  const gridExists = has(grids, known.grids)
  packages.forEach((p, i) => {
    const record = `packages[${i}] (slug "${p.slug}")`
    if (!categoryExists(p.category))
      problems.push({ record, field: "category", reason: `unknown category ${p.category}` })
    p.grids.forEach((g, j) => {
      if (!gridExists(g)) problems.push({ record, field: `grids.${j}`, reason: `unknown grid ${g}` })
    })
    if (p.deprecates_package !== null && !packageExists(p.deprecates_package)) {
      problems.push({ record, field: "deprecates_package", reason: `unknown package ${p.deprecates_package}` })
    }
    if (p.deprecates_package === p.id)
      problems.push({ record, field: "deprecates_package", reason: "a package cannot replace itself" })
    if (p.releases.length > 1) duplicates(`${record}.releases`, p.releases, (r) => r.number, "number", problems)
  })
  // Who joined each grid from the package side, computed once (not per grid: 350 grids × 4,000 packages).
  const joinedBy = new Map<number, Array<number>>()
  for (const p of packages) {
    for (const g of p.grids) {
      const list = joinedBy.get(g)
      if (list === undefined) joinedBy.set(g, [p.id])
      else list.push(p.id)
    }
  }
  grids.forEach((g, i) => {
    const record = `grids[${i}] (slug "${g.slug}")`
    g.packages.forEach((p, j) => {
      if (!packageExists(p)) problems.push({ record, field: `packages.${j}`, reason: `unknown package ${p}` })
    })
    const features = new Set(g.features.map((f) => f.id))
    const members = new Set([...g.packages, ...(joinedBy.get(g.id) ?? [])])
    g.elements.forEach((e, j) => {
      if (!features.has(e.feature))
        problems.push({
          record,
          field: `elements.${j}.feature`,
          reason: `feature ${e.feature} is not one of this grid's`
        })
      if (!members.has(e.package))
        problems.push({ record, field: `elements.${j}.package`, reason: `package ${e.package} is not in this grid` })
    })
    duplicates(`${record}.elements`, g.elements, (e) => `${e.package}/${e.feature}`, "cell", problems)
  })
  duplicates(
    "features",
    grids.flatMap((g) => g.features),
    (f) => f.id,
    "id",
    problems
  )

  return problems.length > 0
    ? Either.left(new CatalogueInvalid({ problems }))
    : Either.right({ snapshot_date: file.snapshot_date, source: file.source, categories, packages, grids })
}
