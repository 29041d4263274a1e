import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { Conflict, Invalid, NotFound, PreconditionFailed, StillReferenced } from "../../src/Domain/Errors.ts"
import type { CategoryId } from "../../src/Domain/Ids.ts"
import type { PackageDraft } from "../../src/Domain/Package.ts"
import { Slug } from "../../src/Domain/Slug.ts"
import type { Timestamp } from "../../src/Domain/Timestamp.ts"
import { Categories } from "../../src/Store/Categories.ts"
import { type PackageOrder, Packages } from "../../src/Store/Packages.ts"
import * as Rows from "../../src/Store/Rows.ts"
import { engines } from "../../src/Store/TestDatabase.ts"
import { useRuntime } from "./useRuntime.ts"

for (const engine of engines()) {
  describe(`Store.Packages on ${engine.name}`, () => {
    const db = useRuntime(Layer.mergeAll(Packages.Default, Categories.Default).pipe(Layer.provideMerge(engine.layer)))
    const packages = Effect.flatMap(Packages, Effect.succeed)

    let sequence = 0
    /** A category of its own, so each test lists only its own packages. */
    const newCategory = () => {
      sequence += 1
      return db.run(
        Effect.flatMap(Categories, (c) =>
          c.create({ slug: Slug.make(`category-${sequence}`), title: `Category ${sequence}` })
        )
      )
    }
    const draft = (category: CategoryId, name: string, extra: Partial<PackageDraft> = {}): PackageDraft => ({
      slug: Slug.make(name),
      title: name,
      category,
      repo_url: `https://github.com/packgrid-test/${name}`,
      ...extra
    })
    const create = (d: PackageDraft) => db.run(Effect.flatMap(packages, (p) => p.create(d)))
    const countAll = () =>
      db.run(
        Effect.map(
          Effect.flatMap(packages, (p) => p.list({ limit: 1, offset: 0 })),
          (page) => page.count
        )
      )

    it("stores the canonical spelling of a pasted repository URL and detects its host", async () => {
      const category = await newCategory()
      const pkg = await create(
        draft(category.id, "pasted-url", { repo_url: "git@GitLab.com:Group/Sub/Pasted-Url.git" })
      )
      expect(pkg.repo_url).toBe("https://gitlab.com/Group/Sub/Pasted-Url")
      expect(pkg.repo_host).toBe("gitlab")
      const again = await db.failure(
        Effect.flatMap(packages, (p) =>
          p.create(draft(category.id, "pasted-again", { repo_url: "https://www.gitlab.com/Group/Sub/Pasted-Url/" }))
        )
      )
      expect(again).toEqual(
        new Conflict({ entity: "Package", field: "repo_url", value: "https://gitlab.com/Group/Sub/Pasted-Url" })
      )
      const bad = await db.failure(
        Effect.flatMap(packages, (p) => p.create(draft(category.id, "bad-url", { repo_url: "not a url at all" })))
      )
      expect(bad).toBeInstanceOf(Invalid)
      expect((bad as Invalid).issues.map((i) => i.path)).toEqual(["repo_url"])
    })

    it("creates a package with every fact given and reads it back by id and by slug", async () => {
      const category = await newCategory()
      const weeks = Array.from({ length: 52 }, (_, i) => i % 3)
      const lastCommit = 1_767_645_959_123_456 as Timestamp
      const created = await create(
        draft(category.id, "created-pkg", {
          title: "Created Package",
          repo_watchers: 1778,
          repo_forks: 513,
          pypi_version: "2.10.3",
          supports_python3: true,
          participants: ["ada", "grace"],
          commits_over_52w: weeks,
          last_commit_date: lastCommit,
          topics: ["stripe", "payments"]
        })
      )
      expect(created.id).toBeGreaterThan(0)
      expect(created).toMatchObject({
        slug: "created-pkg",
        title: "Created Package",
        category: category.id,
        repo_host: "github",
        repo_watchers: 1778,
        repo_forks: 513,
        pypi_version: "2.10.3",
        supports_python3: true,
        participants: ["ada", "grace"],
        commits_over_52w: weeks,
        last_commit_date: lastCommit,
        topics: ["stripe", "payments"],
        usage_count: 0,
        favorite_count: 0,
        revision: 1,
        grids: []
      })
      expect(created.modified).toBe(created.created)
      expect(Math.abs(created.created / 1000 - Date.now())).toBeLessThan(60_000)

      const byId = await db.run(Effect.flatMap(packages, (p) => p.get({ id: created.id })))
      const bySlug = await db.run(Effect.flatMap(packages, (p) => p.get({ slug: "created-pkg" })))
      expect(byId).toEqual(created)
      expect(bySlug).toEqual(created)
    })

    it("says NotFound for a missing id or slug", async () => {
      const byId = await db.failure(Effect.flatMap(packages, (p) => p.get({ id: 987_654 })))
      expect(byId).toBeInstanceOf(NotFound)
      expect(byId).toMatchObject({ entity: "Package", key: 987_654 })
      const bySlug = await db.failure(Effect.flatMap(packages, (p) => p.get({ slug: "no-such-package" })))
      expect(bySlug).toMatchObject({ _tag: "NotFound", entity: "Package", key: "no-such-package" })
    })

    it("updates a package: new revision and modified, repo host follows the URL", async () => {
      const category = await newCategory()
      const pkg = await create(draft(category.id, "update-me"))
      const updated = await db.run(
        Effect.flatMap(packages, (p) =>
          p.update(
            { id: pkg.id },
            { title: "Updated", slug: Slug.make("updated-pkg"), repo_url: "https://gitlab.com/group/sub/updated" }
          )
        )
      )
      expect(updated).toMatchObject({
        id: pkg.id,
        title: "Updated",
        slug: "updated-pkg",
        repo_host: "gitlab",
        revision: 2,
        created: pkg.created
      })
      expect(updated.modified).toBeGreaterThanOrEqual(pkg.modified)
      expect(await db.run(Effect.flatMap(packages, (p) => p.get({ slug: "updated-pkg" })))).toEqual(updated)
      const old = await db.failure(Effect.flatMap(packages, (p) => p.get({ slug: "update-me" })))
      expect(old._tag).toBe("NotFound")
    })

    it("deletes a package", async () => {
      const category = await newCategory()
      const pkg = await create(draft(category.id, "delete-me"))
      const before = await countAll()
      const removed = await db.run(Effect.flatMap(packages, (p) => p.remove({ slug: "delete-me" })))
      expect(removed.id).toBe(pkg.id)
      expect(await countAll()).toBe(before - 1)
      expect((await db.failure(Effect.flatMap(packages, (p) => p.get({ id: pkg.id }))))._tag).toBe("NotFound")
      expect((await db.failure(Effect.flatMap(packages, (p) => p.remove({ id: pkg.id }))))._tag).toBe("NotFound")
    })

    it("lists newest first by default, and pages never overlap", async () => {
      const category = await newCategory()
      const made = []
      for (let i = 0; i < 7; i++) made.push(await create(draft(category.id, `paged-${i}`)))
      const expected = made.map((p) => p.id).sort((a, b) => b - a)
      const seen: Array<number> = []
      for (const offset of [0, 3, 6]) {
        const page = await db.run(
          Effect.flatMap(packages, (p) => p.list({ limit: 3, offset, where: { category: category.id } }))
        )
        expect(page.count).toBe(7)
        seen.push(...page.results.map((p) => p.id))
      }
      expect(seen).toEqual(expected)
      const beyond = await db.run(
        Effect.flatMap(packages, (p) => p.list({ limit: 3, offset: 7, where: { category: category.id } }))
      )
      expect(beyond).toEqual({ count: 7, results: [] })
    })

    it("orders by title with ties broken by id, so paging through ties loses and repeats nothing", async () => {
      const category = await newCategory()
      const titles = ["beta", "alpha", "beta", "alpha", "gamma", "beta", "alpha"]
      const made = []
      for (const [i, title] of titles.entries()) made.push(await create(draft(category.id, `tied-${i}`, { title })))
      const pageThrough = async (order: PackageOrder) => {
        const ids: Array<number> = []
        for (let offset = 0; offset < made.length; offset += 2) {
          const page = await db.run(
            Effect.flatMap(packages, (p) => p.list({ limit: 2, offset, order, where: { category: category.id } }))
          )
          ids.push(...page.results.map((p) => p.id))
        }
        return ids
      }
      const byTitle = [...made].sort((a, b) => a.title.localeCompare(b.title) || a.id - b.id).map((p) => p.id)
      expect(await pageThrough("title")).toEqual(byTitle)
      expect(await pageThrough("-title")).toEqual([...byTitle].reverse())
      expect(await pageThrough("id")).toEqual(made.map((p) => p.id).sort((a, b) => a - b))
    })

    it("refuses a duplicate slug or repository URL with a Conflict naming the field", async () => {
      const category = await newCategory()
      const first = await create(draft(category.id, "unique-pkg"))
      const before = await countAll()

      const slug = await db.failure(
        Effect.flatMap(packages, (p) =>
          p.create(draft(category.id, "unique-pkg", { repo_url: "https://github.com/packgrid-test/other" }))
        )
      )
      expect(slug).toBeInstanceOf(Conflict)
      expect(slug).toMatchObject({ entity: "Package", field: "slug", value: "unique-pkg" })

      const repo = await db.failure(
        Effect.flatMap(packages, (p) => p.create(draft(category.id, "other-slug", { repo_url: first.repo_url })))
      )
      expect(repo).toBeInstanceOf(Conflict)
      expect(repo).toMatchObject({ entity: "Package", field: "repo_url", value: first.repo_url })
      expect(await countAll()).toBe(before)

      const second = await create(draft(category.id, "unique-pkg-2"))
      const renamed = await db.failure(
        Effect.flatMap(packages, (p) => p.update({ id: second.id }, { slug: Slug.make("unique-pkg") }))
      )
      expect(renamed).toMatchObject({ _tag: "Conflict", field: "slug" })
      expect((await db.run(Effect.flatMap(packages, (p) => p.get({ id: second.id })))).slug).toBe("unique-pkg-2")
    })

    it("turns a unique violation that the pre-check missed (a concurrent writer) into a Conflict, not a SQL error", async () => {
      const category = await newCategory()
      const pkg = await create(draft(category.id, "raced-pkg"))
      const error = await db.failure(
        Effect.flatMap(
          SqlClient.SqlClient,
          (sql) =>
            sql`INSERT INTO packages (slug, title, category, repo_url, created, modified) VALUES (${pkg.slug}, ${"Raced"}, ${category.id}, ${"https://github.com/x/raced"}, ${0}, ${0})`
        ).pipe(Rows.mapWriteError("Package"))
      )
      expect(error).toBeInstanceOf(Conflict)
      expect(error).toMatchObject({ entity: "Package", field: "slug" })
    })

    it("refuses a missing category with Invalid naming `category`", async () => {
      const error = await db.failure(
        Effect.flatMap(packages, (p) => p.create(draft(987_654 as CategoryId, "orphan-pkg")))
      )
      expect(error).toBeInstanceOf(Invalid)
      expect((error as Invalid).issues).toEqual([
        { path: "category", message: `Invalid pk "987654" - object does not exist.` }
      ])

      const category = await newCategory()
      const pkg = await create(draft(category.id, "moved-pkg"))
      const moved = await db.failure(
        Effect.flatMap(packages, (p) => p.update({ id: pkg.id }, { category: 987_654 as CategoryId }))
      )
      expect(moved).toMatchObject({ _tag: "Invalid", issues: [{ path: "category" }] })
      expect((await db.run(Effect.flatMap(packages, (p) => p.get({ id: pkg.id })))).category).toBe(category.id)
    })

    it("refuses input that breaks the model's rules, per field", async () => {
      const category = await newCategory()
      const error = await db.failure(
        Effect.flatMap(packages, (p) =>
          p.create({ ...draft(category.id, "ok-slug"), slug: "Not A Slug" as Slug, repo_watchers: -1 })
        )
      )
      expect(error._tag).toBe("Invalid")
      expect((error as Invalid).issues.map((i) => i.path).sort()).toEqual(["repo_watchers", "slug"])
    })

    it("refuses to delete a package another names as its replacement, and keeps it", async () => {
      const category = await newCategory()
      const replaced = await create(draft(category.id, "old-pkg"))
      const replacement = await create(draft(category.id, "new-pkg", { deprecates_package: replaced.id }))
      expect(replacement.deprecates_package).toBe(replaced.id)

      const error = await db.failure(Effect.flatMap(packages, (p) => p.remove({ id: replaced.id })))
      expect(error).toBeInstanceOf(StillReferenced)
      expect(error).toMatchObject({ entity: "Package", key: replaced.id, by: `package "new-pkg" (as its replacement)` })
      expect(await db.run(Effect.flatMap(packages, (p) => p.get({ id: replaced.id })))).toEqual(replaced)

      await db.run(Effect.flatMap(packages, (p) => p.remove({ id: replacement.id })))
      await db.run(Effect.flatMap(packages, (p) => p.remove({ id: replaced.id })))
      expect((await db.failure(Effect.flatMap(packages, (p) => p.get({ id: replaced.id }))))._tag).toBe("NotFound")
    })

    it("checks the replacement: it must exist and not be the package itself", async () => {
      const category = await newCategory()
      const missing = await db.failure(
        Effect.flatMap(packages, (p) =>
          p.create(draft(category.id, "replaces-ghost", { deprecates_package: 987_654 as never }))
        )
      )
      expect(missing).toMatchObject({ _tag: "Invalid", issues: [{ path: "deprecates_package" }] })
      const pkg = await create(draft(category.id, "replaces-itself"))
      const itself = await db.failure(
        Effect.flatMap(packages, (p) => p.update({ id: pkg.id }, { deprecates_package: pkg.id }))
      )
      expect(itself).toMatchObject({
        _tag: "Invalid",
        issues: [{ path: "deprecates_package", message: "A package cannot replace itself." }]
      })
    })

    it("refuses a stale ifRevision with PreconditionFailed and changes nothing", async () => {
      const category = await newCategory()
      const pkg = await create(draft(category.id, "revised-pkg"))
      const first = await db.run(
        Effect.flatMap(packages, (p) => p.update({ id: pkg.id }, { title: "First edit" }, { ifRevision: 1 }))
      )
      expect(first.revision).toBe(2)

      const stale = await db.failure(
        Effect.flatMap(packages, (p) => p.update({ id: pkg.id }, { title: "Lost edit" }, { ifRevision: 1 }))
      )
      expect(stale).toBeInstanceOf(PreconditionFailed)
      expect(stale).toMatchObject({ entity: "Package", key: pkg.id })
      expect(await db.run(Effect.flatMap(packages, (p) => p.get({ id: pkg.id })))).toEqual(first)
    })
  })
}
