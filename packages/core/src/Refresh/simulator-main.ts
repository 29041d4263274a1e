/**
 * Runs the upstream simulator on its own, to try a refresh offline:
 *
 *   npx tsx packages/core/src/Refresh/simulator-main.ts [--port 8787] [--latency 50] [--synthetic 5000]
 *
 * It prints the environment that points packgrid's refresh at it (PACKGRID_GITHUB_API=… and so on) and
 * serves until interrupted.
 */
import { parseArgs } from "node:util"
import { SIM_ENV, SIM_HOSTS, type SimHost, startSimulator } from "./Simulator.ts"

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    latency: { type: "string", default: "0" },
    synthetic: { type: "string", default: "10000" },
    help: { type: "boolean", short: "h", default: false }
  }
})

if (values.help) {
  console.log("usage: simulator-main [--port N] [--latency MS] [--synthetic COUNT]")
  process.exit(0)
}

const sim = await startSimulator({
  port: Number(values.port),
  latencyMs: Number(values.latency),
  syntheticCount: Number(values.synthetic)
})

console.log(
  `# upstream simulator at ${sim.origin} (synthetic-0 … synthetic-${Number(values.synthetic) - 1} on every host)`
)
for (const host of Object.keys(SIM_HOSTS) as Array<SimHost>)
  console.log(`export ${SIM_ENV[host]}=${sim.baseUrls[host]}`)
console.log("# Ctrl-C to stop")

const stop = () => {
  void sim.close().then(() => process.exit(0))
}
process.on("SIGINT", stop)
process.on("SIGTERM", stop)
