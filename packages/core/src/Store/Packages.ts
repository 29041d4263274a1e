/** The packages table: reads, writes and grid-membership lookups, each write one transaction. */
import { SqlClient } from "@effect/sql"
import { Effect, Either, type ParseResult, Schema } from "effect"
import { Conflict, Invalid, NotFound, PreconditionFailed, StillReferenced, invalidOf } from "../Domain/Errors.ts"
import type { PackageId, UserId } from "../Domain/Ids.ts"
import { Package, type PackageDraft, type PackagePatch } from "../Domain/Package.ts"
import { detectRepoHost, normalizeRepoUrl } from "../Domain/RepoUrl.ts"
import { now } from "./Clock.ts"
import * as R from "./Rows.ts"
import { rescore } from "./Scores.ts"

/** Orderings a list may ask for; `-` is descending. Ties break on id so pages never overlap. */
export const PackageOrders = {
  "-id": "id DESC",
  id: "id ASC",
  title: "title ASC, id ASC",
  "-title": "title DESC, id DESC",
  "-repo_watchers": "repo_watchers DESC, id DESC",
  "-last_commit_date": "last_commit_date DESC, id DESC",
  "-score": "score DESC, id DESC",
  last_fetched: "last_fetched ASC, id ASC"
} as const
export type PackageOrder = keyof typeof PackageOrders

export interface Page<A> {
  readonly count: number
  readonly results: ReadonlyArray<A>
}

export type Lookup = { readonly id: number } | { readonly slug: string }

/**
 * Whether a lookup could name a stored row at all. One that cannot (an id past the 64-bit ids, a slug
 * with a NUL, which PostgreSQL refuses to even compare) is answered "not found" without asking the database.
 */
export const canExist = (lookup: Lookup): boolean =>
  "id" in lookup ? Number.isSafeInteger(lookup.id) : !lookup.slug.includes("\u0000")

/** Every stored column of a package (all fields but `grids`, which lives in grid_packages). */
export const PACKAGE_COLUMNS = Object.keys(Package.fields).filter((k) => k !== "grids")

/** A package as a row, in the storage conventions of Migrations.ts. */
export const toRow = ({ grids: _, ...p }: Package): R.Row => ({
  ...p,
  pypi_classifiers: R.json(p.pypi_classifiers),
  pypi_licenses: R.json(p.pypi_licenses),
  supports_python3: R.flagOrNull(p.supports_python3),
  participants: R.json(p.participants),
  commits_over_52w: R.json(p.commits_over_52w),
  topics: R.json(p.topics)
})

const decodePackage = Schema.decodeUnknown(Package)

/** A row (and its grid ids) as a validated package. */
export const fromRow = (row: R.Row, grids: ReadonlyArray<number>): Effect.Effect<Package, ParseResult.ParseError> =>
  decodePackage({
    ...row,
    id: R.num(row.id),
    category: R.num(row.category),
    supports_python3: R.boolOrNull(row.supports_python3),
    pypi_classifiers: R.list(row.pypi_classifiers),
    pypi_licenses: R.list(row.pypi_licenses),
    participants: R.list(row.participants),
    commits_over_52w: R.list(row.commits_over_52w),
    topics: R.list(row.topics),
    grids
  })

export class Packages extends Effect.Service<Packages>()("Store.Packages", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const gridsOf = (ids: ReadonlyArray<number>) =>
      ids.length === 0
        ? Effect.succeed(new Map<number, Array<number>>())
        : Effect.map(
            sql<{
              grid: number
              package: number
            }>`SELECT grid, package FROM grid_packages WHERE ${sql.in("package", ids)} ORDER BY id`,
            (rows) => {
              const byPackage = new Map<number, Array<number>>()
              for (const r of rows) {
                const list = byPackage.get(R.num(r.package)) ?? []
                list.push(R.num(r.grid))
                byPackage.set(R.num(r.package), list)
              }
              return byPackage
            }
          )

    const hydrate = (rows: ReadonlyArray<R.Row>) =>
      Effect.flatMap(gridsOf(rows.map((r) => R.num(r.id))), (grids) =>
        Effect.forEach(rows, (r) => fromRow(r, grids.get(R.num(r.id)) ?? []))
      )

    const findRow = (lookup: Lookup) =>
      "id" in lookup
        ? sql<R.Row>`SELECT * FROM packages WHERE id = ${lookup.id}`
        : sql<R.Row>`SELECT * FROM packages WHERE slug = ${lookup.slug}`

    /** A page of packages with the total count. */
    const list = (query: {
      limit: number
      offset: number
      order?: PackageOrder
      where?: { category?: number; grid?: number }
    }) =>
      R.mapReadError(
        Effect.gen(function* () {
          const order = PackageOrders[query.order ?? "-id"]
          const filters = [
            query.where?.category === undefined ? undefined : sql`category = ${query.where.category}`,
            query.where?.grid === undefined
              ? undefined
              : sql`id IN (SELECT package FROM grid_packages WHERE grid = ${query.where.grid})`
          ].filter((f) => f !== undefined)
          const where = filters.length === 0 ? sql`` : sql`WHERE ${sql.and(filters)}`
          const [countRow] = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM packages ${where}`
          const rows =
            yield* sql<R.Row>`SELECT * FROM packages ${where} ORDER BY ${sql.unsafe(order)} LIMIT ${query.limit} OFFSET ${query.offset}`
          return { count: R.num(countRow?.n ?? 0), results: yield* hydrate(rows) } satisfies Page<Package>
        })
      )

    /** One package by id or slug. */
    const get = (lookup: Lookup) =>
      R.mapReadError(
        Effect.gen(function* () {
          const [row] = canExist(lookup) ? yield* findRow(lookup) : []
          if (row === undefined)
            return yield* new NotFound({ entity: "Package", key: "id" in lookup ? lookup.id : lookup.slug })
          const [pkg] = yield* hydrate([row])
          return pkg!
        })
      )

    /** Packages by id, in no particular order (missing ids are skipped). */
    const getMany = (ids: ReadonlyArray<number>) =>
      R.mapReadError(
        ids.length === 0
          ? Effect.succeed([])
          : Effect.flatMap(sql<R.Row>`SELECT * FROM packages WHERE ${sql.in("id", ids)}`, hydrate)
      )

    /** Checks that need the database: unique slug and repo URL, existing category and replacement. */
    const checkReferences = (p: Package) =>
      Effect.gen(function* () {
        const clash = yield* sql<{ id: number; slug: string; repo_url: string }>`
          SELECT id, slug, repo_url FROM packages WHERE (slug = ${p.slug} OR repo_url = ${p.repo_url}) AND id <> ${p.id}`
        for (const c of clash) {
          if (c.slug === p.slug) return yield* new Conflict({ entity: "Package", field: "slug", value: p.slug })
          return yield* new Conflict({ entity: "Package", field: "repo_url", value: p.repo_url })
        }
        const category = yield* sql`SELECT id FROM categories WHERE id = ${p.category}`
        if (category.length === 0) {
          return yield* new Invalid({
            issues: [{ path: "category", message: `Invalid pk "${p.category}" - object does not exist.` }]
          })
        }
        if (p.deprecates_package !== null) {
          if (p.deprecates_package === p.id) {
            return yield* new Invalid({
              issues: [{ path: "deprecates_package", message: "A package cannot replace itself." }]
            })
          }
          const target = yield* sql`SELECT id FROM packages WHERE id = ${p.deprecates_package}`
          if (target.length === 0) {
            return yield* new Invalid({
              issues: [
                { path: "deprecates_package", message: `Invalid pk "${p.deprecates_package}" - object does not exist.` }
              ]
            })
          }
        }
      })

    /** Editors paste URLs in many spellings; one canonical form keeps the uniqueness check honest. */
    const canonicalRepoUrl = (url: string) =>
      Either.match(normalizeRepoUrl(url), {
        onLeft: (message) => Effect.fail(new Invalid({ issues: [{ path: "repo_url", message }] })),
        onRight: Effect.succeed
      })

    const validate = (input: unknown) =>
      Effect.mapError(Schema.decodeUnknown(Package, { errors: "all" })(input), invalidOf)

    /** Creates a package; the store assigns the id unless the draft names one. */
    const create = (draft: PackageDraft & { readonly id?: PackageId }, actor: UserId | null = null) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const at = yield* now
            const repoUrl = yield* canonicalRepoUrl(draft.repo_url)
            // Validated before the id exists; the database assigns it (identity / rowid), unless given.
            const validated = yield* validate({
              ...defaults,
              repo_host: detectRepoHost(repoUrl, draft.repo_host),
              ...draft,
              repo_url: repoUrl,
              id: draft.id ?? Number.MAX_SAFE_INTEGER,
              created_by: actor,
              last_modified_by: actor,
              created: at,
              modified: at,
              revision: 1,
              grids: []
            })
            yield* checkReferences(validated)
            const { id: _, ...row } = toRow(validated)
            const [inserted] = yield* sql<{
              id: number
            }>`INSERT INTO packages ${sql.insert((draft.id === undefined ? row : { id: draft.id, ...row }) as never)} RETURNING id`
            if (draft.id !== undefined) yield* R.resyncIdentity(sql)("packages")
            const id = R.num(inserted!.id) as PackageId
            // Its scores are facts of the new package: written in the same transaction.
            const { scores } = yield* Effect.provideService(rescore([id], at), SqlClient.SqlClient, sql)
            return Package.make({ ...validated, id, score: scores.get(id)?.score ?? validated.score })
          })
        )
        .pipe(R.mapWriteError("Package"))

    /**
     * Applies `patch` to a package. With `ifRevision`, the write happens only if nobody changed the
     * package since that revision (the API's `If-Match`).
     */
    const update = (
      lookup: Lookup,
      patch: PackagePatch,
      options: { actor?: UserId | null; ifRevision?: number } = {}
    ) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const current = yield* get(lookup)
            if (options.ifRevision !== undefined && options.ifRevision !== current.revision) {
              return yield* new PreconditionFailed({ entity: "Package", key: current.id })
            }
            const at = yield* now
            const repoUrl = patch.repo_url === undefined ? current.repo_url : yield* canonicalRepoUrl(patch.repo_url)
            const pkg = yield* validate({
              ...current,
              ...patch,
              repo_url: repoUrl,
              repo_host:
                patch.repo_host ?? (patch.repo_url === undefined ? current.repo_host : detectRepoHost(repoUrl)),
              id: current.id,
              created: current.created,
              created_by: current.created_by,
              last_modified_by: options.actor === undefined ? current.last_modified_by : options.actor,
              modified: at,
              revision: current.revision + 1,
              grids: current.grids
            })
            yield* checkReferences(pkg)
            const { id: _, ...row } = toRow(pkg)
            yield* sql`UPDATE packages SET ${sql.update(row as never)} WHERE id = ${pkg.id}`
            // New facts, new scores, in the same transaction (Store/Scores.ts).
            const { scores } = yield* Effect.provideService(rescore([pkg.id], at), SqlClient.SqlClient, sql)
            const score = scores.get(pkg.id)?.score ?? pkg.score
            return score === pkg.score ? pkg : Package.make({ ...pkg, score })
          })
        )
        .pipe(R.mapWriteError("Package"))

    /** Deletes a package, refused while another package names it as its replacement (or if `ifRevision` is stale). */
    const remove = (lookup: Lookup, ifRevision?: number) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const pkg = yield* get(lookup)
            if (ifRevision !== undefined && ifRevision !== pkg.revision) {
              return yield* new PreconditionFailed({ entity: "Package", key: pkg.id })
            }
            const referrers = yield* sql<{
              slug: string
            }>`SELECT slug FROM packages WHERE deprecates_package = ${pkg.id}`
            if (referrers.length > 0) {
              return yield* new StillReferenced({
                entity: "Package",
                key: pkg.id,
                by: `package "${referrers[0]!.slug}" (as its replacement)`
              })
            }
            yield* sql`DELETE FROM packages WHERE id = ${pkg.id}`
            return pkg
          })
        )
        .pipe(R.mapWriteError("Package"))

    /** Member package ids of each grid, ordered by title (as the reference's v4 grid serializer lists them). */
    const idsInGrids = (grids: ReadonlyArray<number>) =>
      R.mapReadError(
        grids.length === 0
          ? Effect.succeed(new Map<number, Array<PackageId>>())
          : Effect.map(
              sql<{
                grid: number
                id: number
              }>`SELECT gp.grid, p.id FROM packages p JOIN grid_packages gp ON gp.package = p.id WHERE ${sql.in("gp.grid", grids)} ORDER BY p.title, p.id`,
              (rows) => {
                const byGrid = new Map<number, Array<PackageId>>(grids.map((g) => [g, []]))
                for (const r of rows) byGrid.get(R.num(r.grid))?.push(R.num(r.id) as PackageId)
                return byGrid
              }
            )
      )

    return { list, get, getMany, create, update, remove, idsInGrids } as const
  })
}) {}

const defaults = {
  repo_description: "",
  repo_watchers: 0,
  repo_forks: 0,
  pypi_url: "",
  pypi_version: null,
  pypi_downloads: 0,
  pypi_classifiers: [],
  pypi_license: null,
  pypi_licenses: [],
  pypi_requires_python: null,
  supports_python3: null,
  documentation_url: "",
  participants: [],
  commit_count: 0,
  commits_over_52w: [],
  last_commit_date: null,
  latest_release_date: null,
  open_issues: null,
  contributors: null,
  topics: [],
  usage_count: 0,
  favorite_count: 0,
  score: 0,
  date_deprecated: null,
  deprecated_by: null,
  deprecates_package: null,
  date_repo_archived: null,
  last_exception: null,
  last_exception_at: null,
  last_exception_count: 0,
  last_fetched: null
} satisfies Partial<Package>
