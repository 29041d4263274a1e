/**
 * The server's refresh scheduler (`PACKGRID_REFRESH_INTERVAL`, e.g. `1h`): a run of the stale packages
 * at start and then every interval, on the server's runtime. One fiber runs them one after another, so
 * two runs of this process never overlap (a run longer than the interval is followed by the next at
 * once); other processes' runs and the API's one-package refreshes claim around it. Each run's summary
 * is logged as one JSON line; a failed run (the database down) is logged and the schedule goes on.
 * Interrupting the fiber (shutdown) stops the current run, whose claims are given back.
 */
import { Cause, Effect, Schedule } from "effect"
import { Refresher, type RunOptions, type RunSummary } from "@packgrid/core/Refresh/Refresher"
import type { Logger } from "./http/respond.ts"

export interface RefreshSchedulerOptions {
  readonly everyMillis: number
  readonly log: Logger
  /** Passed to every run (tests narrow them). */
  readonly run?: Omit<RunOptions, "onPackage"> | undefined
  /** Told after every run (tests): its summary, or undefined when it failed. */
  readonly onRun?: ((summary: RunSummary | undefined) => void) | undefined
}

/** Runs forever (interrupt it to stop). */
export const refreshScheduler = (options: RefreshSchedulerOptions): Effect.Effect<never, never, Refresher> =>
  Effect.gen(function* () {
    const refresher = yield* Refresher
    const once = refresher.run({ worker: "scheduler", ...options.run }).pipe(
      Effect.tap((summary) =>
        Effect.sync(() => {
          options.log("refresh", { ...summary })
          options.onRun?.(summary)
        })
      ),
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause)
          ? Effect.interrupt
          : Effect.sync(() => {
              options.log("refresh failed", { cause: Cause.pretty(cause) })
              options.onRun?.(undefined)
            })
      )
    )
    return yield* Effect.repeat(once, Schedule.fixed(options.everyMillis)).pipe(Effect.zipRight(Effect.never))
  })
