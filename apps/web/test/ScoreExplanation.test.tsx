import { renderToString } from "react-dom/server"
import { describe, expect, it } from "vitest"
import { ScoreExplanationView } from "../src/components/ScoreExplanation.tsx"
import { celeryScore } from "./fixtures.ts"

describe("score explanation", () => {
  const html = renderToString(<ScoreExplanationView score={celeryScore} />)

  it("shows the total out of 100 with its confidence, and each flag with its reason", () => {
    expect(html).toContain('<span class="score-total">32</span>')
    expect(html).toContain("Low<!-- --> confidence")
    expect(html).toContain("<strong>Not on PyPI</strong>: <!-- -->it is not published on PyPI")
  })

  it("draws each pillar as a bar of its points out of its maximum, its components in the tooltip", () => {
    expect(html).toContain(
      '<meter min="0" max="25" value="17.5" title="Stars: 1452 stars on a log scale → 0.86 (9.0/9)">'
    )
    expect(html).toContain("17.5<!-- --> / <!-- -->25")
  })

  it("lists the three biggest gains, and the confidence notes", () => {
    const list = /<ul class="score-hints">(.*?)<\/ul>/.exec(html)?.[1] ?? ""
    const hints = [...list.matchAll(/<li>(.*?)<!-- --> <span class="score-gain">/g)].map((m) => m[1])
    expect(hints).toEqual([
      "publish it on PyPI",
      "add `Framework :: Django :: X.Y` classifiers",
      "publish releases on PyPI"
    ])
    expect(html).toContain('<p class="score-notes">security advisories were not checked<!-- -->.</p>')
  })
})
