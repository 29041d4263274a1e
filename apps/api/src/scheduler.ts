/**
 * The server's daily rescore: the scores decay with time (a release, a commit grow older), so every
 * package is recomputed once a day (Store/Scores.ts). The check runs at start, so a server that was down
 * catches up at once, then every `checkEvery`; a run happens when the last full run is a day old, whoever
 * made it (another server process, `packgrid rescore`), so several processes do not multiply the work.
 */
import { Cause, Duration, Effect, Option } from "effect"
import { now } from "@packgrid/core/Store/Clock"
import { DAILY_MICROS, type RecomputeSummary, Scores } from "@packgrid/core/Store/Scores"
import type { Logger } from "./http/respond.ts"

export interface SchedulerOptions {
  readonly log: Logger
  /** How often to check whether the daily run is due; an hour unless given. */
  readonly checkEvery?: Duration.DurationInput | undefined
  /** How old the last full run may be; a day unless given. */
  readonly maxAgeMicros?: number | undefined
  /** Told after every check (tests): the run's summary, or none when it was not due. */
  readonly onCheck?: ((ran: Option.Option<RecomputeSummary>) => void) | undefined
}

/** Runs forever (interrupt it to stop); a failed run is logged and retried at the next check. */
export const scoreScheduler = (options: SchedulerOptions): Effect.Effect<never, never, Scores> =>
  Effect.gen(function* () {
    const scores = yield* Scores
    const check = Effect.gen(function* () {
      const started = Date.now()
      const ran = yield* scores.runIfDue({ asOf: yield* now, maxAgeMicros: options.maxAgeMicros ?? DAILY_MICROS })
      if (Option.isSome(ran)) options.log("rescored", { ...ran.value, ms: Date.now() - started })
      options.onCheck?.(ran)
    }).pipe(
      Effect.catchAllCause((cause) =>
        Effect.sync(() => {
          options.log("rescoring failed", { cause: Cause.pretty(cause) })
          options.onCheck?.(Option.none())
        })
      )
    )
    return yield* Effect.forever(Effect.zipRight(check, Effect.sleep(Duration.decode(options.checkEvery ?? "1 hour"))))
  })
