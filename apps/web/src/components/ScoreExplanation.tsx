import { getPackageScore, type PackageScoreV4 } from "../api.ts"
import { useRemote } from "../remote.ts"
import { LoadError } from "./LoadError.tsx"

/** How many improvement hints the panel lists: the biggest gains first. */
const HINTS = 3

/** packgrid's score of one package, explained: loaded on its own so the facts need not wait for it. */
export function ScoreExplanation({ slug }: { readonly slug: string }) {
  const { remote, retry } = useRemote(`score/${slug}`, (signal) => getPackageScore(slug, { signal }))
  if (remote.state === "failed") {
    return <LoadError title="Could not load the score" error={remote.error} onRetry={retry} />
  }
  if (remote.state === "loading") {
    return (
      <p className="status" role="status">
        Scoring…
      </p>
    )
  }
  return <ScoreExplanationView score={remote.value} />
}

/** The total and its confidence, the flags that lowered it, each pillar as a bar, and what would raise it. */
export function ScoreExplanationView({ score }: { readonly score: PackageScoreV4 }) {
  const s = score.package_score
  return (
    <section className="score-explanation" aria-labelledby="score-title">
      <h3 id="score-title">
        Score <span className="score-total">{s.score}</span>
        <span className="score-out-of">/100</span>
        <span className="score-confidence">{s.confidence.level} confidence</span>
      </h3>
      {s.flags.length > 0 ? (
        <ul className="score-flags">
          {s.flags.map((flag) => (
            <li key={flag.key}>
              <strong>{flag.label}</strong>: {flag.reason}
            </li>
          ))}
        </ul>
      ) : null}
      <dl className="score-pillars">
        {s.pillars.map((pillar) => (
          <div key={pillar.key} className="score-pillar">
            <dt>{pillar.label}</dt>
            <dd>
              <meter min={0} max={pillar.max} value={pillar.points} title={reasonsOf(pillar)} />
              <span className="score-points">
                {pillar.points.toFixed(1)} / {pillar.max}
              </span>
            </dd>
          </div>
        ))}
      </dl>
      {s.improvements.length > 0 ? (
        <>
          <h4>To raise it</h4>
          <ul className="score-hints">
            {s.improvements.slice(0, HINTS).map((hint) => (
              <li key={hint.key}>
                {hint.hint} <span className="score-gain">up to +{hint.gain.toFixed(1)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {s.confidence.notes.length > 0 ? <p className="score-notes">{s.confidence.notes.join("; ")}.</p> : null}
    </section>
  )
}

/** A pillar's components in words, for the bar's tooltip: "Stars: 1778 stars on a log scale… (9.0/9)". */
function reasonsOf(pillar: PackageScoreV4["package_score"]["pillars"][number]): string {
  return pillar.components.map((c) => `${c.label}: ${c.reason} (${c.points.toFixed(1)}/${c.max})`).join("\n")
}
