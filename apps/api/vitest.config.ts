import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Names the engines the store suites run on at the top of the output.
    globalSetup: ["../../packages/core/src/Store/TestDatabase.setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})
