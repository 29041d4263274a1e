/** The daily rescore, on a test clock: at start when due, then once a day, never twice within one. */
import { Effect, Fiber, Layer, ManagedRuntime, Option, Queue, TestClock, TestContext } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Scores } from "@packgrid/core/Store/Scores"
import * as Store from "@packgrid/core/Store/Store"
import { engines } from "@packgrid/core/Store/TestDatabase"
import { scoreScheduler } from "../src/scheduler.ts"

describe("scoreScheduler", () => {
  const engine = engines()[0]!
  const runtime = ManagedRuntime.make(Store.repositories.pipe(Layer.provideMerge(engine.layer)))
  beforeAll(() => runtime.runtime())
  afterAll(() => runtime.dispose())

  it("runs at start when no run is recorded, then when the last one is a day old", async () => {
    const logged: Array<string> = []
    const outcome = await runtime.runPromise(
      Effect.gen(function* () {
        const checks = yield* Queue.unbounded<boolean>()
        const fiber = yield* Effect.fork(
          scoreScheduler({
            log: (message) => void logged.push(message),
            onCheck: (ran) => Queue.unsafeOffer(checks, Option.isSome(ran))
          })
        )
        const ran: Array<boolean> = [yield* Queue.take(checks)]
        // Hourly checks: not due until the last run (at time 0) is a day old.
        for (let hour = 1; hour <= 25; hour++) {
          yield* TestClock.adjust("1 hour")
          ran.push(yield* Queue.take(checks))
        }
        const last = yield* Effect.flatMap(Scores, (s) => s.lastRun)
        yield* Fiber.interrupt(fiber)
        return { ran, last }
      }).pipe(Effect.provide(TestContext.TestContext))
    )
    expect(outcome.ran.map((r, hour) => (r ? hour : -1)).filter((h) => h >= 0)).toEqual([0, 24])
    expect(Option.getOrThrow(outcome.last).as_of).toBe(24 * 3600 * 1_000_000)
    expect(logged).toEqual(["rescored", "rescored"])
  })
})
