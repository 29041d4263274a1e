/** `pnpm bench [suite…]`: every suite, or the named ones; a table on stdout, JSON in bench/results/. */
import { cpus } from "node:os"
import { printTable, type Row, writeResults } from "./harness.ts"
import { importSuite } from "./import.ts"
import { refreshSuite } from "./refresh.ts"
import { scoringSuite, searchSuite } from "./scoring.ts"

const suites: Record<string, () => Promise<Array<Row>>> = {
  import: importSuite,
  refresh: refreshSuite,
  scoring: scoringSuite,
  search: searchSuite
}

const wanted = process.argv.slice(2).filter((a) => a !== "--")
const unknown = wanted.filter((w) => !(w in suites))
if (unknown.length > 0) {
  console.error(`unknown suite(s) ${unknown.join(", ")}; known: ${Object.keys(suites).join(", ")}`)
  process.exit(2)
}
const all: Array<Row> = []
for (const [name, suite] of Object.entries(suites)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue
  const rows = await suite()
  writeResults(name, rows, { cpus: cpus().length, cpu: cpus()[0]?.model })
  all.push(...rows)
}
printTable(all)
