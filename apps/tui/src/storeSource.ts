/** The catalogue read straight from the store, over the database the server uses. */
import { Cause, Effect, Exit, ManagedRuntime } from "effect"
import type { Package } from "@packgrid/core/Domain/Package"
import { toMillis } from "@packgrid/core/Domain/Timestamp"
import { prepare } from "@packgrid/core/Store/Bootstrap"
import { describeDatabase, parseDatabaseUrl } from "@packgrid/core/Store/Database"
import { Packages } from "@packgrid/core/Store/Packages"
import * as Store from "@packgrid/core/Store/Store"
import type { CatalogueSource, PackageView } from "./source.ts"

type StoreServices = ManagedRuntime.ManagedRuntime.Context<ReturnType<typeof makeRuntime>>

const makeRuntime = (url: string) => ManagedRuntime.make(Store.layer(url))

export const packageView = (p: Package): PackageView => ({
  slug: p.slug,
  title: p.title,
  stars: p.repo_watchers,
  forks: p.repo_forks,
  lastCommit: p.last_commit_date === null ? null : new Date(toMillis(p.last_commit_date)),
  pypiVersion: p.pypi_version,
  commits: p.commits_over_52w,
  description: p.repo_description,
  repoUrl: p.repo_url,
  participants: p.participants.length
})

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e))

/**
 * Tagged errors carry a readable message. A defect (the SQLite driver throws when it cannot open its
 * file, the file system when the directory cannot be made) gets the database's name, and stays on one
 * line rather than becoming a stack trace.
 */
const toError = (cause: Cause.Cause<unknown>, database: string): Error => {
  const failure = Cause.failureOption(cause)
  if (failure._tag === "Some") return new Error(messageOf(failure.value))
  return new Error(`The database failed: ${database}: ${messageOf(Cause.squash(cause))}`)
}

/** A source over the store at `url` (`file:PATH` or `postgres://…`); one runtime, disposed by `close`. */
export const storeSource = (url: string): CatalogueSource => {
  const target = parseDatabaseUrl(url)
  const label = typeof target === "string" ? url : describeDatabase(target)
  const runtime = makeRuntime(url)
  const run = async <A, E>(effect: Effect.Effect<A, E, StoreServices>): Promise<A> => {
    const exit = await runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return exit.value
    throw toError(exit.cause, label)
  }
  return {
    label,
    open: async () => {
      await run(prepare())
    },
    list: async ({ limit, offset }) => {
      // The API's v4 list order, so that both sources show the same pages.
      const page = await run(Effect.flatMap(Packages, (p) => p.list({ limit, offset, order: "-id" })))
      return { count: page.count, offset, results: page.results.map(packageView) }
    },
    get: async (slug) => packageView(await run(Effect.flatMap(Packages, (p) => p.get({ slug })))),
    close: () => runtime.dispose()
  }
}
