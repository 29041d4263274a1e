/** A real server on a free port over a test engine's database, seeded with the demo catalogue once. */
import { Effect, Layer, ManagedRuntime } from "effect"
import { readFileSync } from "node:fs"
import type { Server } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { prepare } from "@packgrid/core/Store/Bootstrap"
import * as Refresh from "@packgrid/core/Refresh/Layer"
import * as Store from "@packgrid/core/Store/Store"
import type { TestEngine } from "@packgrid/core/Store/TestDatabase"
import { makeApp } from "../src/app.ts"
import type { ServerConfig } from "../src/config.ts"
import { silentLogger } from "../src/logger.ts"
import type { AppRuntime } from "../src/runtime.ts"

const demoPath = fileURLToPath(new URL("../../../data/demo/catalogue.json", import.meta.url))
export const demoCatalogue = (): unknown => JSON.parse(readFileSync(demoPath, "utf8"))

export interface TestServer {
  readonly url: string
  readonly runtime: AppRuntime
  readonly close: () => Promise<void>
}

/** Upstreams nobody answers (the discard port): a test that refreshes by mistake fails fast, offline. */
const NO_UPSTREAMS: Refresh.RefreshConfig = Refresh.configFor({
  github: "http://127.0.0.1:9/github",
  gitlab: "http://127.0.0.1:9/gitlab",
  bitbucket: "http://127.0.0.1:9/bitbucket",
  codeberg: "http://127.0.0.1:9/codeberg",
  pypi: "http://127.0.0.1:9/pypi"
})

export const startServer = async (
  engine: TestEngine,
  config: Partial<ServerConfig> = {},
  seed: () => unknown = demoCatalogue,
  refresh: Refresh.RefreshConfig = NO_UPSTREAMS
): Promise<TestServer> => {
  const runtime = ManagedRuntime.make(
    Refresh.layerWith(refresh).pipe(Layer.provideMerge(Store.repositories), Layer.provideMerge(engine.layer))
  ) as AppRuntime
  await runtime.runPromise(prepare(Effect.sync(seed)))
  const app = makeApp({
    runtime,
    log: silentLogger,
    config: {
      port: 0,
      host: "127.0.0.1",
      databaseUrl: "",
      publicUrl: undefined,
      timeZone: "America/New_York",
      corsOrigins: [],
      bodyLimit: "100kb",
      ...config
    }
  })
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await runtime.dispose()
    }
  }
}
