/** What every process does before it serves: bring the schema up to date, and seed an empty catalogue. */
import { Effect } from "effect"
import { CatalogueStore } from "./CatalogueStore.ts"
import { now } from "./Clock.ts"
import { migrate } from "./Migrations.ts"
import { StoreUnavailable } from "../Domain/Errors.ts"
import { causeMessage } from "./Database.ts"
import { Scores } from "./Scores.ts"

/**
 * Migrates, then imports `seed()` when there is no package yet and scores what it imported (the file's
 * scores are as of its snapshot). Returns what was seeded, if anything. The seed is only read when
 * needed: a populated database never parses the demo file.
 */
export const prepare = <E = never, R = never>(seed?: Effect.Effect<unknown, E, R>) =>
  Effect.gen(function* () {
    yield* Effect.mapError(migrate, (e) => new StoreUnavailable({ reason: `migration failed: ${causeMessage(e)}` }))
    if (seed === undefined) return undefined
    const store = yield* CatalogueStore
    if (!(yield* store.isEmpty)) return undefined
    const summary = yield* store.importCatalogue(yield* seed)
    const scored = yield* Effect.flatMap(Scores, (s) => Effect.flatMap(now, (asOf) => s.recompute({ asOf })))
    return { ...summary, scored: scored.packages }
  })
