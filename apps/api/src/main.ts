/** `pnpm start`: migrate, seed the demo catalogue into an empty database, serve, shut down cleanly. */
import { Effect, Fiber } from "effect"
import { readFile } from "node:fs/promises"
import type { Server } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { prepare } from "@packgrid/core/Store/Bootstrap"
import { describeDatabase, parseDatabaseUrl } from "@packgrid/core/Store/Database"
import { makeApp } from "./app.ts"
import { loadConfig } from "./config.ts"
import { jsonLogger as log } from "./logger.ts"
import { makeRuntime } from "./runtime.ts"
import { refreshScheduler } from "./refreshScheduler.ts"
import { scoreScheduler } from "./scheduler.ts"

const demoCatalogue = fileURLToPath(new URL("../../../data/demo/catalogue.json", import.meta.url))
const webRoot = fileURLToPath(new URL("../../web/dist", import.meta.url))

const fail = (message: string): never => {
  process.stderr.write(`packgrid: ${message}\n`)
  process.exit(1)
}

const config = await Effect.runPromise(Effect.either(loadConfig)).then((e) =>
  e._tag === "Left" ? fail(String(e.left)) : e.right
)
const target = parseDatabaseUrl(config.databaseUrl)
if (typeof target === "string") fail(target)

const runtime = makeRuntime(config.databaseUrl)
const seed = Effect.tryPromise({
  try: async () => JSON.parse(await readFile(demoCatalogue, "utf8")) as unknown,
  catch: (e) => new Error(`cannot read the demo catalogue ${demoCatalogue}: ${String(e)}`)
})
const prepared = await runtime.runPromiseExit(prepare(seed))
if (prepared._tag === "Failure") {
  await runtime.dispose()
  fail(`cannot prepare the database: ${prepared.cause.toString()}`)
} else if (prepared.value !== undefined) {
  log("seeded the demo catalogue", { ...prepared.value })
}

// Scores decay with time: recompute them daily (at once if the last run is over a day old).
const rescoring = runtime.runFork(scoreScheduler({ log }))

// PACKGRID_REFRESH_INTERVAL: refresh the stale packages now and then every interval.
const refreshing =
  config.refreshIntervalMillis === undefined
    ? undefined
    : runtime.runFork(refreshScheduler({ everyMillis: config.refreshIntervalMillis, log }))
if (config.refreshIntervalMillis !== undefined)
  log("refresh scheduler on", { everyMillis: config.refreshIntervalMillis })

const app = makeApp({ runtime, config, log, webRoot })
const server: Server = app.listen(config.port, config.host, () => {
  // The port bound, not the one asked for: PORT=0 takes any free one (tests, several instances).
  const { port } = server.address() as AddressInfo
  log("listening", { url: `http://${config.host}:${port}`, database: describeDatabase(target as never) })
})
server.on("error", (e) => fail(`cannot listen on ${config.host}:${config.port}: ${e.message}`))

let closing = false
const shutdown = (signal: string) => {
  if (closing) return
  closing = true
  log("shutting down", { signal })
  const force = setTimeout(() => process.exit(1), 10_000).unref()
  server.close(() => {
    void runtime
      .runPromise(Fiber.interruptAll(refreshing === undefined ? [rescoring] : [rescoring, refreshing]))
      .then(() => runtime.dispose())
      .then(() => {
        clearTimeout(force)
        log("stopped")
        process.exit(0)
      })
  })
  server.closeIdleConnections()
}
process.on("SIGINT", () => shutdown("SIGINT"))
process.on("SIGTERM", () => shutdown("SIGTERM"))
