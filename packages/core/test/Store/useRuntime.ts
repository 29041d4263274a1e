/** Test support: one runtime (one fresh database) per describe block, and a way to expect a failure. */
import { Effect, type Layer, ManagedRuntime } from "effect"
import { afterAll, beforeAll } from "vitest"

/** Fails with the success value if `effect` succeeds; succeeds with its error if it fails. */
export const expectFailure = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> =>
  Effect.flip(
    Effect.flatMap(effect, (a) =>
      Effect.die(new Error(`expected a failure, but it succeeded with ${JSON.stringify(a)}`))
    )
  )

/**
 * Builds `layer` in `beforeAll` and disposes it in `afterAll` (which removes a `TestDatabase` engine's
 * database). `run` and `failure` are for the tests in between.
 */
export const useRuntime = <R, E>(layer: Layer.Layer<R, E>) => {
  let runtime: ManagedRuntime.ManagedRuntime<R, E> | undefined
  beforeAll(async () => {
    runtime = ManagedRuntime.make(layer)
    await runtime.runtime()
  })
  afterAll(async () => {
    await runtime?.dispose()
  })
  const current = () => {
    if (runtime === undefined) throw new Error("useRuntime: the runtime is used outside a test")
    return runtime
  }
  return {
    run: <A, E2>(effect: Effect.Effect<A, E2, R>): Promise<A> => current().runPromise(effect),
    failure: <A, E2>(effect: Effect.Effect<A, E2, R>): Promise<E2> => current().runPromise(expectFailure(effect))
  }
}
