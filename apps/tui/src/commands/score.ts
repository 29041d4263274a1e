/** `packgrid score SLUG [--json]` explains a package's three scores; `packgrid rescore [SLUG…]` recomputes them. */
import { Effect } from "effect"
import { parseLookup } from "@packgrid/core/Domain/Ids"
import { fromMillis } from "@packgrid/core/Domain/Timestamp"
import type { ScoreComponent, ScorePillar } from "@packgrid/core/Scoring"
import { prepare } from "@packgrid/core/Store/Bootstrap"
import { Packages } from "@packgrid/core/Store/Packages"
import { type RecomputeSummary, type ScoreExplanation, Scores } from "@packgrid/core/Store/Scores"
import { UsageError, withStore } from "../cli.ts"

const one = (n: number) => n.toFixed(1)
const signed = (n: number) => `${n < 0 ? "−" : "+"}${one(Math.abs(n))}`
const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length))
const bar = (percent: number) => {
  const filled = Math.round(percent / 10)
  return `${"█".repeat(filled)}${"░".repeat(10 - filled)}`
}

const componentLines = (c: ScoreComponent): Array<string> => {
  const mark = c.known ? " " : "?"
  const lines = [`   ${mark} ${pad(c.label, 30)} ${pad(`${one(c.points)}/${c.max}`, 9)} ${c.reason}`]
  if (c.hint !== undefined) lines.push(`     ${" ".repeat(30)} ${" ".repeat(9)} how to improve: ${c.hint}`)
  return lines
}

const pillarLines = (p: ScorePillar): Array<string> => [
  `  ${pad(p.label, 14)} ${pad(`${one(p.points)}/${p.max}`, 9)} ${bar(p.percent)} ${p.percent}%`,
  ...p.components.flatMap(componentLines),
  ...p.adjustments.map((a) => `     ${pad(a.label, 30)} ${pad(signed(a.points), 9)} ${a.reason}`)
]

/** The explanation in words, as `packgrid score` prints it. */
export const describeScores = (e: ScoreExplanation): Array<string> => {
  const r = e.package_score
  const applied = r.flags.find((f) => f.applied)
  const lines: Array<string> = [
    `${e.package.title} (${e.package.slug}, package ${e.package.id}), scored as of ${e.as_of}`,
    "",
    `Package score (packgrid ${r.score_version}): ${r.score}/100`,
    `  Confidence: ${r.confidence.level} (${r.confidence.value.toFixed(2)} of the points rest on known facts)`,
    ...r.confidence.notes.map((n) => `    - ${n}`),
    `  Labels: ${r.labels.length === 0 ? "none" : r.labels.join(", ")}`,
    r.flags.length === 0 ? "  Flags: none" : "  Flags:",
    ...r.flags.map(
      (f) =>
        `    ${f.applied ? "×" : " "} ${f.label} ×${f.multiplier}${f.applied ? " (applied)" : " (a stronger flag applies)"}: ${f.reason}`
    ),
    "",
    "  Pillars (? marks a component scored with a prior because its input is not known):",
    ...r.pillars.flatMap(pillarLines),
    "",
    `  Total: ${one(r.total.subtotal)} points` +
      (applied === undefined
        ? ""
        : `, ×${r.total.multiplier} for "${applied.label}" (${signed(r.total.flag_adjustment)})`) +
      (r.total.rounding === 0 ? "" : `, rounded (${signed(r.total.rounding)})`) +
      ` = ${r.score}`
  ]
  if (r.improvements.length > 0) {
    lines.push("", "  To improve it:")
    for (const i of r.improvements.filter((x) => x.gain > 0).slice(0, 8))
      lines.push(`    up to +${one(i.gain)}: ${i.hint} (${i.key})`)
  }

  const l = e.legacy
  const age =
    l.months_since_last_commit === null
      ? `${one(l.commit_age_penalty)} for an unknown last commit (one quarter)`
      : `${one(l.commit_age_penalty)} for ${l.quarters} whole quarter${l.quarters === 1 ? "" : "s"} since the last commit (${l.months_since_last_commit} months)`
  lines.push(
    "",
    `Legacy grid score (Django Packages' "score", stars with a commit-age penalty): ${l.score}`,
    `  ${l.stars} stars − ${age} − ${one(l.python3_penalty)} because Python 3 support is ${
      l.python3_penalty === 0 ? "known" : "not known to be true"
    }${l.floored ? `, floored at ${l.score}` : ""} = ${l.score}`
  )

  const w = e.search_weight
  lines.push("", `Search weight (Django Packages' searchv3 rules): ${w.total_score}/100`)
  for (const b of w.breakdown) lines.push(`  ${pad(b.rule, 20)} ${pad(`${b.score}/${b.max_score}`, 6)} ${b.message}`)

  const s = e.stored
  const same =
    s.score === e.scores.score &&
    s.search_weight === e.scores.search_weight &&
    s.package_score === e.scores.package_score
  lines.push(
    "",
    `Stored: score ${s.score}, search_weight ${s.search_weight}, package_score ${s.package_score}` +
      (same ? " (current)" : " (stale: `packgrid rescore` or the server's daily run will update them)")
  )
  if (e.history.length === 0) lines.push("History: no day recorded yet")
  else {
    const recent = e.history.slice(-10)
    lines.push(
      `History (days the scores changed${e.history.length > recent.length ? `, last ${recent.length} of ${e.history.length}` : ""}):`,
      ...recent.map(
        (h) =>
          `  ${h.day}  package_score ${pad(String(h.package_score), 4)} score ${pad(String(h.score), 7)} search_weight ${h.search_weight}`
      )
    )
  }
  return lines
}

/** The store's "No Package matches the given query." as a message naming what the operator typed. */
const named =
  (target: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.catchIf(
      effect,
      (e) => (e as { _tag?: string })._tag === "NotFound",
      () => Effect.fail(new Error(`no package has the slug or id "${target}"`))
    )

export const scoreCommand = async (
  url: string,
  args: ReadonlyArray<string>,
  flags: { json?: boolean | undefined },
  out: (line: string) => void
) => {
  const [target] = args
  if (target === undefined || args.length > 1) throw new UsageError("usage: packgrid score SLUG [--json]")
  // The CLI is the edge: it reads the clock once and scores as of that instant.
  const asOf = fromMillis(Date.now())
  const explanation = await withStore(
    url,
    Effect.zipRight(prepare(), named(target)(Effect.flatMap(Scores, (s) => s.explain(parseLookup(target), asOf))))
  )
  if (flags.json === true) return out(JSON.stringify(explanation, null, 2))
  for (const line of describeScores(explanation)) out(line)
}

export const summaryLine = (s: RecomputeSummary, ms: number) =>
  `rescored ${s.packages} package${s.packages === 1 ? "" : "s"} as of ${s.as_of}: ${s.changed} changed, ` +
  `${s.history} history row${s.history === 1 ? "" : "s"} for ${s.day}, in ${s.batches} batch${s.batches === 1 ? "" : "es"} and ${ms} ms`

export const rescoreCommand = async (url: string, slugs: ReadonlyArray<string>, out: (line: string) => void) => {
  const asOf = fromMillis(Date.now())
  const started = performance.now()
  const summary = await withStore(
    url,
    Effect.zipRight(
      prepare(),
      Effect.gen(function* () {
        const ids =
          slugs.length === 0
            ? undefined
            : yield* Effect.forEach(slugs, (slug) =>
                named(slug)(Effect.flatMap(Packages, (p) => Effect.map(p.get(parseLookup(slug)), (x): number => x.id)))
              )
        return yield* Effect.flatMap(Scores, (s) => s.recompute({ asOf, ids }))
      })
    )
  )
  out(summaryLine(summary, Math.round(performance.now() - started)))
}
