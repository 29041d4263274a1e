import { Effect, Layer, ManagedRuntime } from "effect"
import * as Store from "../../src/Store/Store.ts"
import { sqliteLayer } from "../../src/Store/TestDatabase.ts"
import { CatalogueStore } from "../../src/Store/CatalogueStore.ts"
import * as Refresh from "../../src/Refresh/Layer.ts"
import { Refresher } from "../../src/Refresh/Refresher.ts"
import { startSimulator } from "../../src/Refresh/Simulator.ts"
import { syntheticCatalogue } from "../../src/Refresh/SyntheticCatalogue.ts"
import { Packages } from "../../src/Store/Packages.ts"

const sim = await startSimulator({ latencyMs: 5 })
const rt = ManagedRuntime.make(Store.repositories.pipe(Layer.provideMerge(sqliteLayer)))
await rt.runPromise(Effect.flatMap(CatalogueStore, (c) => c.importCatalogue(syntheticCatalogue(Number(process.env.N ?? 20), { hosts: (process.env.HOSTS ?? "github").split(",") as never }))))
const cfg = Refresh.configFor(sim.baseUrls)
for (let i = 0; i < 2; i++) {
  const t = Date.now()
  const s = await rt.runPromise(Effect.flatMap(Refresher, (r) => r.run({ all: i > 0 })).pipe(Effect.provide(Refresh.layerWith(cfg))))
  console.log(Date.now() - t, JSON.stringify(s))
}
const p = await rt.runPromise(Effect.flatMap(Packages, (p) => p.get({ slug: "synthetic-0" })))
console.log(p.repo_watchers, p.repo_forks, p.pypi_version, p.supports_python3, p.score, p.commits_over_52w.length, p.last_exception)
await rt.dispose(); await sim.close()
