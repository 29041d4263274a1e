/** The categories table. */
import { SqlClient } from "@effect/sql"
import { Effect, Schema } from "effect"
import { Category } from "../Domain/Category.ts"
import { Conflict, NotFound, PreconditionFailed, StillReferenced, invalidOf } from "../Domain/Errors.ts"
import { now } from "./Clock.ts"
import { canExist, type Page } from "./Packages.ts"
import * as R from "./Rows.ts"

export type CategoryDraft = Pick<Category, "slug" | "title"> &
  Partial<Pick<Category, "title_plural" | "description" | "show_pypi">>

const decode = Schema.decodeUnknown(Category, { errors: "all" })
const fromRow = (row: R.Row) => decode({ ...row, id: R.num(row.id), show_pypi: R.bool(row.show_pypi) })
const toRow = (c: Category) => ({ ...c, show_pypi: R.flag(c.show_pypi) })

export class Categories extends Effect.Service<Categories>()("Store.Categories", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const list = (query: { limit: number; offset: number }) =>
      R.mapReadError(
        Effect.gen(function* () {
          const [c] = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM categories`
          const rows =
            yield* sql<R.Row>`SELECT * FROM categories ORDER BY id DESC LIMIT ${query.limit} OFFSET ${query.offset}`
          return { count: R.num(c?.n ?? 0), results: yield* Effect.forEach(rows, fromRow) } satisfies Page<Category>
        })
      )

    const get = (lookup: { id: number } | { slug: string }) =>
      R.mapReadError(
        Effect.gen(function* () {
          const [row] = !canExist(lookup)
            ? []
            : "id" in lookup
              ? yield* sql<R.Row>`SELECT * FROM categories WHERE id = ${lookup.id}`
              : yield* sql<R.Row>`SELECT * FROM categories WHERE slug = ${lookup.slug}`
          if (row === undefined)
            return yield* new NotFound({ entity: "Category", key: "id" in lookup ? lookup.id : lookup.slug })
          return yield* fromRow(row)
        })
      )

    const all = R.mapReadError(
      Effect.flatMap(sql<R.Row>`SELECT * FROM categories ORDER BY title`, (rows) => Effect.forEach(rows, fromRow))
    )

    const checkSlug = (c: Category) =>
      Effect.flatMap(sql`SELECT id FROM categories WHERE slug = ${c.slug} AND id <> ${c.id}`, (rows) =>
        rows.length > 0 ? Effect.fail(new Conflict({ entity: "Category", field: "slug", value: c.slug })) : Effect.void
      )

    const create = (draft: CategoryDraft) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const at = yield* now
            const c = yield* Effect.mapError(
              decode({
                title_plural: "",
                description: "",
                show_pypi: true,
                ...draft,
                id: Number.MAX_SAFE_INTEGER,
                created: at,
                modified: at
              }),
              invalidOf
            )
            yield* checkSlug(c)
            const { id: _, ...row } = toRow(c)
            const [inserted] = yield* sql<{ id: number }>`INSERT INTO categories ${sql.insert(row)} RETURNING id`
            return Category.make({ ...c, id: R.num(inserted!.id) as Category["id"] })
          })
        )
        .pipe(R.mapWriteError("Category"))

    /** A category's version is its `modified` instant (the API's ETag): a stale `ifModified` is refused. */
    const fresh = (c: Category, ifModified: number | undefined) =>
      ifModified !== undefined && ifModified !== c.modified
        ? Effect.fail(new PreconditionFailed({ entity: "Category", key: c.id }))
        : Effect.void

    const update = (id: number, patch: Partial<CategoryDraft>, ifModified?: number) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const current = yield* get({ id })
            yield* fresh(current, ifModified)
            const c = yield* Effect.mapError(
              decode({ ...current, ...patch, id: current.id, modified: yield* now }),
              invalidOf
            )
            yield* checkSlug(c)
            const { id: _, ...row } = toRow(c)
            yield* sql`UPDATE categories SET ${sql.update(row)} WHERE id = ${id}`
            return c
          })
        )
        .pipe(R.mapWriteError("Category"))

    /** Refused while packages are in the category (the reference's PROTECT). */
    const remove = (id: number, ifModified?: number) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const c = yield* get({ id })
            yield* fresh(c, ifModified)
            const [n] = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM packages WHERE category = ${id}`
            if (R.num(n?.n ?? 0) > 0) {
              return yield* new StillReferenced({ entity: "Category", key: id, by: `${R.num(n!.n)} package(s)` })
            }
            yield* sql`DELETE FROM categories WHERE id = ${id}`
            return c
          })
        )
        .pipe(R.mapWriteError("Category"))

    return { list, get, all, create, update, remove } as const
  })
}) {}
