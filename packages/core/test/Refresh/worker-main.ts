/**
 * One refresh worker as its own process, for the multi-worker test: `node --import tsx worker-main.ts
 * DATABASE_URL NAME [CONCURRENCY]`. The upstreams come from the environment (the simulator's URLs); the
 * run's summary is printed as one JSON line.
 */
import { Effect, Layer } from "effect"
import * as Database from "../../src/Store/Database.ts"
import * as Refresh from "../../src/Refresh/Layer.ts"
import { Refresher } from "../../src/Refresh/Refresher.ts"

const [url, name, concurrency] = process.argv.slice(2)
if (url === undefined || name === undefined) {
  process.stderr.write("usage: worker-main DATABASE_URL NAME [CONCURRENCY]\n")
  process.exit(2)
}

const program = Effect.flatMap(Refresher, (r) =>
  r.run({ worker: name, concurrency: concurrency === undefined ? 8 : Number(concurrency) })
)

Effect.runPromise(Effect.provide(program, Refresh.layer.pipe(Layer.provideMerge(Database.layerFromUrl(url))))).then(
  (summary) => process.stdout.write(`${JSON.stringify(summary)}\n`),
  (e: unknown) => {
    process.stderr.write(`${String(e)}\n`)
    process.exit(1)
  }
)
