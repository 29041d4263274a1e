/** A tiny catalogue, and loading one into a real database the way `packgrid import` does. */
import { Effect, ManagedRuntime } from "effect"
import { prepare } from "@packgrid/core/Store/Bootstrap"
import { CatalogueStore } from "@packgrid/core/Store/CatalogueStore"
import * as Store from "@packgrid/core/Store/Store"

export const weeks = (f: (i: number) => number) => Array.from({ length: 52 }, (_, i) => f(i))

/** A three-package catalogue in the `packgrid-catalogue/1` format. */
export const tinyCatalogue = {
  format: "packgrid-catalogue/1",
  snapshot_date: "2026-02-15",
  source: "apps/tui tests",
  categories: [{ id: 1, slug: "apps", title: "App", title_plural: "Apps", show_pypi: true, description: "Apps." }],
  packages: [
    {
      id: 1,
      slug: "django-alpha",
      title: "django-alpha",
      category: 1,
      repo_url: "https://github.com/example/django-alpha",
      repo_description: "The first one.",
      repo_watchers: 1234,
      repo_forks: 56,
      participants: ["ann", "bob", "cy"],
      commits_over_52: weeks((i) => (i === 51 ? 9 : i % 2)),
      last_commit_date: "2026-01-05T15:45:59-05:00",
      created: "2013-09-01T13:55:38.132750-04:00",
      modified: "2026-01-28T14:02:42.047580-05:00",
      pypi_version: "1.2.3",
      grids: []
    },
    {
      id: 2,
      slug: "django-beta",
      title: "django-beta",
      category: 1,
      repo_url: "https://github.com/example/django-beta",
      repo_watchers: 7,
      created: "2020-01-01T00:00:00Z",
      modified: "2020-01-01T00:00:00Z"
    },
    {
      id: 3,
      slug: "gamma",
      title: "Gamma",
      category: 1,
      repo_url: "https://gitlab.com/example/gamma",
      repo_watchers: 98765,
      repo_forks: 4321,
      last_commit_date: "2025-12-31T23:30:00Z",
      created: "2021-01-01T00:00:00Z",
      modified: "2021-01-01T00:00:00Z",
      pypi_version: "0.9"
    }
  ],
  grids: []
}

/** Migrates the database at `url` and imports `catalogue` into it, with a runtime of its own. */
export const loadCatalogue = async (url: string, catalogue: unknown) => {
  const runtime = ManagedRuntime.make(Store.layer(url))
  try {
    return await runtime.runPromise(
      Effect.zipRight(
        prepare(),
        Effect.flatMap(CatalogueStore, (s) => s.importCatalogue(catalogue))
      )
    )
  } finally {
    await runtime.dispose()
  }
}
