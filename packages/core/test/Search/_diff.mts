import { Effect, Layer, ManagedRuntime } from "effect"
import * as Database from "../../src/Store/Database.ts"
import { Search } from "../../src/Store/Search.ts"
const run = async (url: string, q: string) => {
  const rt = ManagedRuntime.make(Search.Default.pipe(Layer.provideMerge(Database.layerFromUrl(url))))
  const page = await rt.runPromise(Effect.flatMap(Search, (s) => s.search({ q, limit: 1000, offset: 0 })))
  await rt.dispose()
  return new Map(page.results.map((h) => [`${h.item_type}:${h.slug}`, h.relevance.toFixed(2)]))
}
for (const q of process.argv.slice(2)) {
  const a = await run("file:/tmp/probe/demo.sqlite", q)
  const b = await run("postgres://postgres@127.0.0.1:5432/packgrid_scratch_search", q)
  console.log(q, "sqlite only:", [...a].filter(([k]) => !b.has(k)).slice(0, 15).join(" "))
  console.log(q, "pg only:", [...b].filter(([k]) => !a.has(k)).slice(0, 15).join(" "))
}
