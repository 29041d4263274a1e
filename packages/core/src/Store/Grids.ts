/** Grids with their features, member packages and cells; every write bumps the grid's revision. */
import { SqlClient } from "@effect/sql"
import { Effect, Schema } from "effect"
import { Conflict, NotFound, PreconditionFailed, invalidOf } from "../Domain/Errors.ts"
import { Element, Feature, Grid } from "../Domain/Grid.ts"
import { now } from "./Clock.ts"
import { canExist, type Lookup, type Page } from "./Packages.ts"
import * as R from "./Rows.ts"

export type GridDraft = Pick<Grid, "slug" | "title"> & Partial<Pick<Grid, "description" | "is_locked" | "header">>

const decodeGrid = Schema.decodeUnknown(Grid, { errors: "all" })
const decodeFeature = Schema.decodeUnknown(Feature, { errors: "all" })

export class Grids extends Effect.Service<Grids>()("Store.Grids", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    /** Grid rows with members, features and cells, in three queries however many grids. */
    const hydrate = (rows: ReadonlyArray<R.Row>, withDetails: boolean) =>
      Effect.gen(function* () {
        const ids = rows.map((r) => R.num(r.id))
        if (ids.length === 0) return []
        const members =
          yield* sql<R.Row>`SELECT grid, package FROM grid_packages WHERE ${sql.in("grid", ids)} ORDER BY id`
        const features = withDetails
          ? yield* sql<R.Row>`SELECT * FROM features WHERE ${sql.in("grid", ids)} ORDER BY id`
          : []
        const elements = withDetails
          ? yield* sql<R.Row>`SELECT * FROM elements WHERE ${sql.in("grid", ids)} ORDER BY id`
          : []
        const group = <T>(items: ReadonlyArray<R.Row>, f: (r: R.Row) => T) => R.group(items, (r) => R.num(r.grid), f)
        const memberMap = group(members, (r) => R.num(r.package))
        const featureMap = group(features, (r) => ({ ...r, id: R.num(r.id), grid: R.num(r.grid) }))
        const elementMap = group(elements, (r) => ({
          ...r,
          id: R.num(r.id),
          grid: R.num(r.grid),
          package: R.num(r.package),
          feature: R.num(r.feature)
        }))
        return yield* Effect.forEach(rows, (r) =>
          decodeGrid({
            ...r,
            id: R.num(r.id),
            is_locked: R.bool(r.is_locked),
            header: R.bool(r.header),
            packages: memberMap.get(R.num(r.id)) ?? [],
            features: featureMap.get(R.num(r.id)) ?? [],
            elements: elementMap.get(R.num(r.id)) ?? []
          })
        )
      })

    const list = (query: { limit: number; offset: number }) =>
      R.mapReadError(
        Effect.gen(function* () {
          const [c] = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM grids`
          const rows =
            yield* sql<R.Row>`SELECT * FROM grids ORDER BY id DESC LIMIT ${query.limit} OFFSET ${query.offset}`
          return { count: R.num(c?.n ?? 0), results: yield* hydrate(rows, false) } satisfies Page<Grid>
        })
      )

    const get = (lookup: Lookup) =>
      R.mapReadError(
        Effect.gen(function* () {
          const rows = !canExist(lookup)
            ? []
            : "id" in lookup
              ? yield* sql<R.Row>`SELECT * FROM grids WHERE id = ${lookup.id}`
              : yield* sql<R.Row>`SELECT * FROM grids WHERE slug = ${lookup.slug}`
          if (rows.length === 0)
            return yield* new NotFound({ entity: "Grid", key: "id" in lookup ? lookup.id : lookup.slug })
          const [grid] = yield* hydrate(rows, true)
          return grid!
        })
      )

    const gridRow = (g: Grid) => ({
      slug: g.slug,
      title: g.title,
      description: g.description,
      is_locked: R.flag(g.is_locked),
      header: R.flag(g.header),
      created: g.created,
      modified: g.modified,
      revision: g.revision
    })

    const checkSlug = (g: Grid) =>
      Effect.flatMap(sql`SELECT id FROM grids WHERE slug = ${g.slug} AND id <> ${g.id}`, (rows) =>
        rows.length > 0 ? Effect.fail(new Conflict({ entity: "Grid", field: "slug", value: g.slug })) : Effect.void
      )

    const create = (draft: GridDraft) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const at = yield* now
            const g = yield* Effect.mapError(
              decodeGrid({
                description: "",
                is_locked: false,
                header: false,
                ...draft,
                id: Number.MAX_SAFE_INTEGER,
                created: at,
                modified: at,
                revision: 1,
                packages: [],
                features: [],
                elements: []
              }),
              invalidOf
            )
            yield* checkSlug(g)
            const [inserted] = yield* sql<{ id: number }>`INSERT INTO grids ${sql.insert(gridRow(g))} RETURNING id`
            return Grid.make({ ...g, id: R.num(inserted!.id) as Grid["id"] })
          })
        )
        .pipe(R.mapWriteError("Grid"))

    /** Marks the grid changed (modified, revision), checking `ifRevision` first when given. */
    const touch = (grid: Grid, ifRevision?: number) =>
      Effect.gen(function* () {
        if (ifRevision !== undefined && ifRevision !== grid.revision) {
          return yield* new PreconditionFailed({ entity: "Grid", key: grid.id })
        }
        yield* sql`UPDATE grids SET modified = ${yield* now}, revision = revision + 1 WHERE id = ${grid.id}`
      })

    /** Runs `change` on a grid in one transaction and returns the grid as it is afterwards. */
    const change = <A, E, R2>(
      lookup: Lookup,
      ifRevision: number | undefined,
      f: (g: Grid) => Effect.Effect<A, E, R2>
    ) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const g = yield* get(lookup)
            yield* touch(g, ifRevision)
            yield* f(g)
            return yield* get({ id: g.id })
          })
        )
        .pipe(R.mapWriteError("Grid"))

    const update = (lookup: Lookup, patch: Partial<GridDraft>, ifRevision?: number) =>
      change(lookup, ifRevision, (current) =>
        Effect.gen(function* () {
          const g = yield* Effect.mapError(decodeGrid({ ...current, ...patch, id: current.id }), invalidOf)
          yield* checkSlug(g)
          yield* sql`UPDATE grids SET slug = ${g.slug}, title = ${g.title}, description = ${g.description}, is_locked = ${R.flag(g.is_locked)}, header = ${R.flag(g.header)} WHERE id = ${g.id}`
        })
      )

    /** Deletes a grid with its features, members and cells (refused if `ifRevision` is stale). */
    const remove = (lookup: Lookup, ifRevision?: number) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const g = yield* get(lookup)
            if (ifRevision !== undefined && ifRevision !== g.revision) {
              return yield* new PreconditionFailed({ entity: "Grid", key: g.id })
            }
            yield* sql`DELETE FROM grids WHERE id = ${g.id}`
            return g
          })
        )
        .pipe(R.mapWriteError("Grid"))

    const packageExists = (packageId: number) =>
      Effect.flatMap(sql`SELECT id FROM packages WHERE id = ${packageId}`, (rows) =>
        rows.length === 0 ? Effect.fail(new NotFound({ entity: "Package", key: packageId })) : Effect.void
      )

    /** Adds a package as a column; adding a member again changes nothing. */
    const addPackage = (lookup: Lookup, packageId: number, ifRevision?: number) =>
      change(lookup, ifRevision, (g) =>
        Effect.zipRight(
          packageExists(packageId),
          sql`INSERT INTO grid_packages (grid, package) VALUES (${g.id}, ${packageId}) ON CONFLICT (grid, package) DO NOTHING`
        )
      )

    /** Removes a column and its cells. */
    const removePackage = (lookup: Lookup, packageId: number, ifRevision?: number) =>
      change(lookup, ifRevision, (g) =>
        Effect.gen(function* () {
          if (!g.packages.includes(packageId as never))
            return yield* new NotFound({ entity: "Package", key: packageId })
          yield* sql`DELETE FROM grid_packages WHERE grid = ${g.id} AND package = ${packageId}`
        })
      )

    const addFeature = (lookup: Lookup, feature: { title: string; description?: string }, ifRevision?: number) =>
      change(lookup, ifRevision, (g) =>
        Effect.gen(function* () {
          const f = yield* Effect.mapError(
            decodeFeature({ description: "", ...feature, id: Number.MAX_SAFE_INTEGER, grid: g.id }),
            invalidOf
          )
          yield* sql`INSERT INTO features ${sql.insert({ grid: g.id, title: f.title, description: f.description })}`
        })
      )

    const featureOf = (g: Grid, featureId: number) =>
      Effect.fromNullable(g.features.find((f) => f.id === featureId)).pipe(
        Effect.mapError(() => new NotFound({ entity: "Feature", key: featureId }))
      )

    const updateFeature = (
      lookup: Lookup,
      featureId: number,
      patch: { title?: string; description?: string },
      ifRevision?: number
    ) =>
      change(lookup, ifRevision, (g) =>
        Effect.gen(function* () {
          const current = yield* featureOf(g, featureId)
          const f = yield* Effect.mapError(decodeFeature({ ...current, ...patch }), invalidOf)
          yield* sql`UPDATE features SET title = ${f.title}, description = ${f.description} WHERE id = ${featureId}`
        })
      )

    const removeFeature = (lookup: Lookup, featureId: number, ifRevision?: number) =>
      change(lookup, ifRevision, (g) =>
        Effect.zipRight(featureOf(g, featureId), sql`DELETE FROM features WHERE id = ${featureId}`)
      )

    /** Sets the text of the cell (package, feature); the package must be a member, the feature the grid's. */
    const setElement = (
      lookup: Lookup,
      cell: { package: number; feature: number; text: string },
      ifRevision?: number
    ) =>
      change(lookup, ifRevision, (g) =>
        Effect.gen(function* () {
          yield* featureOf(g, cell.feature)
          if (!g.packages.includes(cell.package as never))
            return yield* new NotFound({ entity: "Package", key: cell.package })
          const e = yield* Effect.mapError(
            Schema.decodeUnknown(Element, { errors: "all" })({ ...cell, id: Number.MAX_SAFE_INTEGER, grid: g.id }),
            invalidOf
          )
          yield* sql`INSERT INTO elements (grid, package, feature, text) VALUES (${g.id}, ${e.package}, ${e.feature}, ${e.text})
            ON CONFLICT (package, feature) DO UPDATE SET text = excluded.text`
        })
      )

    return {
      list,
      get,
      create,
      update,
      remove,
      addPackage,
      removePackage,
      addFeature,
      updateFeature,
      removeFeature,
      setElement
    } as const
  })
}) {}
