/** Test support for the refresh adapters: one simulator per file, fresh HTTP state per run. */
import { Effect, Layer } from "effect"
import { afterAll, beforeAll, beforeEach } from "vitest"
import { Http, type HostPolicy, HttpSettings, type HttpSettingsShape } from "../../src/Refresh/Http.ts"
import { type Simulator, type SimulatorOptions, startSimulator } from "../../src/Refresh/Simulator.ts"

/** Fast policies: millisecond backoff, short timeouts, nothing kept in reserve unless a test says so. */
export const testPolicy: HostPolicy = {
  concurrency: 4,
  reserve: 0,
  maxRetries: 3,
  baseDelay: "5 millis",
  timeout: "2 seconds",
  maxWait: "3 seconds"
}

export const testSettings = (
  hosts: HttpSettingsShape["hosts"] = {},
  defaults: Partial<HostPolicy> = {}
): HttpSettingsShape => ({
  defaults: { ...testPolicy, ...defaults },
  hosts,
  userAgent: "packgrid-tests"
})

/** A fresh `Http` (its own quotas and counters) with these settings, over the real fetch client. */
export const httpLayer = (settings: HttpSettingsShape = testSettings()) =>
  Http.Default.pipe(Layer.provide(Layer.succeed(HttpSettings, settings)))

/** Starts a simulator for the file and resets it before each test. */
export const useSimulator = (options: SimulatorOptions = {}): (() => Simulator) => {
  let sim: Simulator | undefined
  beforeAll(async () => {
    sim = await startSimulator(options)
  })
  afterAll(async () => {
    await sim?.close()
  })
  beforeEach(() => sim?.reset())
  return () => {
    if (sim === undefined) throw new Error("the simulator is used outside a test")
    return sim
  }
}

/** Runs an effect to its success; a failure rejects with the tagged error itself (not a FiberFailure). */
export const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromise(Effect.catchAll(effect, (e) => Effect.die(e)))

/** Runs an effect that must fail, and gives its error. */
export const failure = <A, E>(effect: Effect.Effect<A, E>): Promise<E> =>
  Effect.runPromise(
    Effect.flip(Effect.flatMap(effect, (a) => Effect.die(new Error(`expected a failure, got ${JSON.stringify(a)}`))))
  )

/** Microseconds of an ISO instant. */
export const us = (iso: string): number => Date.parse(iso) * 1000
