/**
 * Suite `refresh`: 5,000 synthetic GitHub packages refreshed against the upstream simulator with 50 ms
 * of latency on every answer, into a SQLite file. packgrid's first run and its re-run (nothing changed
 * upstream: conditional requests answered 304), beside the baseline: the reference's request pattern
 * (six unconditional requests per package, one package after the other) as a plain fetch loop, on the
 * first 500 packages (at its pace 5,000 would take about half an hour; every baseline run is a first run).
 * Each measurement runs in its own process; the simulator in another.
 */
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { createInterface } from "node:readline"
import { type Measurement, measure, printColumns, type Row, summarize } from "./harness.ts"

const PACKAGES = Number(process.env.PACKGRID_BENCH_REFRESH_PACKAGES ?? 5000)
const BASELINE_PACKAGES = Math.min(PACKAGES, Number(process.env.PACKGRID_BENCH_REFRESH_BASELINE ?? 500))
const LATENCY_MS = 50

const startSimulator = async () => {
  const script = fileURLToPath(new URL("./simulator-process.ts", import.meta.url))
  const child = spawn(process.execPath, ["--import", "tsx", script, String(LATENCY_MS), String(PACKAGES)], {
    stdio: ["ignore", "pipe", "inherit"]
  })
  const line = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the simulator exited (${code})`)))
    createInterface({ input: child.stdout }).once("line", resolve)
  })
  return { origin: (JSON.parse(line) as { origin: string }).origin, stop: () => child.kill("SIGTERM") }
}

const thousands = (n: number) => n.toLocaleString("en-US")

const printRefreshTable = (rows: ReadonlyArray<{ label: string; m: Measurement }>) => {
  console.log(`\nrefresh: ${thousands(PACKAGES)} synthetic GitHub packages, ${LATENCY_MS} ms a request, SQLite`)
  printColumns(
    ["case", "packages", "seconds", "packages/min", "requests/package", "304s", "failed", "peak RSS MiB"],
    rows.map(({ label, m }) => [
      label,
      thousands(Number(m.packages)),
      (m.ms / 1000).toFixed(1),
      thousands(Number(m.perMinute)),
      String(m.requestsPerPackage),
      thousands(Number(m.replies304)),
      String(m.failed),
      m.maxRssMiB.toFixed(0)
    ])
  )
  console.log("")
}

export const refreshSuite = async (): Promise<Array<Row>> => {
  const sim = await startSimulator()
  const dir = mkdtempSync(join(tmpdir(), "packgrid-bench-refresh-"))
  try {
    const db = `file:${join(dir, "refresh.sqlite")}`
    const baselineDb = `file:${join(dir, "baseline.sqlite")}`
    measure("./refresh-worker.ts", ["seed", db, String(PACKAGES)], 1)
    measure("./refresh-worker.ts", ["seed", baselineDb, String(BASELINE_PACKAGES)], 1)
    const first = measure("./refresh-worker.ts", ["packgrid", db, sim.origin], 1)
    const rerun = measure("./refresh-worker.ts", ["packgrid", db, sim.origin, "rerun"], 1)
    const baseline = measure("./refresh-worker.ts", ["baseline", baselineDb, sim.origin], 1)
    printRefreshTable([
      { label: "packgrid, first run", m: first[0]! },
      { label: "packgrid, re-run (conditional)", m: rerun[0]! },
      { label: `baseline (reference pattern), ${thousands(BASELINE_PACKAGES)} packages`, m: baseline[0]! }
    ])
    return [
      summarize("refresh", `${thousands(PACKAGES)} packages, first run`, "packgrid", first),
      summarize("refresh", `${thousands(PACKAGES)} packages, re-run`, "packgrid", rerun),
      summarize("refresh", `${thousands(BASELINE_PACKAGES)} packages, any run`, "baseline", baseline)
    ]
  } finally {
    sim.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
