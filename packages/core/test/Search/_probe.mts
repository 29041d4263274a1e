import { Effect, Layer, ManagedRuntime } from "effect"
import { readFileSync } from "node:fs"
import { CatalogueStore } from "../../src/Store/CatalogueStore.ts"
import { Search } from "../../src/Store/Search.ts"
import { enginesFrom } from "../../src/Store/TestDatabase.ts"

const demo = JSON.parse(readFileSync("/work/main/data/demo/catalogue.json", "utf8"))
const show = process.env.SHOW !== "0"
const queries = process.argv.slice(2)
for (const engine of enginesFrom({ PACKGRID_TEST_DATABASE_URL: process.env.PG })) {
  const rt = ManagedRuntime.make(Layer.mergeAll(Search.Default, CatalogueStore.Default).pipe(Layer.provideMerge(engine.layer)))
  await rt.runPromise(Effect.flatMap(CatalogueStore, (s) => s.importCatalogue(demo)))
  const all: number[] = []
  for (const q of queries) {
    const times: number[] = []
    let page: any
    for (let i = 0; i < 10; i++) {
      const t = performance.now()
      page = await rt.runPromise(Effect.flatMap(Search, (s) => s.search({ q, limit: 20, offset: 0 })))
      times.push(performance.now() - t)
    }
    times.sort((a, b) => a - b); all.push(...times)
    console.log(`${engine.name} ${JSON.stringify(q)} count=${page.count} median=${times[5]!.toFixed(1)}ms`)
    if (show) for (const h of page.results.slice(0, 8)) console.log(`   ${h.item_type[0]} ${h.slug.padEnd(40)} rel=${h.relevance.toFixed(3)} rank=${h.rank.toFixed(3)} ★${h.repo_watchers}`)
  }
  all.sort((a, b) => a - b)
  console.log(engine.name, "overall median", all[Math.floor(all.length / 2)]!.toFixed(1), "p90", all[Math.floor(all.length * 0.9)]!.toFixed(1))
  await rt.dispose()
}
