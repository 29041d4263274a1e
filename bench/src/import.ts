/** Suite `import`: the demo catalogue into SQLite and PostgreSQL, packgrid beside the naive baseline. */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { withFreshPostgres } from "./postgres.ts"
import { measure, type Row, summarize } from "./harness.ts"

const demo = fileURLToPath(new URL("../../data/demo/catalogue.json", import.meta.url))
const RUNS = 5

export const importSuite = async (): Promise<Array<Row>> => {
  const rows: Array<Row> = []
  for (const variant of ["packgrid", "baseline"]) {
    const ms = []
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(join(tmpdir(), "packgrid-bench-"))
      ms.push(...measure("./import-worker.ts", [variant, `file:${join(dir, "bench.sqlite")}`, demo], 1))
      rmSync(dir, { recursive: true, force: true })
    }
    rows.push(summarize("import", "demo catalogue → SQLite", variant, ms))
  }
  for (const variant of ["packgrid", "baseline"]) {
    const ms = []
    for (let i = 0; i < RUNS; i++) {
      const m = await withFreshPostgres((url) => measure("./import-worker.ts", [variant, url, demo], 1))
      if (m === undefined) break
      ms.push(...m)
    }
    if (ms.length > 0) rows.push(summarize("import", "demo catalogue → PostgreSQL", variant, ms))
  }
  return rows
}
