/**
 * The four packages of SCORING.md §8.8, as facts at 2026-09-01 (Django target 6.0 with 5.2 the supported
 * LTS, Python target 3.14). Where the table leaves a fact open, the value chosen is noted.
 */
import { type Timestamp } from "../../src/Domain/Timestamp.ts"
import { type ReleaseFact, scoringFacts, type ScoringFacts } from "../../src/Scoring.ts"
import { at, daysBefore } from "./at.ts"

export const AS_OF = at("2026-09-01")

const ago = (days: number): Timestamp => daysBefore(AS_OF, days)

/** 52 weekly counts (oldest first) with commits in the given weeks-ago (0 = the current week). */
export const weeks = (activeWeeksAgo: ReadonlyArray<number>): ReadonlyArray<number> =>
  Array.from({ length: 52 }, (_, i) => (activeWeeksAgo.includes(51 - i) ? 3 : 0))

const releases = (rows: ReadonlyArray<readonly [string, number]>): ReadonlyArray<ReleaseFact> =>
  rows.map(([version, daysAgo]) => ({ version, upload_time: ago(daysAgo), yanked: false }))

const MIT = "License :: OSI Approved :: MIT License"

/** A — active app: 1.2k stars, 150 forks, 25 contributors, 30/52 active weeks, release 70 d ago (1.x), Django 5.2 not 6.0, Python ≤ 3.13, 40k downloads. */
export const A: ScoringFacts = scoringFacts({
  repo_watchers: 1200,
  repo_forks: 150,
  contributors: 25,
  open_issues: 40,
  commits_over_52w: weeks(Array.from({ length: 30 }, (_, i) => Math.floor((i * 52) / 30))),
  last_commit_date: ago(5),
  repo_description: "An active Django app",
  latest_version: "1.15.0",
  latest_release_date: ago(70),
  releases: releases(Array.from({ length: 16 }, (_, i) => [`1.${i}.0`, 70 + (15 - i) * 56] as const)),
  pypi_downloads: 40_000,
  pypi_classifiers: [
    "Development Status :: 5 - Production/Stable",
    "Framework :: Django",
    "Framework :: Django :: 4.2",
    "Framework :: Django :: 5.2",
    MIT,
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3.10",
    "Programming Language :: Python :: 3.11",
    "Programming Language :: Python :: 3.12",
    "Programming Language :: Python :: 3.13"
  ],
  pypi_requires_python: ">=3.10",
  pypi_license: "MIT",
  supports_python3: true,
  development_status: 5,
  documentation_url: "https://a.readthedocs.io/",
  usage_count: 12,
  vulnerabilities: [],
  last_fetched: ago(1)
})

/**
 * B — small "finished" app: 180 stars, 4 contributors, 2/52 active weeks (last commit 300 d ago, as the
 * legacy table has it), last release 420 d ago (2.0.4, so G = 540), six years of stable releases.
 * Chosen: 15 forks, 10k downloads, 3 users, 5 open issues. It declares Django 5.2 and 6.0, but its last
 * upload predates 6.0's release by more than 60 days, so the honesty check drops 6.0 (see the test).
 */
export const B: ScoringFacts = scoringFacts({
  repo_watchers: 180,
  repo_forks: 15,
  contributors: 4,
  open_issues: 5,
  commits_over_52w: weeks([43, 44]),
  last_commit_date: ago(300),
  repo_description: "A small finished Django app",
  latest_version: "2.0.4",
  latest_release_date: ago(420),
  releases: releases([
    ["1.0.0", 2200],
    ["1.0.1", 2000],
    ["1.1.0", 1800],
    ["1.1.1", 1600],
    ["1.2.0", 1400],
    ["1.2.1", 1200],
    ["2.0.0", 1000],
    ["2.0.1", 850],
    ["2.0.3", 640],
    ["2.0.4", 420]
  ]),
  pypi_downloads: 10_000,
  pypi_classifiers: [
    "Development Status :: 6 - Mature",
    "Framework :: Django",
    "Framework :: Django :: 5.2",
    "Framework :: Django :: 6.0",
    MIT,
    "Programming Language :: Python :: 3.12",
    "Programming Language :: Python :: 3.13",
    "Programming Language :: Python :: 3.14"
  ],
  pypi_requires_python: ">=3.10",
  pypi_license: "MIT",
  supports_python3: true,
  development_status: 6,
  documentation_url: "https://b.readthedocs.io/",
  usage_count: 3,
  vulnerabilities: [],
  last_fetched: ago(1)
})

/** C — famous but abandoned: 3k stars, 600 forks, 60 contributors, last release ~5 y ago, max Django 3.2, max Python 3.9. Chosen: 100k downloads, 30 users, no requires_python. */
export const C: ScoringFacts = scoringFacts({
  repo_watchers: 3000,
  repo_forks: 600,
  contributors: 60,
  open_issues: 150,
  commits_over_52w: weeks([]),
  last_commit_date: ago(1500),
  repo_description: "A famous Django app, abandoned",
  latest_version: "2.3.5",
  latest_release_date: ago(1826),
  releases: releases(
    Array.from(
      { length: 20 },
      (_, i) =>
        [
          `${i < 10 ? 1 : 2}.${Math.floor((i % 10) / 3)}.${i % 3 === 2 && i === 19 ? 5 : i % 3}`,
          1826 + (19 - i) * 120
        ] as const
    )
  ),
  pypi_downloads: 100_000,
  pypi_classifiers: [
    "Development Status :: 5 - Production/Stable",
    "Framework :: Django",
    "Framework :: Django :: 2.2",
    "Framework :: Django :: 3.0",
    "Framework :: Django :: 3.1",
    "Framework :: Django :: 3.2",
    "License :: OSI Approved :: BSD License",
    "Programming Language :: Python :: 3.6",
    "Programming Language :: Python :: 3.7",
    "Programming Language :: Python :: 3.8",
    "Programming Language :: Python :: 3.9"
  ],
  pypi_license: "BSD",
  supports_python3: true,
  development_status: 5,
  documentation_url: "https://c.readthedocs.io/",
  usage_count: 30,
  vulnerabilities: [],
  last_fetched: ago(1)
})

/** D — new alpha with suspected star inflation: 4k stars, 12 forks, 1 contributor, 30 d old. Chosen: three alpha releases, 250 downloads, no docs URL. */
export const D: ScoringFacts = scoringFacts({
  repo_watchers: 4000,
  repo_forks: 12,
  contributors: 1,
  open_issues: 3,
  commits_over_52w: weeks([0, 1, 2, 4]),
  last_commit_date: ago(2),
  repo_description: "A brand new Django app",
  latest_version: "0.1.0a3",
  latest_release_date: ago(3),
  releases: releases([
    ["0.1.0a1", 30],
    ["0.1.0a2", 16],
    ["0.1.0a3", 3]
  ]),
  pypi_downloads: 250,
  pypi_classifiers: [
    "Development Status :: 3 - Alpha",
    "Framework :: Django",
    "Framework :: Django :: 6.0",
    MIT,
    "Programming Language :: Python :: 3.12",
    "Programming Language :: Python :: 3.13",
    "Programming Language :: Python :: 3.14"
  ],
  pypi_requires_python: ">=3.12",
  pypi_license: "MIT",
  supports_python3: true,
  development_status: 3,
  usage_count: 0,
  vulnerabilities: [],
  last_fetched: ago(1)
})
