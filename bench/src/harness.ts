/**
 * Runs each measurement in its own Node process, so peak memory (maxRSS) belongs to that one
 * variant, and prints packgrid beside its baseline. Results go to bench/results/<suite>.json.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

export interface Measurement {
  readonly ms: number
  readonly maxRssMiB: number
  readonly [extra: string]: unknown
}

export interface Row {
  readonly suite: string
  readonly case: string
  readonly variant: string
  readonly runs: number
  readonly medianMs: number
  readonly minMs: number
  readonly maxRssMiB: number
  readonly extra?: Record<string, unknown>
}

const resultsDir = fileURLToPath(new URL("../results/", import.meta.url))

/** Runs `worker` (a module of this folder) `runs` times with `args`; each run prints one JSON Measurement. */
export const measure = (worker: string, args: ReadonlyArray<string>, runs: number): Array<Measurement> => {
  const script = fileURLToPath(new URL(worker, import.meta.url))
  const out: Array<Measurement> = []
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
      encoding: "utf8",
      maxBuffer: 64 << 20
    })
    if (r.status !== 0) throw new Error(`${worker} ${args.join(" ")} failed (${r.status}):\n${r.stderr}`)
    const last = r.stdout.trim().split("\n").pop() ?? ""
    out.push(JSON.parse(last) as Measurement)
  }
  return out
}

export const summarize = (suite: string, testCase: string, variant: string, ms: ReadonlyArray<Measurement>): Row => {
  const sorted = [...ms].map((m) => m.ms).sort((a, b) => a - b)
  const { ms: _, maxRssMiB: __, ...extra } = ms[ms.length - 1]!
  return {
    suite,
    case: testCase,
    variant,
    runs: ms.length,
    medianMs: round(sorted[Math.floor(sorted.length / 2)]!),
    minMs: round(sorted[0]!),
    maxRssMiB: round(Math.max(...ms.map((m) => m.maxRssMiB))),
    ...(Object.keys(extra).length > 0 ? { extra } : {})
  }
}

const round = (n: number) => Math.round(n * 10) / 10

/** One figure as the tables print it: numbers to two decimals, objects (requests by host) as JSON. */
const figure = (v: unknown) =>
  typeof v === "number"
    ? String(Math.round(v * 100) / 100)
    : typeof v === "object" && v !== null
      ? JSON.stringify(v)
      : String(v)

/** A row's own figures beside the timing (per-query latency, packages/min…), as `name value` pairs. */
const details = (r: Row) =>
  Object.entries(r.extra ?? {})
    .map(([k, v]) => `${k} ${figure(v)}`)
    .join(", ")

/** Prints a plain-text table: a header, a rule, the rows, each column as wide as its widest cell. */
export const printColumns = (header: ReadonlyArray<string>, body: ReadonlyArray<ReadonlyArray<string>>) => {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd()
  console.log(line(header))
  console.log(widths.map((w) => "-".repeat(w)).join("  "))
  for (const b of body) console.log(line(b))
}

export const printTable = (rows: ReadonlyArray<Row>) =>
  printColumns(
    ["suite", "case", "variant", "runs", "median ms", "min ms", "peak RSS MiB", "details"],
    rows.map((r) => [
      r.suite,
      r.case,
      r.variant,
      String(r.runs),
      String(r.medianMs),
      String(r.minMs),
      String(r.maxRssMiB),
      details(r)
    ])
  )

export const writeResults = (suite: string, rows: ReadonlyArray<Row>, meta: Record<string, unknown>) => {
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(
    `${resultsDir}${suite}.json`,
    `${JSON.stringify({ suite, date: new Date().toISOString(), node: process.version, ...meta, rows }, null, 2)}\n`
  )
}

/** What a worker prints last: its timing and this process's peak resident memory. */
export const report = (ms: number, extra: Record<string, unknown> = {}) => {
  process.stdout.write(`${JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, ...extra })}\n`)
}
