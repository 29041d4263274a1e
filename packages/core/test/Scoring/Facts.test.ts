import { describe, expect, it } from "vitest"
import { type CategoryId, type PackageId } from "../../src/Domain/Ids.ts"
import { Package } from "../../src/Domain/Package.ts"
import { Release } from "../../src/Domain/Release.ts"
import { type Slug } from "../../src/Domain/Slug.ts"
import { factsOf, legacyScore, packageScore, scoringFacts, searchWeight } from "../../src/Scoring.ts"
import { at } from "./at.ts"

const NOW = at("2026-09-01")

const pkg = (over: Partial<ConstructorParameters<typeof Package>[0]> = {}) =>
  Package.make({
    id: 1 as PackageId,
    slug: "django-widgets" as Slug,
    title: "Django Widgets",
    category: 1 as CategoryId,
    repo_url: "https://github.com/example/django-widgets",
    repo_host: "github",
    repo_description: "Widgets for Django",
    repo_watchers: 320,
    repo_forks: 40,
    pypi_url: "django-widgets",
    pypi_version: "2.1.0",
    pypi_downloads: 12_000,
    pypi_classifiers: ["Development Status :: 5 - Production/Stable", "Framework :: Django :: 5.2"],
    pypi_license: "MIT",
    pypi_licenses: ["MIT"],
    pypi_requires_python: ">=3.10",
    supports_python3: true,
    documentation_url: "https://django-widgets.readthedocs.io/",
    participants: ["alice", "bob"],
    commit_count: 410,
    commits_over_52w: Array.from({ length: 52 }, (_, i) => i % 3),
    last_commit_date: at("2026-08-20T10:00:00Z"),
    latest_release_date: at("2026-07-01T09:00:00Z"),
    open_issues: 12,
    contributors: 9,
    topics: [],
    usage_count: 7,
    favorite_count: 2,
    score: 0,
    date_deprecated: null,
    deprecated_by: null,
    deprecates_package: null,
    date_repo_archived: null,
    last_exception: null,
    last_exception_at: null,
    last_exception_count: 0,
    last_fetched: at("2026-08-31T00:00:00Z"),
    created_by: null,
    last_modified_by: null,
    created: at("2020-01-01"),
    modified: at("2026-08-31"),
    revision: 3,
    grids: [],
    ...over
  })

const release = (number: string, upload: string, over: Partial<ConstructorParameters<typeof Release>[0]> = {}) =>
  Release.make({
    package: 1 as PackageId,
    number,
    upload_time: at(upload),
    licenses: ["MIT"],
    development_status: 5,
    requires_python: ">=3.10",
    yanked: false,
    ...over
  })

describe("factsOf", () => {
  it("reads a catalogue package's facts under their catalogue names", () => {
    const f = factsOf(pkg())
    expect(f).toMatchObject({
      repo_watchers: 320,
      repo_forks: 40,
      contributors: 9,
      open_issues: 12,
      on_pypi: true,
      latest_version: "2.1.0",
      pypi_downloads: 12_000,
      development_status: 5,
      is_django_specific: true,
      supports_python3: true,
      last_fetched: at("2026-08-31T00:00:00Z")
    })
    expect(f.releases).toBeUndefined()
    expect(f.vulnerabilities).toBeUndefined()
  })

  it("takes the release history, and the latest release's development status, when given", () => {
    const f = factsOf(pkg(), [
      release("2.0.0", "2025-01-10"),
      release("2.1.0", "2026-07-01T09:00:00Z", { development_status: 6 }),
      release("2.0.1", "2025-05-01", { yanked: true })
    ])
    expect(f.releases).toEqual([
      { version: "2.0.0", upload_time: at("2025-01-10"), yanked: false, development_status: 5 },
      { version: "2.1.0", upload_time: at("2026-07-01T09:00:00Z"), yanked: false, development_status: 6 },
      { version: "2.0.1", upload_time: at("2025-05-01"), yanked: true, development_status: 5 }
    ])
    expect(f.development_status).toBe(6)
  })

  it("unknown stays unknown: an unsupported host or a never-refreshed package has null counts, no PyPI has no downloads", () => {
    expect(factsOf(pkg({ repo_host: "other", repo_watchers: 0, repo_forks: 0 })).repo_watchers).toBeNull()
    expect(factsOf(pkg({ last_fetched: null, repo_watchers: 0, repo_forks: 0 })).repo_forks).toBeNull()
    expect(factsOf(pkg({ pypi_url: "", pypi_downloads: 0 }))).toMatchObject({ on_pypi: false, pypi_downloads: null })
  })

  it("is_django_specific from a Django classifier, 'django' in the name, or no classifiers known; overrides win", () => {
    // Without classifiers a Django directory's package is presumed Django-specific: no head start for its name.
    expect(
      factsOf(pkg({ slug: "widgets" as Slug, pypi_url: "widgets", pypi_classifiers: [] })).is_django_specific
    ).toBe(true)
    expect(
      factsOf(
        pkg({ slug: "widgets" as Slug, pypi_url: "widgets", pypi_classifiers: ["Programming Language :: Python :: 3"] })
      ).is_django_specific
    ).toBe(false)
    expect(factsOf(pkg({ slug: "widgets" as Slug, pypi_url: "widgets" })).is_django_specific).toBe(true)
    expect(
      factsOf(pkg(), undefined, { is_django_specific: false, vulnerabilities: [{ id: "GHSA-1", fixed_in: [] }] })
    ).toMatchObject({ is_django_specific: false, vulnerabilities: [{ id: "GHSA-1", fixed_in: [] }] })
  })

  it("feeds all three scores", () => {
    const f = factsOf(pkg())
    expect(legacyScore(f, NOW)).toBe(320)
    expect(searchWeight(f, NOW).total_score).toBe(Math.trunc(((20 + 20 + 12 + 20 + 20 + 20 + 7 + 20) / 160) * 100))
    expect(packageScore(f, { asOf: NOW }).score_version).toBe("dps-1")
  })
})

describe("scoringFacts", () => {
  it("fills every field not given with 'unknown'", () => {
    expect(scoringFacts({ repo_watchers: 5 })).toMatchObject({
      repo_watchers: 5,
      repo_forks: null,
      last_commit_date: null,
      supports_python3: null,
      commits_over_52w: [],
      on_pypi: true
    })
  })
})
