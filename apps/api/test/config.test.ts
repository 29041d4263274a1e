import { ConfigProvider, Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import { ServerConfig } from "../src/config.ts"

const read = (env: Record<string, string>) =>
  Effect.runPromise(
    Effect.either(Effect.withConfigProvider(ServerConfig, ConfigProvider.fromMap(new Map(Object.entries(env)))))
  )

describe("ServerConfig", () => {
  it("listens on 8000 by default, on any free port with PORT=0, and refuses what is not a port", async () => {
    const port = async (env: Record<string, string>) => {
      const c = await read(env)
      return Either.isRight(c) ? c.right.port : String(c.left)
    }
    expect(await port({})).toBe(8000)
    expect(await port({ PORT: "0" })).toBe(0)
    expect(await port({ PORT: "8123" })).toBe(8123)
    expect(await port({ PORT: "65536" })).toMatch(/PORT.*from 0 \(any free port\) to 65535/)
    expect(await port({ PORT: "http" })).toMatch(/PORT/)
  })
})
