/**
 * The upstream simulator in a process of its own for the refresh benchmark, so that its work (generating
 * and hashing thousands of synthetic answers) is not measured as packgrid's, with the quotas off (a first
 * run of 5,000 GitHub packages needs four times GitHub's hourly 5,000). Prints `{"origin": …}` once
 * listening; serves until killed.
 *
 *   tsx simulator-process.ts LATENCY_MS SYNTHETIC_COUNT
 */
import { startSimulator } from "@packgrid/core/Refresh/Simulator"

const [latency = "50", count = "5000"] = process.argv.slice(2)
const sim = await startSimulator({
  latencyMs: Number(latency),
  syntheticCount: Number(count),
  quotas: { github: null, gitlab: null }
})
process.stdout.write(`${JSON.stringify({ origin: sim.origin })}\n`)
const stop = () => void sim.close().then(() => process.exit(0))
process.on("SIGTERM", stop)
process.on("SIGINT", stop)
