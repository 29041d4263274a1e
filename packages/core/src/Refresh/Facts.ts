/**
 * What an upstream tells us about a package, normalised: the same shape whichever repository host
 * answered (`RepoFacts`), and the PyPI project (`PypiFacts`). Adapters build them; the refresher copies
 * them onto the `Package` and its `Release`s. The small rules of the reference that turn PyPI metadata
 * into facts (licence list, Python 3 support, development status, documentation URL) live here.
 */
import { Either, Schema } from "effect"
import { contains, parseSpecifierSet } from "../Domain/Pep440.ts"
import { DevelopmentStatus, developmentStatusOf } from "../Domain/Release.ts"
import { RepoHost } from "../Domain/RepoUrl.ts"
import { Timestamp } from "../Domain/Timestamp.ts"
import { LICENSE_CLASSIFIERS } from "./LicenseClassifiers.ts"

const Count = Schema.Int.pipe(Schema.nonNegative())

/** Exactly 52 weekly commit counts, oldest first (index 51 is the current week). */
export const Weeks52 = Schema.Array(Count).pipe(Schema.itemsCount(52))

/** A repository as its host describes it. */
export class RepoFacts extends Schema.Class<RepoFacts>("RepoFacts")({
  host: RepoHost,
  /** The repository's web URL as the host names it now (after a rename, the new one). */
  repo_url: Schema.String,
  /** Stars (GitHub stargazers, GitLab star_count, Forgejo stars_count); Bitbucket has none, so its watchers. */
  stars: Count,
  forks: Count,
  description: Schema.String,
  archived: Schema.Boolean,
  /** When the host says when it was archived (Forgejo); otherwise null even if archived. */
  archived_at: Schema.NullOr(Timestamp),
  open_issues: Schema.NullOr(Count),
  /** Contributor logins, most active first where the host orders them (GitLab gives display names). */
  participants: Schema.Array(Schema.String),
  /** How many contributors the host counts, when it says. */
  contributors: Schema.NullOr(Count),
  /** Commits on the default branch. */
  commit_count: Count,
  last_commit_date: Schema.NullOr(Timestamp),
  /** 52 weekly counts, oldest first; null when the host had nothing new to say (GitHub's 202): keep the previous. */
  commits_over_52w: Schema.NullOr(Weeks52),
  default_branch: Schema.NullOr(Schema.String),
  topics: Schema.Array(Schema.String),
  /** Set when the repository answered at a new address: update the package's `repo_url` to it. */
  moved_to: Schema.NullOr(Schema.String)
}) {}

/** One advisory affecting the latest release (PyPI's `vulnerabilities`, from OSV). */
export class Vulnerability extends Schema.Class<Vulnerability>("Vulnerability")({
  id: Schema.String,
  aliases: Schema.Array(Schema.String),
  summary: Schema.NullOr(Schema.String),
  fixed_in: Schema.Array(Schema.String),
  link: Schema.NullOr(Schema.String),
  /** When the advisory was withdrawn; null while it stands. */
  withdrawn: Schema.NullOr(Timestamp)
}) {}

/** One version published on PyPI. */
export class ReleaseFacts extends Schema.Class<ReleaseFacts>("ReleaseFacts")({
  number: Schema.String,
  /** The earliest upload among the version's files; null for a version without files. */
  upload_time: Schema.NullOr(Timestamp),
  /** Every file of the version is yanked (PEP 592). */
  yanked: Schema.Boolean
}) {}

/** A PyPI project as `/pypi/<name>/json` describes it. */
export class PypiFacts extends Schema.Class<PypiFacts>("PypiFacts")({
  /** The canonical project name. */
  name: Schema.String,
  /** The latest version (`info.version`). */
  version: Schema.String,
  /** Upload time of the latest version's first file (the reference's `urls[0].upload_time`). */
  upload_time: Schema.NullOr(Timestamp),
  /** Every version, oldest upload first (versions without files first). */
  releases: Schema.Array(ReleaseFacts),
  classifiers: Schema.Array(Schema.String),
  /** The first of `licenses`, or null. */
  license: Schema.NullOr(Schema.String),
  licenses: Schema.Array(Schema.String),
  requires_python: Schema.NullOr(Schema.String),
  documentation_url: Schema.NullOr(Schema.String),
  /** True, false, or null for "cannot tell" (then keep what is stored: the reference's rule). */
  supports_python3: Schema.NullOr(Schema.Boolean),
  development_status: DevelopmentStatus,
  vulnerabilities: Schema.Array(Vulnerability),
  /** PyPI's change serial (`last_serial`): a cheap "did anything change" signal. */
  last_serial: Schema.NullOr(Schema.Int)
}) {}

const LICENSE_CLASSIFIER_SET: ReadonlySet<string> = new Set(LICENSE_CLASSIFIERS)

/**
 * The reference's `normalize_license`: missing → "UNKNOWN"; an official `License ::` trove classifier is
 * kept as written; anything longer than 20 characters (a pasted licence text) → "Custom"; else the trimmed value.
 */
export const normalizeLicense = (license: string | null | undefined): string => {
  if (license === null || license === undefined) return "UNKNOWN"
  const s = license.trim()
  if (s.startsWith("License") && LICENSE_CLASSIFIER_SET.has(s)) return s
  if (s.length > 20) return "Custom"
  return s
}

const present = (s: string | null | undefined): s is string => s !== null && s !== undefined && s !== ""

/**
 * The reference's `license_list`: the PEP 639 `license_expression`, else the legacy `license`, each
 * normalised; then the last part of every `License ::` classifier not already listed.
 */
export const licenseList = (info: {
  readonly license_expression?: string | null | undefined
  readonly license?: string | null | undefined
  readonly classifiers?: ReadonlyArray<string> | null | undefined
}): Array<string> => {
  const licenses: Array<string> = []
  if (present(info.license_expression)) licenses.push(normalizeLicense(info.license_expression))
  if (licenses.length === 0 && present(info.license)) licenses.push(normalizeLicense(info.license))
  for (const classifier of info.classifiers ?? []) {
    if (!classifier.startsWith("License")) continue
    const name = classifier.split("::").at(-1)!.trim()
    if (!licenses.includes(name)) licenses.push(name)
  }
  return licenses
}

/** The Python versions the reference tries against `Requires-Python`, newest first. */
export const PYTHON3_VERSIONS: ReadonlyArray<string> = Array.from({ length: 15 }, (_, i) => `3.${14 - i}`)

/**
 * The reference's `supports_python3` (§2.4), a tri-state. With a `Requires-Python`, whether it admits any
 * of 3.0…3.14 (pre-releases allowed) decides, even against the classifiers; an invalid one falls back to
 * the classifiers. Without one, a `Programming Language :: Python :: 3` classifier says yes, and its
 * absence says "don't know" (null), not no.
 */
export const supportsPython3 = (
  classifiers: ReadonlyArray<string>,
  requiresPython: string | null | undefined
): boolean | null => {
  const classifierSaysYes = classifiers.some((c) => c.startsWith("Programming Language :: Python :: 3"))
  if (present(requiresPython)) {
    const set = parseSpecifierSet(requiresPython)
    if (Either.isRight(set)) return PYTHON3_VERSIONS.some((v) => contains(set.right, v))
  }
  return classifierSaysYes ? true : null
}

/** The first "Development Status" classifier as 1–7; 0 when there is none or it is not an official label. */
export const developmentStatus = (classifiers: ReadonlyArray<string>): DevelopmentStatus => {
  const first = classifiers.find((c) => c.startsWith("Development Status"))
  return first === undefined ? 0 : (developmentStatusOf(first) ?? 0)
}

const DOCUMENTATION_KEYS = ["Documentation", "Docs", "docs", "documentation"]

/**
 * The documentation link: the project's own `project_urls` entry first, then the legacy `docs_url`
 * (pythonhosted.org pages, long frozen). The reference checks `docs_url` first; a project's own
 * "Documentation" link is the better answer when both exist.
 */
export const documentationUrl = (info: {
  readonly project_urls?: Readonly<Record<string, string | null>> | null | undefined
  readonly docs_url?: string | null | undefined
}): string | null => {
  for (const key of DOCUMENTATION_KEYS) {
    const url = info.project_urls?.[key]
    if (present(url)) return url
  }
  return present(info.docs_url) ? info.docs_url : null
}
