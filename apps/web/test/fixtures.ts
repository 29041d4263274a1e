import { readFileSync } from "node:fs"
import type { PackageScoreV4, PackageV4, SearchRow } from "../src/api.ts"

/** The real v4 response for dj-stripe (id 2012), as the reference site returned it. */
export const djStripe = JSON.parse(
  readFileSync(new URL("./fixtures/package-2012.json", import.meta.url), "utf8")
) as PackageV4

/** A package that was added but never fetched: no commits, no release, no dates. */
export const neverFetched: PackageV4 = {
  category: "http://127.0.0.1:8000/api/v4/categories/1/",
  grids: [],
  id: 9001,
  title: "django-fresh",
  slug: "django-fresh",
  last_updated: null,
  last_fetched: null,
  repo_url: "https://github.com/example/django-fresh",
  pypi_version: null,
  created: "2026-02-01T10:00:00-05:00",
  modified: "2026-02-01T10:00:00-05:00",
  repo_forks: 0,
  repo_description: "",
  pypi_url: "",
  documentation_url: "javascript:alert(1)",
  repo_watchers: 0,
  commits_over_52: [],
  participants: []
}

/** A package row of the advanced search, as the API answers `?q=stripe` (score report trimmed). */
export const stripeHit: SearchRow = {
  item_type: "package",
  id: 2012,
  slug: "dj-stripe",
  title: "dj-stripe",
  description: "dj-stripe automatically syncs your Stripe Data to your local database.",
  repo_watchers: 1778,
  repo_forks: 513,
  last_committed: "2026-01-05T15:45:59-05:00",
  last_released: null,
  package_score: 48,
  score_report: { confidence: { level: "Low" } }
}

/** A grid row of the same search: a topic, with no score or counts of its own. */
export const stripeGridHit: SearchRow = {
  item_type: "grid",
  id: 216,
  slug: "stripe",
  title: "Stripe",
  description: "",
  repo_watchers: 0,
  repo_forks: 0,
  last_committed: null,
  last_released: null,
  package_score: 32
}

/** `GET /api/v4/packages/django-celery/score/` as the API answers it on the demo (trimmed to what is shown). */
export const celeryScore: PackageScoreV4 = {
  package_score: {
    score: 32,
    confidence: { level: "Low", notes: ["security advisories were not checked"] },
    flags: [
      { key: "not_on_pypi", label: "Not on PyPI", reason: "it is not published on PyPI, so installing it is harder" }
    ],
    pillars: [
      {
        key: "adoption",
        label: "Adoption",
        points: 17.5,
        max: 25,
        components: [
          { key: "stars", label: "Stars", points: 9, max: 9, known: true, reason: "1452 stars on a log scale → 0.86" }
        ]
      }
    ],
    improvements: [
      { key: "flag.not_on_pypi", hint: "publish it on PyPI", gain: 10.6 },
      { key: "compatibility.django", hint: "add `Framework :: Django :: X.Y` classifiers", gain: 9.8 },
      { key: "maintenance.release_freshness", hint: "publish releases on PyPI", gain: 8.4 },
      { key: "hygiene.license", hint: "declare a license", gain: 3 }
    ]
  }
}
