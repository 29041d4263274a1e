import { Effect, Layer } from "effect"
import { readFileSync } from "node:fs"
import { CatalogueStore } from "../../src/Store/CatalogueStore.ts"
import * as Database from "../../src/Store/Database.ts"
import { migrate } from "../../src/Store/Migrations.ts"
const demo = JSON.parse(readFileSync("/work/main/data/demo/catalogue.json", "utf8"))
for (const url of process.argv.slice(2)) {
  const t0 = performance.now()
  await Effect.runPromise(Effect.gen(function* () { yield* migrate; yield* Effect.flatMap(CatalogueStore, (s) => s.importCatalogue(demo)) }).pipe(Effect.provide(CatalogueStore.Default.pipe(Layer.provideMerge(Database.layerFromUrl(url))))))
  console.log("loaded", url, Math.round(performance.now() - t0), "ms")
}
