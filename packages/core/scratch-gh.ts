import { Effect, Option, Layer } from "effect"
import { startSimulator } from "./src/Refresh/Simulator.ts"
import { Http, HttpSettings } from "./src/Refresh/Http.ts"
import * as GitHub from "./src/Refresh/GitHub.ts"
import { RepoHost } from "./src/Refresh/RepoHost.ts"

const sim = await startSimulator()
const program = Effect.gen(function* () {
  const gh = yield* RepoHost
  for (const url of ["https://github.com/django/deps", "https://github.com/pydanny/dj-paginator", "https://github.com/PyGithub/PyGithub", "https://github.com/synthetic/synthetic-7", "https://github.com/octokit-fixture-org/tmp-scenario-rename-repository-20220719044033126-ukeod"]) {
    const r = yield* gh.fetch(url, null)
    if (r._tag === "Fetched") console.log(url, JSON.stringify({ ...r.facts, participants: r.facts.participants.slice(0, 5) }).slice(0, 900))
    const again = yield* gh.fetch(url, r._tag === "Fetched" ? r.state : null)
    console.log("again:", again._tag)
  }
  const http = yield* Http
  console.log(yield* http.stats("github"), yield* http.quota("github"))
  const e = yield* Effect.flip(gh.fetch("https://github.com/djangopackages/does-not-exist", null))
  console.log(e._tag, e.message)
})
await Effect.runPromise(program.pipe(Effect.provide(GitHub.layerWith({ baseUrl: sim.baseUrls.github, token: Option.none() }).pipe(Layer.provideMerge(Http.Default)))))
console.log(sim.requests.map((r) => `${r.status} ${r.path}`).join("\n"))
await sim.close()
