/**
 * Bulk import and export of `packgrid-catalogue/1`. An import is one transaction: upserts by id,
 * multi-row statements in chunks (a demo catalogue of 4,000 packages is a few dozen statements), and
 * database-level conflicts (a slug or repository URL held by another id) are reported like file errors.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Either } from "effect"
import { type Catalogue, FORMAT, type PackageRecord, validateCatalogue } from "../Catalogue/CatalogueFile.ts"
import { CatalogueInvalid } from "../Domain/Errors.ts"
import { detectRepoHost } from "../Domain/RepoUrl.ts"
import { formatTimestamp, type Timestamp } from "../Domain/Timestamp.ts"
import { now } from "./Clock.ts"
import { PACKAGE_COLUMNS } from "./Packages.ts"
import * as R from "./Rows.ts"

const CHUNK = 250
const SINGULAR = { categories: "category", packages: "package", grids: "grid" } as const

export interface ImportSummary {
  readonly categories: number
  readonly packages: number
  readonly grids: number
  readonly memberships: number
  readonly releases: number
}

const chunks = <A>(items: ReadonlyArray<A>, size = CHUNK): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

const packageRow = (p: PackageRecord, at: Timestamp): R.Row => ({
  id: p.id,
  slug: p.slug,
  title: p.title,
  category: p.category,
  repo_url: p.repo_url,
  repo_host: detectRepoHost(p.repo_url, p.repo_host),
  repo_description: p.repo_description,
  repo_watchers: p.repo_watchers,
  repo_forks: p.repo_forks,
  pypi_url: p.pypi_url,
  pypi_version: p.pypi_version,
  pypi_downloads: p.pypi_downloads,
  pypi_classifiers: R.json(p.pypi_classifiers),
  pypi_license: p.pypi_license,
  pypi_licenses: R.json(p.pypi_licenses.length > 0 ? p.pypi_licenses : p.pypi_license === null ? [] : [p.pypi_license]),
  pypi_requires_python: p.pypi_requires_python,
  supports_python3: R.flagOrNull(p.supports_python3 ?? null),
  documentation_url: p.documentation_url,
  participants: R.json(p.participants),
  commit_count: p.commit_count,
  commits_over_52w: R.json(p.commits_over_52),
  last_commit_date: p.last_commit_date,
  latest_release_date: p.latest_release_date,
  open_issues: p.open_issues,
  contributors: p.contributors,
  topics: R.json(p.topics),
  usage_count: p.usage_count,
  favorite_count: p.favorite_count,
  score: p.score,
  date_deprecated: p.date_deprecated,
  deprecated_by: null,
  // Set in a second pass: a replacement may come later in the file.
  deprecates_package: null,
  date_repo_archived: p.date_repo_archived ?? (p.archived ? (p.last_fetched ?? at) : null),
  last_exception: null,
  last_exception_at: null,
  last_exception_count: 0,
  last_fetched: p.last_fetched,
  created_by: null,
  last_modified_by: null,
  created: p.created,
  modified: p.modified,
  revision: 1
})

export class CatalogueStore extends Effect.Service<CatalogueStore>()("Store.CatalogueStore", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const ids = (table: "categories" | "packages" | "grids") =>
      Effect.map(sql<{ id: number }>`SELECT id FROM ${sql(table)}`, (rows) => new Set(rows.map((r) => R.num(r.id))))

    /** Creation and change times of existing rows, kept when a file record omits them (so a re-import changes nothing). */
    const stamps = (table: "categories" | "grids") =>
      Effect.map(
        sql<R.Row>`SELECT id, created, modified FROM ${sql(table)}`,
        (rows) => new Map(rows.map((r) => [R.num(r.id), { created: R.num(r.created), modified: R.num(r.modified) }]))
      )

    /** Slugs and repository URLs that the file gives to one id and the database to another. */
    const conflicts = (c: Catalogue) =>
      Effect.gen(function* () {
        const problems: Array<{ record: string; field: string; reason: string }> = []
        const check = (
          table: string,
          kind: keyof typeof SINGULAR,
          field: string,
          records: ReadonlyArray<{ id: number } & Record<string, unknown>>
        ) =>
          Effect.forEach(chunks(records, 500), (chunk) =>
            Effect.map(
              sql<R.Row>`SELECT id, ${sql(field)} AS v FROM ${sql(table)} WHERE ${sql.in(
                field,
                chunk.map((r) => r[field] as string)
              )}`,
              (rows) => {
                const owner = new Map(rows.map((r) => [String(r.v), R.num(r.id)]))
                for (const r of chunk) {
                  const id = owner.get(r[field] as string)
                  if (id !== undefined && id !== r.id) {
                    const i = records.indexOf(r)
                    problems.push({
                      record: `${kind}[${i}] (slug "${String(r.slug)}")`,
                      field,
                      reason: `${field} ${JSON.stringify(r[field])} already belongs to ${SINGULAR[kind]} ${id} in the database`
                    })
                  }
                }
              }
            )
          )
        yield* check("categories", "categories", "slug", c.categories)
        yield* check("packages", "packages", "slug", c.packages)
        yield* check("packages", "packages", "repo_url", c.packages)
        yield* check("grids", "grids", "slug", c.grids)
        return problems
      })

    const upsert = (table: string, rows: ReadonlyArray<R.Row>, key: ReadonlyArray<string>, bump?: string) =>
      Effect.forEach(
        chunks(rows),
        (chunk) => {
          const columns = Object.keys(chunk[0]!).filter((c) => !key.includes(c))
          const sets = columns.map((c) => (c === bump ? `${c} = ${table}.${c} + 1` : `${c} = excluded.${c}`)).join(", ")
          return sql`INSERT INTO ${sql(table)} ${sql.insert(chunk as Array<R.Row> as never)} ON CONFLICT (${sql.unsafe(key.join(", "))}) DO UPDATE SET ${sql.unsafe(sets)}`
        },
        { discard: true }
      )

    const resyncIdentity = R.resyncIdentity(sql)

    /** Validates `input` against the file rules and the database, then writes all of it or nothing. */
    const importCatalogue = (input: unknown) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const known = {
              categories: yield* ids("categories"),
              packages: yield* ids("packages"),
              grids: yield* ids("grids")
            }
            const catalogue = yield* Either.match(validateCatalogue(input, known), {
              onLeft: Effect.fail,
              onRight: Effect.succeed
            })
            const clashes = yield* conflicts(catalogue)
            if (clashes.length > 0) return yield* new CatalogueInvalid({ problems: clashes })
            const at = yield* now
            const kept = { categories: yield* stamps("categories"), grids: yield* stamps("grids") }

            yield* upsert(
              "categories",
              catalogue.categories.map((c) => ({
                id: c.id,
                slug: c.slug,
                title: c.title,
                title_plural: c.title_plural,
                description: c.description,
                show_pypi: R.flag(c.show_pypi),
                created: c.created ?? kept.categories.get(c.id)?.created ?? at,
                modified: c.modified ?? kept.categories.get(c.id)?.modified ?? at
              })),
              ["id"]
            )
            yield* upsert(
              "grids",
              catalogue.grids.map((g) => ({
                id: g.id,
                slug: g.slug,
                title: g.title,
                description: g.description,
                is_locked: R.flag(g.is_locked),
                header: R.flag(g.header),
                created: g.created ?? kept.grids.get(g.id)?.created ?? at,
                modified: g.modified ?? kept.grids.get(g.id)?.modified ?? at,
                revision: 1
              })),
              ["id"],
              "revision"
            )
            const packageRows = catalogue.packages.map((p) => packageRow(p, at))
            // Keys that a later record of the file takes from an earlier database row must be free first.
            yield* upsert("packages", packageRows, ["id"], "revision")
            const replaced = catalogue.packages.filter((p) => p.deprecates_package !== null)
            yield* Effect.forEach(
              replaced,
              (p) => sql`UPDATE packages SET deprecates_package = ${p.deprecates_package} WHERE id = ${p.id}`,
              { discard: true }
            )
            yield* Effect.forEach(["categories", "grids", "packages"] as const, resyncIdentity, { discard: true })

            // Memberships: what the packages list (in their order), then what only the grids list.
            const members: Array<{ grid: number; package: number }> = []
            const seen = new Set<string>()
            const add = (grid: number, pkg: number) => {
              const k = `${grid}/${pkg}`
              if (seen.has(k)) return
              seen.add(k)
              members.push({ grid, package: pkg })
            }
            for (const p of catalogue.packages) for (const g of p.grids) add(g, p.id)
            for (const g of catalogue.grids) for (const p of g.packages) add(g.id, p)
            const importedPackages = catalogue.packages.map((p) => p.id)
            yield* Effect.forEach(
              chunks(importedPackages, 500),
              (chunk) => sql`DELETE FROM grid_packages WHERE ${sql.in("package", chunk)}`,
              { discard: true }
            )
            yield* Effect.forEach(
              chunks(members),
              (chunk) => sql`INSERT INTO grid_packages ${sql.insert(chunk)} ON CONFLICT (grid, package) DO NOTHING`,
              { discard: true }
            )

            // Features and cells of the imported grids are the file's.
            const gridIds = catalogue.grids.map((g) => g.id)
            const features = catalogue.grids.flatMap((g) =>
              g.features.map((f) => ({ id: f.id, grid: g.id, title: f.title, description: f.description }))
            )
            const elements = catalogue.grids.flatMap((g) =>
              g.elements.map((e) => ({ grid: g.id, package: e.package, feature: e.feature, text: e.text }))
            )
            yield* Effect.forEach(
              chunks(gridIds, 500),
              (chunk) => sql`DELETE FROM features WHERE ${sql.in("grid", chunk)}`,
              { discard: true }
            )
            if (features.length > 0) yield* upsert("features", features, ["id"])
            if (elements.length > 0)
              yield* Effect.forEach(chunks(elements), (chunk) => sql`INSERT INTO elements ${sql.insert(chunk)}`, {
                discard: true
              })
            yield* resyncIdentity("features")

            const releases = catalogue.packages.flatMap((p) =>
              p.releases.map((r) => ({
                package: p.id,
                number: r.number,
                upload_time: r.upload_time,
                licenses: R.json(r.licenses),
                development_status: r.development_status,
                requires_python: r.requires_python,
                yanked: R.flag(r.yanked)
              }))
            )
            if (releases.length > 0) yield* upsert("releases", releases, ["package", "number"])

            return {
              categories: catalogue.categories.length,
              packages: catalogue.packages.length,
              grids: catalogue.grids.length,
              memberships: members.length,
              releases: releases.length
            } satisfies ImportSummary
          })
        )
        .pipe(R.mapWriteError("Package"))

    /** The whole database as a `packgrid-catalogue/1` value (timestamps in UTC, microseconds kept). */
    const exportCatalogue = (snapshotDate: string) =>
      R.mapReadError(
        Effect.gen(function* () {
          const when = (t: unknown) =>
            t === null || t === undefined ? null : formatTimestamp(R.num(t) as Timestamp, "UTC")
          const categories = yield* sql<R.Row>`SELECT * FROM categories ORDER BY id`
          const packages = yield* sql<R.Row>`SELECT ${sql.unsafe(PACKAGE_COLUMNS.join(", "))} FROM packages ORDER BY id`
          const grids = yield* sql<R.Row>`SELECT * FROM grids ORDER BY id`
          const members = yield* sql<R.Row>`SELECT grid, package FROM grid_packages ORDER BY id`
          const features = yield* sql<R.Row>`SELECT * FROM features ORDER BY id`
          const elements = yield* sql<R.Row>`SELECT * FROM elements ORDER BY id`
          const releases = yield* sql<R.Row>`SELECT * FROM releases ORDER BY package, upload_time, number`
          const by = <T>(rows: ReadonlyArray<R.Row>, key: string, f: (r: R.Row) => T) =>
            R.group(rows, (r) => R.num(r[key]), f)
          const gridsOf = by(members, "package", (r) => R.num(r.grid))
          const packagesOf = by(members, "grid", (r) => R.num(r.package))
          const featuresOf = by(features, "grid", (r) => ({
            id: R.num(r.id),
            title: R.str(r.title),
            description: R.str(r.description)
          }))
          const elementsOf = by(elements, "grid", (r) => ({
            package: R.num(r.package),
            feature: R.num(r.feature),
            text: R.str(r.text)
          }))
          const releasesOf = by(releases, "package", (r) => ({
            number: R.str(r.number),
            upload_time: when(r.upload_time),
            licenses: R.list<string>(r.licenses),
            development_status: R.num(r.development_status),
            requires_python: R.strOrNull(r.requires_python),
            yanked: R.bool(r.yanked)
          }))
          return {
            format: FORMAT,
            snapshot_date: snapshotDate,
            source: "packgrid export",
            categories: categories.map((c) => ({
              id: R.num(c.id),
              slug: c.slug,
              title: c.title,
              title_plural: c.title_plural,
              description: c.description,
              show_pypi: R.bool(c.show_pypi),
              created: when(c.created),
              modified: when(c.modified)
            })),
            packages: packages.map((p) => ({
              id: R.num(p.id),
              slug: p.slug,
              title: p.title,
              category: R.num(p.category),
              repo_url: p.repo_url,
              repo_host: p.repo_host,
              pypi_url: p.pypi_url,
              documentation_url: p.documentation_url,
              repo_description: p.repo_description,
              repo_watchers: R.num(p.repo_watchers),
              repo_forks: R.num(p.repo_forks),
              participants: R.list(p.participants),
              commits_over_52: R.list(p.commits_over_52w),
              last_commit_date: when(p.last_commit_date),
              last_fetched: when(p.last_fetched),
              created: when(p.created),
              modified: when(p.modified),
              pypi_version: p.pypi_version,
              grids: gridsOf.get(R.num(p.id)) ?? [],
              supports_python3: R.boolOrNull(p.supports_python3),
              pypi_downloads: R.num(p.pypi_downloads),
              pypi_classifiers: R.list(p.pypi_classifiers),
              pypi_requires_python: p.pypi_requires_python,
              pypi_license: p.pypi_license,
              pypi_licenses: R.list(p.pypi_licenses),
              releases: releasesOf.get(R.num(p.id)) ?? [],
              contributors: R.numOrNull(p.contributors),
              open_issues: R.numOrNull(p.open_issues),
              commit_count: R.num(p.commit_count),
              usage_count: R.num(p.usage_count),
              favorite_count: R.num(p.favorite_count),
              topics: R.list(p.topics),
              archived: p.date_repo_archived !== null,
              date_repo_archived: when(p.date_repo_archived),
              date_deprecated: when(p.date_deprecated),
              deprecates_package: R.numOrNull(p.deprecates_package),
              latest_release_date: when(p.latest_release_date),
              score: R.num(p.score)
            })),
            grids: grids.map((g) => ({
              id: R.num(g.id),
              slug: g.slug,
              title: g.title,
              description: g.description,
              is_locked: R.bool(g.is_locked),
              header: R.bool(g.header),
              created: when(g.created),
              modified: when(g.modified),
              packages: packagesOf.get(R.num(g.id)) ?? [],
              features: featuresOf.get(R.num(g.id)) ?? [],
              elements: elementsOf.get(R.num(g.id)) ?? []
            }))
          }
        })
      )

    /** Whether the catalogue is empty (no package yet): `pnpm start` then loads the demo. */
    const isEmpty = R.mapReadError(
      Effect.map(sql<{ n: number }>`SELECT COUNT(*) AS n FROM packages`, ([r]) => R.num(r?.n ?? 0) === 0)
    )

    return { importCatalogue, exportCatalogue, isEmpty } as const
  })
}) {}
