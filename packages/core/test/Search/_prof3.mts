import { Effect, Layer, ManagedRuntime } from "effect"
import * as Database from "../../src/Store/Database.ts"
import { Search } from "../../src/Store/Search.ts"
const rt = ManagedRuntime.make(Search.Default.pipe(Layer.provideMerge(Database.layerFromUrl(process.argv[2]!))))
for (const q of process.argv.slice(3)) for (let i = 0; i < 3; i++) await rt.runPromise(Effect.flatMap(Search, (s) => s.search({ q, limit: 20, offset: 0 })))
await rt.dispose()
