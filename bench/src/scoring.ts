/**
 * Suites `scoring` and `search`: scoring 100,000 packages, and search latency on the demo catalogue and
 * on it grown to 100,000 packages, on both engines.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { measure, type Row, summarize } from "./harness.ts"
import { withFreshPostgres } from "./postgres.ts"

const demo = fileURLToPath(new URL("../../data/demo/catalogue.json", import.meta.url))

export const scoringSuite = (): Promise<Array<Row>> =>
  Promise.resolve(
    ["packgrid", "baseline"].map((variant) =>
      summarize(
        "scoring",
        "100,000 synthetic packages",
        variant === "packgrid" ? "packgrid (3 scores)" : "baseline (legacy only)",
        measure("./scoring-worker.ts", ["score", variant, "100000"], 3)
      )
    )
  )

const SEARCH_CASES = [
  { name: "demo catalogue", size: [] },
  { name: "100,000 packages", size: ["100000"] }
] as const

export const searchSuite = async (): Promise<Array<Row>> => {
  const rows: Array<Row> = []
  for (const { name, size } of SEARCH_CASES) {
    for (const variant of ["packgrid", "baseline"]) {
      const dir = mkdtempSync(join(tmpdir(), "packgrid-search-"))
      const file = `file:${join(dir, "s.sqlite")}`
      const m = measure("./scoring-worker.ts", ["search", variant, file, demo, ...size], 1)
      rows.push(summarize("search", `200 queries, ${name}, SQLite`, variant, m))
      rmSync(dir, { recursive: true, force: true })
      const pg = await withFreshPostgres((url) =>
        measure("./scoring-worker.ts", ["search", variant, url, demo, ...size], 1)
      )
      if (pg !== undefined) rows.push(summarize("search", `200 queries, ${name}, PostgreSQL`, variant, pg))
    }
  }
  return rows
}
