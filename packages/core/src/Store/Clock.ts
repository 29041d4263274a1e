import { Clock, Effect } from "effect"
import type { Timestamp } from "../Domain/Timestamp.ts"

/** Now, with microsecond precision, through Effect's Clock so tests can move it. */
export const now: Effect.Effect<Timestamp> = Effect.map(Clock.currentTimeNanos, (n) => Number(n / 1000n) as Timestamp)
