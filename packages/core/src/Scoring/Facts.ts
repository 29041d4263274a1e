/**
 * The facts every score is computed from: a plain readonly record, built from a `Package` (and its
 * releases) with `factsOf`, or by hand with `scoringFacts` for embedders and tests. Field names are the
 * catalogue's (the reference's). `null` means "not known", never "zero".
 */
import { type Package } from "../Domain/Package.ts"
import { type Release } from "../Domain/Release.ts"
import { type Timestamp } from "../Domain/Timestamp.ts"

/** One PyPI release. */
export interface ReleaseFact {
  readonly version: string
  readonly upload_time: Timestamp | null
  readonly yanked: boolean
  /** The release's `Development Status :: N` (0 or absent when unknown). */
  readonly development_status?: number
}

/**
 * A known advisory affecting the latest non-yanked release (PyPI JSON `vulnerabilities`: OSV ids such as
 * `GHSA-…`/`PYSEC-…`).
 */
export interface Vulnerability {
  readonly id: string
  readonly aliases?: ReadonlyArray<string>
  readonly summary?: string
  /** Versions that fix it (may be empty). */
  readonly fixed_in: ReadonlyArray<string>
  /** When the advisory was withdrawn; a withdrawn advisory is ignored. */
  readonly withdrawn?: Timestamp | null
}

export interface ScoringFacts {
  // Repository host
  /** Stars (the reference's "watchers"). */
  readonly repo_watchers: number | null
  readonly repo_forks: number | null
  readonly contributors: number | null
  /** Open issues plus open pull requests, as GitHub counts them. */
  readonly open_issues: number | null
  /** 52 weekly commit counts, oldest first; empty when unknown. */
  readonly commits_over_52w: ReadonlyArray<number>
  readonly last_commit_date: Timestamp | null
  readonly date_repo_archived: Timestamp | null
  readonly repo_description: string
  // PyPI
  /** Whether the package has a PyPI project at all (a `pypi_url`). */
  readonly on_pypi: boolean
  /** The latest version's number (`info.version`). */
  readonly latest_version: string | null
  /** The latest version's upload time. */
  readonly latest_release_date: Timestamp | null
  /** Every release when known; absent when the release history was not collected. */
  readonly releases?: ReadonlyArray<ReleaseFact>
  /** Downloads in the last month. */
  readonly pypi_downloads: number | null
  readonly pypi_classifiers: ReadonlyArray<string>
  readonly pypi_requires_python: string | null
  readonly pypi_license: string | null
  readonly pypi_licenses: ReadonlyArray<string>
  /** The reference's tri-state: null is "not known". */
  readonly supports_python3: boolean | null
  /** Development status of the latest release, 1–7, or null when unknown. */
  readonly development_status: number | null
  /** Advisories affecting the latest release; absent when not checked. */
  readonly vulnerabilities?: ReadonlyArray<Vulnerability>
  // Directory
  readonly documentation_url: string | null
  readonly usage_count: number
  readonly favorite_count: number
  readonly date_deprecated: Timestamp | null
  /** A Django package (as opposed to a general Python tool listed in the directory). */
  readonly is_django_specific: boolean
  /** When the facts were last refreshed; absent when the caller does not track it. */
  readonly last_fetched?: Timestamp | null
}

const UNKNOWN: ScoringFacts = {
  repo_watchers: null,
  repo_forks: null,
  contributors: null,
  open_issues: null,
  commits_over_52w: [],
  last_commit_date: null,
  date_repo_archived: null,
  repo_description: "",
  on_pypi: true,
  latest_version: null,
  latest_release_date: null,
  pypi_downloads: null,
  pypi_classifiers: [],
  pypi_requires_python: null,
  pypi_license: null,
  pypi_licenses: [],
  supports_python3: null,
  development_status: null,
  documentation_url: null,
  usage_count: 0,
  favorite_count: 0,
  date_deprecated: null,
  is_django_specific: true
}

/** Facts built by hand: every field not given is unknown (or empty). */
export const scoringFacts = (facts: Partial<ScoringFacts> = {}): ScoringFacts => ({ ...UNKNOWN, ...facts })

const isDjangoClassifier = (c: string) => /^Framework :: (Django|Django CMS|Wagtail)( ::|$)/.test(c.trim())

/**
 * The facts of a catalogue package. `releases` (any order) gives the release history; `overrides` adds
 * what the Package row does not hold (advisories, a curated `is_django_specific`).
 *
 * Repository counts are unknown (null) when the host is one packgrid cannot read or the package was never
 * refreshed and they are still zero. `is_django_specific` defaults to: no classifiers known, a Django framework classifier, or
 * "django" in the slug, PyPI name or topics.
 */
export const factsOf = (
  pkg: Package,
  releases?: ReadonlyArray<Release>,
  overrides: Partial<ScoringFacts> = {}
): ScoringFacts => {
  const repoKnown =
    pkg.repo_host !== "other" && (pkg.last_fetched !== null || pkg.repo_watchers > 0 || pkg.repo_forks > 0)
  const onPypi = pkg.pypi_url.trim() !== ""
  const pypiFetched = pkg.pypi_version !== null || pkg.latest_release_date !== null || pkg.pypi_classifiers.length > 0
  const latest =
    releases === undefined || releases.length === 0
      ? undefined
      : (releases.find((r) => r.number === pkg.pypi_version) ??
        [...releases].sort((a, b) => (b.upload_time ?? -Infinity) - (a.upload_time ?? -Infinity))[0])
  const statusFromRelease = latest !== undefined && latest.development_status > 0 ? latest.development_status : null
  const statusMatch = pkg.pypi_classifiers
    .map((c) => /^Development Status :: ([1-7]) - /.exec(c.trim()))
    .find((m) => m !== null)
  const name = `${pkg.slug} ${pkg.pypi_name} ${pkg.topics.join(" ")}`.toLowerCase()
  const facts: ScoringFacts = {
    repo_watchers: repoKnown ? pkg.repo_watchers : null,
    repo_forks: repoKnown ? pkg.repo_forks : null,
    contributors: pkg.contributors,
    open_issues: pkg.open_issues,
    commits_over_52w: pkg.commits_over_52w,
    last_commit_date: pkg.last_commit_date,
    date_repo_archived: pkg.date_repo_archived,
    repo_description: pkg.repo_description,
    on_pypi: onPypi,
    latest_version: pkg.pypi_version,
    latest_release_date: pkg.latest_release_date ?? latest?.upload_time ?? null,
    ...(releases === undefined
      ? {}
      : {
          releases: releases.map((r) => ({
            version: r.number,
            upload_time: r.upload_time,
            yanked: r.yanked,
            development_status: r.development_status
          }))
        }),
    pypi_downloads: onPypi && (pypiFetched || pkg.pypi_downloads > 0) ? pkg.pypi_downloads : null,
    pypi_classifiers: pkg.pypi_classifiers,
    pypi_requires_python: pkg.pypi_requires_python,
    pypi_license: pkg.pypi_license,
    pypi_licenses: pkg.pypi_licenses,
    supports_python3: pkg.supports_python3,
    development_status: statusFromRelease ?? (statusMatch ? Number(statusMatch[1]) : null),
    documentation_url: pkg.documentation_url,
    usage_count: pkg.usage_count,
    favorite_count: pkg.favorite_count,
    date_deprecated: pkg.date_deprecated,
    // Every package of a Django directory is presumed Django-specific until its classifiers say otherwise:
    // without classifiers, a name lacking "django" must not earn a head start on Compatibility.
    is_django_specific:
      pkg.pypi_classifiers.length === 0 || pkg.pypi_classifiers.some(isDjangoClassifier) || name.includes("django"),
    last_fetched: pkg.last_fetched
  }
  return { ...facts, ...overrides }
}
