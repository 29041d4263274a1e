import { Effect, Layer, ManagedRuntime } from "effect"
import * as Database from "../../src/Store/Database.ts"
import { Search } from "../../src/Store/Search.ts"
const WORKLOAD = ["rest","stripe","inline","djnago-filter","restframwork","crisp","django cri","dj","django","forms","auth","celery","admin","graphql","cache","search","elasticsearch","payment","api","jwt","oauth","markdown","image","thumbnail","tagging","tags","cms","wagtail","debug toolbar","django-debug-toolbar","channels","websocket","celery beat","storages s3","s3","pdf","csv export","import export","geo","gis","i18n","translation","polymorphic","mptt tree",'"rest framework" -jwt',"htmx","guardian permissions","allauth","sentry","redis"]
for (const [name, url] of [["sqlite", "file:/tmp/probe/demo.sqlite"], ["postgres", "postgres://postgres@127.0.0.1:5432/packgrid_scratch_search"]] as const) {
  const rt = ManagedRuntime.make(Search.Default.pipe(Layer.provideMerge(Database.layerFromUrl(url))))
  for (const q of WORKLOAD) await rt.runPromise(Effect.flatMap(Search, (s) => s.search({ q, limit: 20, offset: 0 })))
  const all: number[] = []; const per = new Map<string, number[]>()
  for (let round = 0; round < 5; round++) for (const q of WORKLOAD) {
    const t = performance.now()
    await rt.runPromise(Effect.flatMap(Search, (s) => s.search({ q, limit: 20, offset: 0 })))
    const ms = performance.now() - t; all.push(ms); per.set(q, [...(per.get(q) ?? []), ms])
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const sorted = [...all].sort((a, b) => a - b)
  console.log(name, "median", med(all).toFixed(1), "p90", sorted[Math.floor(sorted.length * 0.9)]!.toFixed(1), "max", sorted[sorted.length - 1]!.toFixed(1), "n", all.length)
  const slow = [...per].map(([q, xs]) => [q, med(xs)] as const).sort((a, b) => b[1] - a[1]).slice(0, 5)
  console.log("  slowest:", slow.map(([q, m]) => `${q} ${m.toFixed(1)}`).join(", "))
  const sug: number[] = []
  for (const p of ["d", "dj", "dja", "djan", "djang", "django", "django-", "django-c", "django-cr", "django-cri", "django-cris", "django-crisp"]) {
    const t = performance.now(); await rt.runPromise(Effect.flatMap(Search, (s) => s.suggest(p, 10))); sug.push(performance.now() - t)
  }
  console.log("  type-ahead django-crisp, per keystroke:", sug.map((x) => x.toFixed(0)).join(" "))
  await rt.dispose()
}
