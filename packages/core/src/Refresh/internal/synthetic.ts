/**
 * Synthetic upstream data for the simulator: `synthetic-N` repositories and PyPI projects generated
 * deterministically from N, the instants it was "touched" (to simulate changes) and an anchor instant, so that a
 * benchmark of thousands of packages sees the same data on every run and stable ETags between runs.
 */

const HOUR = 3_600_000
const DAY = 24 * HOUR

// mulberry32 over a string hash: small, fast and the same everywhere.
const seeded = (seed: string) => {
  let h = 1779033703 ^ seed.length
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353)
    h = (h << 13) | (h >>> 19)
  }
  let a = h >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface SyntheticCommit {
  readonly sha: string
  readonly dateMs: number
  readonly author: string
}

export interface SyntheticRepo {
  readonly n: number
  readonly name: string
  readonly owner: string
  readonly stars: number
  readonly watchers: number
  readonly forks: number
  readonly openIssues: number
  readonly archived: boolean
  readonly archivedAtMs: number | null
  readonly description: string
  readonly topics: ReadonlyArray<string>
  readonly createdMs: number
  /** Newest first. */
  readonly commits: ReadonlyArray<SyntheticCommit>
  /** Logins, most commits first. */
  readonly contributors: ReadonlyArray<{ readonly login: string; readonly commits: number }>
}

const hex = (rand: () => number, length: number) => {
  let s = ""
  while (s.length < length)
    s += Math.floor(rand() * 0x100000000)
      .toString(16)
      .padStart(8, "0")
  return s.slice(0, length)
}

/** The repository `synthetic/synthetic-N`; each touch (an instant, in ms) adds a star and a commit made then. */
export const syntheticRepo = (n: number, touches: ReadonlyArray<number>, anchorMs: number): SyntheticRepo => {
  const revision = touches.length
  const rand = seeded(`synthetic-${n}`)
  // One in ten is dormant (no commit for over a year), one in ten busy (hundreds of commits this year).
  const dormant = n % 10 === 9
  const busy = n % 10 === 3
  const lastCommitAgeMs = dormant ? (400 + Math.floor(rand() * 800)) * DAY : Math.floor(rand() * (busy ? 3 : 60) * DAY)
  const baseCommits = busy ? 250 + Math.floor(rand() * 250) : 5 + Math.floor(rand() * 200)
  const contributorCount = 1 + Math.floor(rand() * 12)
  const stars = Math.floor(rand() ** 3 * 8000) + revision
  const forks = Math.floor(stars / (4 + rand() * 10))
  const openIssues = Math.floor(rand() * 120)
  const logins = Array.from({ length: contributorCount }, (_, k) => `dev-${n}-${k}`)

  const commits: Array<SyntheticCommit> = []
  for (let r = revision; r >= 1; r--) {
    commits.push({ sha: hex(seeded(`synthetic-${n}-rev-${r}`), 40), dateMs: touches[r - 1]!, author: logins[0]! })
  }
  const commitRand = seeded(`synthetic-${n}-commits`)
  let at = anchorMs - lastCommitAgeMs
  for (let i = 0; i < baseCommits; i++) {
    // Skewed towards the first contributors, as real projects are.
    const author = logins[Math.floor(commitRand() ** 2 * contributorCount)]!
    commits.push({ sha: hex(commitRand, 40), dateMs: at, author })
    at -= HOUR * (busy ? 1 + Math.floor(commitRand() * 20) : 2 + Math.floor(commitRand() * 24 * 9))
  }
  const counts = new Map<string, number>()
  for (const c of commits) counts.set(c.author, (counts.get(c.author) ?? 0) + 1)
  const contributors = [...counts.entries()]
    .map(([login, count]) => ({ login, commits: count }))
    .sort((a, b) => b.commits - a.commits || a.login.localeCompare(b.login))

  const archived = n % 50 === 49
  return {
    n,
    name: `synthetic-${n}`,
    owner: "synthetic",
    stars,
    // Deliberately different from stars, so that a mix-up shows (Forgejo's watchers_count vs stars_count).
    watchers: Math.floor(stars / 7),
    forks,
    openIssues,
    archived,
    archivedAtMs: archived ? anchorMs - 30 * DAY : null,
    description: `Synthetic package ${n}, generated for offline refresh runs`,
    topics: n % 3 === 0 ? ["django", "synthetic"] : ["django"],
    createdMs: at,
    commits,
    contributors
  }
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z")

/** The PyPI JSON document of `synthetic-N`. */
export const syntheticPypi = (n: number, touches: ReadonlyArray<number>, anchorMs: number): unknown => {
  const revision = touches.length
  const rand = seeded(`synthetic-pypi-${n}`)
  const releaseCount = 1 + Math.floor(rand() * 6)
  const versions = Array.from({ length: releaseCount }, (_, i) => `${1 + Math.floor(n / 1000)}.${i}.0`)
  if (revision > 0) versions.push(`${1 + Math.floor(n / 1000)}.${releaseCount}.${revision}`)
  const releases: Record<string, Array<unknown>> = {}
  let at = anchorMs - (releaseCount + 1) * 45 * DAY
  for (const v of versions) {
    at += 45 * DAY
    releases[v] = [
      {
        filename: `synthetic_${n}-${v}-py3-none-any.whl`,
        packagetype: "bdist_wheel",
        upload_time: iso(at).slice(0, 19),
        upload_time_iso_8601: new Date(at).toISOString(),
        yanked: false,
        yanked_reason: null
      }
    ]
  }
  const latest = versions.at(-1)!
  return {
    info: {
      name: `synthetic-${n}`,
      version: latest,
      summary: `Synthetic package ${n}`,
      classifiers: [
        `Development Status :: ${n % 7 === 0 ? "4 - Beta" : "5 - Production/Stable"}`,
        "Framework :: Django",
        "License :: OSI Approved :: MIT License",
        ...(n % 5 === 4 ? [] : ["Programming Language :: Python :: 3"])
      ],
      license: "MIT",
      license_expression: null,
      requires_python: n % 5 === 4 ? null : ">=3.9",
      docs_url: null,
      project_urls: {
        Documentation: `https://synthetic-${n}.readthedocs.io/`,
        Source: `https://github.com/synthetic/synthetic-${n}`
      }
    },
    last_serial: 1_000_000 + n * 10 + revision,
    releases,
    urls: releases[latest],
    vulnerabilities: []
  }
}
