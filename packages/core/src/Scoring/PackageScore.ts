/**
 * packgrid's own package score, "Django Package Score" dps-1 (SCORING.md §8 and its security addendum):
 * five pillars of labelled components, flags that can only lower the total (the strongest multiplier
 * applies), unknown data scored with a stated prior and reported through a confidence level.
 *
 * A pure function of the facts and an explicit context: no clock, no I/O, no corpus statistics (§8.1,
 * §8.3). Points are integer tenths internally, so components sum exactly to their pillar, and pillars,
 * the flag and the final rounding sum exactly to the score (see `ScoreTotal`).
 */
import { Either } from "effect"
import {
  compareVersions,
  contains,
  isPrerelease,
  parseSpecifierSet,
  parseVersion,
  type SpecifierSet,
  type Version
} from "../Domain/Pep440.ts"
import { formatTimestamp, type Timestamp } from "../Domain/Timestamp.ts"
import { type ScoringFacts, type Vulnerability } from "./Facts.ts"
import { DAY, daysBetween, weekIndex } from "./internal/Calendar.ts"
import { type ClassifierFacts, readClassifiers } from "./internal/Classifiers.ts"
import { apportion, clamp01, divRound, fromTenths, lg, pl, quantize, tenthsOf } from "./internal/Fixed.ts"
import {
  compareFeature,
  RELEASE_TABLES,
  type ReleaseTables,
  resolve,
  type ResolvedRelease,
  supportedAt,
  targetAt
} from "./ReleaseTables.ts"

/** The version of the formula and of every constant in `DPS1`; stored with each score. */
export const SCORE_VERSION = "dps-1"

type Anchors = ReadonlyArray<readonly [number, number]>

/** Every constant of dps-1 (SCORING.md §8.4–§8.6, points in tenths). Change one, bump SCORE_VERSION. */
export const DPS1 = {
  maintenance: {
    max: 300,
    freshness: 120,
    commitActivity: 80,
    recency: 50,
    continuity: 50,
    activeWeeks: [
      [0, 0],
      [1, 0.25],
      [4, 0.5],
      [13, 0.8],
      [26, 1]
    ] as Anchors,
    recencyDays: [
      [90, 1],
      [730, 0]
    ] as Anchors,
    releaseWeeks: [
      [0, 0],
      [1, 0.4],
      [2, 0.6],
      [4, 0.85],
      [6, 1]
    ] as Anchors,
    continuityWindowDays: 730,
    decayDays: 730,
    gapWeeks: 10,
    defaultGapDays: 180,
    graceMinDays: 120,
    graceMaxDays: 730,
    floor: 225,
    backlogIssues: 25,
    backlogActiveWeeks: 2,
    backlogMultiplier: 0.8
  },
  compatibility: {
    max: 200,
    django: 140,
    python: 60,
    djangoGraceDays: 90,
    pythonGraceDays: 180,
    honestyDays: 60,
    recentlyEolDays: 365,
    djangoPrior: 0.3,
    pythonPrior: 0.5
  },
  adoption: {
    max: 250,
    stars: 90,
    forks: 40,
    downloads: 80,
    users: 40,
    starsThreshold: 5000,
    starsPerCorroboration: 25,
    forksThreshold: 1000,
    downloadsNoise: 300,
    downloadsThreshold: 1_000_000,
    usersThreshold: 100
  },
  hygiene: {
    max: 150,
    license: 30,
    developmentStatus: 30,
    stableRelease: 20,
    historyDepth: 20,
    requiresPython: 10,
    classifiers: 20,
    documentation: 10,
    description: 10,
    historyDays: [
      [0, 0],
      [365, 0.5],
      [730, 1]
    ] as Anchors,
    newDays: 180
  },
  community: {
    max: 100,
    contributors: 70,
    steadiness: 30,
    contributorAnchors: [
      [1, 0.1],
      [2, 0.35],
      [3, 0.5],
      [5, 0.65],
      [10, 0.8],
      [25, 0.9],
      [50, 1]
    ] as Anchors,
    steadiness4: [0, 0.4, 0.7, 0.9, 1]
  },
  /** Conservative values for components whose input is unknown for this package (§8.6). */
  priors: {
    freshness: 0.3,
    commitActivity: 0.3,
    recency: 0.3,
    continuity: 0.4,
    stars: 0.3,
    forks: 0.3,
    downloads: 0.3,
    license: 0.5,
    developmentStatus: 0.5,
    stableRelease: 0.5,
    historyDepth: 0.5,
    requiresPython: 0.5,
    classifiers: 0.5,
    contributors: 0.3,
    steadiness: 0.4
  },
  /** Flag multipliers in hundredths (§8.5 and the security addendum). */
  flags: {
    deprecated: 20,
    all_yanked: 30,
    archived: 30,
    python2_only: 30,
    inactive: 40,
    vulnerable: 50,
    likely_unmaintained: 60,
    not_on_pypi: 75
  },
  unmaintained: { releaseDays: 1095, commitDays: 730 },
  confidence: { high: 0.85, medium: 0.6, staleDays: 30 }
} as const

export type PillarKey = "maintenance" | "compatibility" | "adoption" | "hygiene" | "community"
export type FlagKey = keyof typeof DPS1.flags
export type ConfidenceLevel = "High" | "Medium" | "Low"

/** One labelled contribution to a pillar. */
export interface ScoreComponent {
  readonly key: string
  readonly label: string
  /** The raw input the component read (null when unknown). */
  readonly input: string | number | boolean | null
  /** The input on [0, 1] (four decimals), or the prior when unknown. */
  readonly normalized: number
  /** Points, one decimal: `tenths / 10`. */
  readonly points: number
  /** Points in integer tenths: these sum exactly. */
  readonly tenths: number
  readonly max: number
  readonly known: boolean
  readonly reason: string
  readonly hint?: string
  readonly doc_anchor: string
}

/** A pillar-level change after its components (the "Stable & current" floor, the backlog multiplier). */
export interface PillarAdjustment {
  readonly key: "backlog" | "stable_current_floor"
  readonly label: string
  readonly points: number
  readonly tenths: number
  readonly reason: string
}

export interface ScorePillar {
  readonly key: PillarKey
  readonly label: string
  /** Σ component tenths + Σ adjustment tenths, over 10. */
  readonly points: number
  readonly tenths: number
  readonly max: number
  readonly percent: number
  readonly components: ReadonlyArray<ScoreComponent>
  readonly adjustments: ReadonlyArray<PillarAdjustment>
}

export interface ScoreFlag {
  readonly key: FlagKey
  readonly label: string
  readonly multiplier: number
  /** Whether this flag's multiplier is the one applied (the strongest; the first listed on a tie). */
  readonly applied: boolean
  readonly reason: string
  readonly hint?: string
}

/** How the pillars become the score: `score * 10 = subtotal_tenths + flag_tenths + rounding_tenths`. */
export interface ScoreTotal {
  readonly subtotal: number
  readonly subtotal_tenths: number
  readonly multiplier: number
  readonly flag_adjustment: number
  readonly flag_tenths: number
  readonly rounding: number
  readonly rounding_tenths: number
}

export interface ScoreConfidence {
  /** Σ max of known components / Σ max of all components, two decimals. */
  readonly value: number
  readonly level: ConfidenceLevel
  readonly notes: ReadonlyArray<string>
}

export interface ScoreImprovement {
  /** `pillar.component` or `flag.key`. */
  readonly key: string
  readonly hint: string
  /** Points the score could gain at most (before flags). */
  readonly gain: number
}

/** The score of one package (SCORING.md §8.7). */
export interface ScoreReport {
  readonly score: number
  readonly score_version: typeof SCORE_VERSION
  readonly as_of: string
  readonly confidence: ScoreConfidence
  readonly labels: ReadonlyArray<string>
  readonly flags: ReadonlyArray<ScoreFlag>
  readonly pillars: ReadonlyArray<ScorePillar>
  readonly total: ScoreTotal
  readonly improvements: ReadonlyArray<ScoreImprovement>
}

/** What a score needs besides the package's facts. */
export interface ScoringContext {
  /** The instant the score is computed for; nothing reads a clock. */
  readonly asOf: Timestamp
  /** Django and Python release tables; `RELEASE_TABLES` unless given. */
  readonly releaseTables?: ReleaseTables
  /**
   * Sources the directory does not collect at all (§8.6): their components are dropped and the pillar
   * rescaled. Both are collected unless set to false.
   */
  readonly collected?: { readonly downloads?: boolean; readonly directoryUsers?: boolean }
}

// ---------------------------------------------------------------------------------------------------------

interface Draft {
  readonly key: string
  readonly label: string
  readonly max: number
  readonly input: string | number | boolean | null
  readonly normalized: number
  readonly known: boolean
  readonly reason: string
  readonly hint?: string | undefined
}

const PILLAR_LABELS: Record<PillarKey, string> = {
  maintenance: "Maintenance",
  compatibility: "Compatibility",
  adoption: "Adoption",
  hygiene: "Hygiene",
  community: "Community"
}

const kebab = (s: string) => s.replace(/_/g, "-")

const finish = (pillar: PillarKey, d: Draft): ScoreComponent => {
  const q = quantize(d.normalized)
  const tenths = tenthsOf(q, d.max)
  return {
    key: d.key,
    label: d.label,
    input: d.input,
    normalized: q / 10_000,
    points: fromTenths(tenths),
    tenths,
    max: fromTenths(d.max),
    known: d.known,
    reason: d.reason,
    ...(d.hint !== undefined && tenths < d.max ? { hint: d.hint } : {}),
    doc_anchor: `#${pillar}-${kebab(d.key)}`
  }
}

const days = (n: number) => Math.floor(n)
const two = (x: number) => clamp01(x).toFixed(2)
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

interface LiveRelease {
  readonly raw: string
  readonly version: Version | null
  readonly at: number | null
}

/** What the release history says, whether it is known in full or only through the latest release. */
interface ReleaseView {
  readonly historyKnown: boolean
  readonly live: ReadonlyArray<LiveRelease>
  readonly latestAt: number | null
  readonly firstAt: number | null
  readonly weeks: ReadonlyArray<number>
  readonly latestStable: Version | null
  readonly latestStableRaw: string | null
  readonly newestVersion: Version | null
  readonly allYanked: boolean
}

const releaseView = (f: ScoringFacts): ReleaseView => {
  const historyKnown = f.releases !== undefined && f.releases.length > 0
  const live: Array<LiveRelease> = historyKnown
    ? (f.releases ?? [])
        .filter((r) => !r.yanked)
        .map((r) => ({ raw: r.version, version: parseVersion(r.version), at: r.upload_time }))
    : f.latest_version !== null || f.latest_release_date !== null
      ? [
          {
            raw: f.latest_version ?? "",
            version: f.latest_version === null ? null : parseVersion(f.latest_version),
            at: f.latest_release_date
          }
        ]
      : []
  const dates = live.map((r) => r.at).filter((t): t is number => t !== null)
  const latestAt = dates.length > 0 ? Math.max(...dates) : historyKnown ? null : f.latest_release_date
  const firstAt = dates.length > 0 ? Math.min(...dates) : null
  const weeks = [...new Set(dates.map(weekIndex))].sort((a, b) => a - b)
  let latestStable: LiveRelease | undefined
  let newest: Version | null = null
  for (const r of live) {
    if (r.version === null) continue
    if (newest === null || compareVersions(r.version, newest) > 0) newest = r.version
    if (
      !isPrerelease(r.version) &&
      (latestStable?.version == null || compareVersions(r.version, latestStable.version) > 0)
    )
      latestStable = r
  }
  return {
    historyKnown,
    live,
    latestAt,
    firstAt,
    weeks,
    latestStable: latestStable?.version ?? null,
    latestStableRaw: latestStable?.raw ?? null,
    newestVersion: newest,
    allYanked: historyKnown && (f.releases ?? []).every((r) => r.yanked)
  }
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
}

const activeWeeksOf = (f: ScoringFacts): number | null =>
  f.commits_over_52w.length === 52 ? f.commits_over_52w.filter((c) => c > 0).length : null

// --- Compatibility ------------------------------------------------------------------------------------------

interface Currency {
  readonly draft: Draft
  readonly normalized: number
}

interface PythonFacts {
  /** The parsed `requires_python`; null when it is missing or invalid. */
  readonly spec: SpecifierSet | null
  readonly specGiven: boolean
  readonly python2Only: boolean
}

const pyVersion = (minor: number, major = 3): Version => ({
  epoch: 0,
  release: [major, minor],
  pre: null,
  post: null,
  dev: null,
  local: null
})

const pythonFacts = (f: ScoringFacts, cls: ClassifierFacts, python: ReadonlyArray<ResolvedRelease>): PythonFacts => {
  const given = f.pypi_requires_python !== null && f.pypi_requires_python.trim() !== ""
  const spec = given ? Either.getOrNull(parseSpecifierSet(f.pypi_requires_python ?? "")) : null
  const admitsAny3 = spec === null ? null : python.some((e) => e.major === 3 && contains(spec, pyVersion(e.minor)))
  const admits2 = spec === null ? null : contains(spec, pyVersion(7, 2))
  const python2Only =
    admitsAny3 === false
      ? admits2 === true || cls.python2
      : admitsAny3 === null && ((cls.python2 && !cls.python3) || f.supports_python3 === false)
  return { spec, specGiven: given, python2Only }
}

const djangoCurrency = (
  cls: ClassifierFacts,
  table: ReadonlyArray<ResolvedRelease>,
  asOf: number,
  latestUpload: number | null
): Currency => {
  const C = DPS1.compatibility
  const max = C.django
  const target = targetAt(table, asOf, C.djangoGraceDays * DAY)
  const supported = supportedAt(table, asOf)
  const hintTarget = target ? `declare \`Framework :: Django :: ${target.version}\` after testing with it` : undefined
  const declared = new Map<string, ResolvedRelease>()
  const dishonest: Array<string> = []
  for (const d of cls.djangoVersions) {
    if (d.minor === null) {
      // A major-only classifier covers that major's versions released before the latest upload.
      if (latestUpload === null) continue
      for (const e of table) if (e.major === d.major && e.released <= latestUpload) declared.set(e.version, e)
      continue
    }
    const e = table.find((x) => x.major === d.major && x.minor === d.minor)
    if (e === undefined) continue
    if (latestUpload !== null && latestUpload < e.released - C.honestyDays * DAY) dishonest.push(e.version)
    else declared.set(e.version, e)
  }
  const counted = [...declared.values()].sort(compareFeature)
  const newest = counted[counted.length - 1]
  if (newest === undefined) {
    const reason =
      dishonest.length > 0
        ? `declares Django ${dishonest.join(", ")} only in releases uploaded before those versions could be tested; not counted → unknown (prior ${C.djangoPrior})`
        : `no \`Framework :: Django :: X.Y\` classifiers → unknown (prior ${C.djangoPrior})`
    return {
      normalized: C.djangoPrior,
      draft: {
        key: "django",
        label: "Django currency",
        max,
        input: null,
        normalized: C.djangoPrior,
        known: false,
        reason,
        hint:
          dishonest.length > 0
            ? "publish a release after testing with the Django versions you declare"
            : `add \`Framework :: Django :: X.Y\` classifiers${target ? ` (${target.version} is current)` : ""}`
      }
    }
  }
  // The declared version whose support lapsed last (an LTS can outlive a newer feature release).
  const lastEnded = [...counted].sort((a, b) => a.endOfSupport - b.endOfSupport)[counted.length - 1]
  const ignored =
    dishonest.length > 0 ? ` (Django ${dishonest.join(", ")} declared before it could be tested: not counted)` : ""
  let n: number
  let reason: string
  if (target !== undefined && counted.some((e) => compareFeature(e, target) >= 0)) {
    n = 1
    reason = `declares Django ${newest.version}; current target is ${target.version}${ignored} → 1.00`
  } else if (counted.some((e) => supported.includes(e))) {
    n = 0.75
    reason = `declares supported Django ${newest.version} but not ${target?.version ?? "the newest"}${ignored} → 0.75`
  } else if (
    lastEnded !== undefined &&
    lastEnded.endOfSupport <= asOf &&
    asOf - lastEnded.endOfSupport < C.recentlyEolDays * DAY
  ) {
    n = 0.35
    reason = `declared Django ${lastEnded.version} reached end of support ${days(daysBetween(lastEnded.endOfSupport, asOf))} d ago${ignored} → 0.35`
  } else {
    n = 0
    reason = `newest declared Django ${newest.version} is long unsupported${ignored} → 0`
  }
  return {
    normalized: n,
    draft: {
      key: "django",
      label: "Django currency",
      max,
      input: newest.version,
      normalized: n,
      known: true,
      reason,
      hint: hintTarget
    }
  }
}

const pythonCurrency = (
  cls: ClassifierFacts,
  py: PythonFacts,
  requiresPython: string | null,
  table: ReadonlyArray<ResolvedRelease>,
  asOf: number,
  max: number
): Currency => {
  const C = DPS1.compatibility
  const py3 = table.filter((e) => e.major === 3)
  const target = targetAt(py3, asOf, C.pythonGraceDays * DAY)
  const supported = supportedAt(py3, asOf)
  const admits = (e: ResolvedRelease) => py.spec === null || contains(py.spec, pyVersion(e.minor))
  const excludesTarget = py.spec !== null && target !== undefined && !admits(target)
  const excludesAll = py.spec !== null && supported.length > 0 && supported.every((e) => !admits(e))
  const hint = target
    ? `declare \`Programming Language :: Python :: ${target.version}\` after testing with it`
    : undefined
  const draft = (n: number, known: boolean, input: string | null, reason: string, h = hint): Currency => {
    const capped = excludesTarget ? Math.min(n, 0.75) : n
    const note = capped < n ? `; capped at 0.75 because requires_python excludes ${target?.version ?? ""}` : ""
    return {
      normalized: capped,
      draft: {
        key: "python",
        label: "Python currency",
        max,
        input,
        normalized: capped,
        known,
        reason: `${reason}${note} → ${two(capped)}`,
        hint: h
      }
    }
  }
  if (py.python2Only) return draft(0, true, requiresPython, "Python 2 only", "support Python 3")
  if (excludesAll)
    return draft(0, true, requiresPython, `requires_python "${requiresPython}" excludes every supported Python`)
  const minors = [...new Set(cls.python3Minors)].sort((a, b) => a - b)
  const newestMinor = minors[minors.length - 1]
  if (newestMinor !== undefined) {
    const input = `3.${newestMinor}`
    if (target !== undefined && newestMinor >= target.minor)
      return draft(1, true, input, `declares Python ${input}; current target is ${target.version}`)
    const entry = py3.find((e) => e.minor === newestMinor)
    if (entry !== undefined && supported.includes(entry))
      return draft(
        0.7,
        true,
        input,
        `newest declared Python ${input} is supported but older than ${target?.version ?? "the newest"}`
      )
    return draft(0.2, true, input, `every declared Python (newest ${input}) has reached end of life`)
  }
  if (py.spec !== null && target !== undefined && admits(target))
    return draft(0.7, true, requiresPython, `no Python 3.N classifiers; requires_python admits ${target.version}`)
  return draft(
    C.pythonPrior,
    false,
    requiresPython,
    `no Python 3.N classifiers${py.specGiven && py.spec === null ? " and an invalid requires_python" : ""} → unknown (prior ${C.pythonPrior})`,
    "add `Programming Language :: Python :: 3.N` classifiers"
  )
}

// --- Hygiene helpers ------------------------------------------------------------------------------------------

// Common SPDX identifiers (case-insensitive, as SPDX matching is); LicenseRef-/DocumentRef- are SPDX too.
const SPDX_IDS = new Set(
  [
    "0BSD",
    "AFL-3.0",
    "AGPL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSD-3-Clause-Clear",
    "BSD-4-Clause",
    "BSL-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.1",
    "EUPL-1.2",
    "GPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "HPND",
    "ISC",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "MIT",
    "MIT-0",
    "MPL-1.1",
    "MPL-2.0",
    "MS-PL",
    "NCSA",
    "OFL-1.1",
    "OSL-3.0",
    "PSF-2.0",
    "Python-2.0",
    "Unlicense",
    "UPL-1.0",
    "W3C",
    "WTFPL",
    "X11",
    "Zlib",
    "ZPL-2.1"
  ].map((s) => s.toLowerCase())
)

const isSpdxExpression = (s: string): boolean => {
  const tokens = s.replace(/[()]/g, " ").trim().split(/\s+/)
  if (tokens.length === 0 || tokens[0] === "") return false
  let expectId = true
  for (const t of tokens) {
    if (expectId) {
      const id = t.replace(/\+$/, "").toLowerCase()
      if (!SPDX_IDS.has(id) && !/^(licenseref|documentref)-[a-z0-9.-]+/.test(id)) return false
      expectId = false
    } else {
      if (!/^(AND|OR|WITH)$/i.test(t)) return false
      expectId = true
    }
  }
  return !expectId
}

const STATUS_VALUE: Record<number, number> = { 1: 0.2, 2: 0.2, 3: 0.4, 4: 0.7, 5: 1, 6: 1, 7: 0 }
const STATUS_NAME: Record<number, string> = {
  1: "Planning",
  2: "Pre-Alpha",
  3: "Alpha",
  4: "Beta",
  5: "Production/Stable",
  6: "Mature",
  7: "Inactive"
}

const isBlank = (s: string | null) => s === null || s.trim() === ""

// --- The score --------------------------------------------------------------------------------------------------

/** The package score of `facts` in `context` (SCORING.md §8). Same inputs, same report, byte for byte. */
export const packageScore = (facts: ScoringFacts, context: ScoringContext): ScoreReport => {
  const f = facts
  const asOf: number = context.asOf
  const tables = context.releaseTables ?? RELEASE_TABLES
  const djangoTable = resolve(tables.django)
  const pythonTable = resolve(tables.python)
  const cls = readClassifiers(f.pypi_classifiers)
  const rv = releaseView(f)
  const pypiKnown =
    f.on_pypi &&
    (f.latest_version !== null ||
      f.latest_release_date !== null ||
      (f.releases?.length ?? 0) > 0 ||
      f.pypi_classifiers.length > 0)
  const status =
    f.development_status !== null && f.development_status > 0 ? f.development_status : cls.developmentStatus
  const latestUpload = f.latest_release_date ?? rv.latestAt
  const py = pythonFacts(f, cls, pythonTable)
  const stars = f.repo_watchers
  const aw = activeWeeksOf(f)
  const age = rv.latestAt === null ? null : Math.max(0, daysBetween(rv.latestAt, asOf))
  const M = DPS1.maintenance

  // Expected release interval (§8.4 A, adapted from lib.rs).
  const stable = rv.latestStable
  const basis = stable ?? rv.newestVersion
  const major = basis?.release[0] ?? null
  const [maturity, maturityKind] =
    status === 6
      ? [540, "a mature package"]
      : stable !== null && (stable.release[0] ?? 0) >= 1 && (stable.release[2] ?? 0) >= 3
        ? [540, "a mature 1.x+ package"]
        : stable !== null && (stable.release[0] ?? 0) >= 1
          ? [365, "a 1.x+ package"]
          : major === 0 && rv.live.length >= 10
            ? [270, "a 0.x package with 10+ releases"]
            : [180, "a young package"]
  const lastWeeks = rv.weeks.slice(-M.gapWeeks)
  const gapMed =
    lastWeeks.length < 3 ? M.defaultGapDays : median(lastWeeks.slice(1).map((w, i) => (w - (lastWeeks[i] ?? w)) * 7))
  const expected = Math.min(M.graceMaxDays, Math.max(M.graceMinDays, Math.max(maturity, 1.5 * gapMed)))

  // --- A. Maintenance
  const freshness: Draft = (() => {
    const base = { key: "release_freshness", label: "Release freshness", max: M.freshness }
    if (age === null)
      return {
        ...base,
        input: null,
        normalized: DPS1.priors.freshness,
        known: false,
        reason: `${f.on_pypi ? "no release date known" : "not on PyPI"} → unknown (prior ${DPS1.priors.freshness})`,
        hint: "publish releases on PyPI"
      }
    const n = age <= expected ? 1 : Math.max(0, 1 - (age - expected) / M.decayDays)
    return {
      ...base,
      input: days(age),
      normalized: n,
      known: true,
      reason: `last release ${days(age)} d ago; expected within ${days(expected)} d for ${maturityKind} → ${two(n)}`,
      hint: "publish a release (a maintenance release declaring current Django and Python support counts)"
    }
  })()
  const commitActivity: Draft =
    aw === null
      ? {
          key: "commit_activity",
          label: "Commit activity",
          max: M.commitActivity,
          input: null,
          normalized: DPS1.priors.commitActivity,
          known: false,
          reason: `weekly commit counts not known → unknown (prior ${DPS1.priors.commitActivity})`
        }
      : {
          key: "commit_activity",
          label: "Commit activity",
          max: M.commitActivity,
          input: aw,
          normalized: pl(aw, M.activeWeeks),
          known: true,
          reason: `${plural(aw, "week")} with commits in the last 52 → ${two(pl(aw, M.activeWeeks))}`
        }
  const commitDays = f.last_commit_date === null ? null : daysBetween(f.last_commit_date, asOf)
  const recency: Draft =
    commitDays === null
      ? {
          key: "last_commit",
          label: "Last-commit recency",
          max: M.recency,
          input: null,
          normalized: DPS1.priors.recency,
          known: false,
          reason: `last commit date not known → unknown (prior ${DPS1.priors.recency})`
        }
      : {
          key: "last_commit",
          label: "Last-commit recency",
          max: M.recency,
          input: days(Math.max(0, commitDays)),
          normalized: pl(commitDays, M.recencyDays),
          known: true,
          reason: `last commit ${days(Math.max(0, commitDays))} d ago → ${two(pl(commitDays, M.recencyDays))}`
        }
  const windowStart = asOf - M.continuityWindowDays * DAY
  const recentWeeks = rv.historyKnown
    ? new Set(
        rv.live
          .map((r) => r.at)
          .filter((t): t is number => t !== null && t >= windowStart)
          .map(weekIndex)
      ).size
    : null
  const continuity: Draft =
    recentWeeks === null
      ? {
          key: "release_continuity",
          label: "Release continuity",
          max: M.continuity,
          input: null,
          normalized: DPS1.priors.continuity,
          known: false,
          reason: `release history not known → unknown (prior ${DPS1.priors.continuity})`
        }
      : {
          key: "release_continuity",
          label: "Release continuity",
          max: M.continuity,
          input: recentWeeks,
          normalized: pl(recentWeeks, M.releaseWeeks),
          known: true,
          reason: `releases in ${plural(recentWeeks, "distinct week")} of the last 730 days → ${two(pl(recentWeeks, M.releaseWeeks))}`,
          hint: "release fixes as they land rather than in rare large batches"
        }

  // --- B. Compatibility
  const C = DPS1.compatibility
  const django = f.is_django_specific ? djangoCurrency(cls, djangoTable, asOf, latestUpload) : null
  const python = pythonCurrency(
    cls,
    py,
    f.pypi_requires_python,
    pythonTable,
    asOf,
    f.is_django_specific ? C.python : C.max
  )
  const compatDrafts = pypiKnown
    ? [...(django ? [django.draft] : []), python.draft]
    : [
        ...(django
          ? [
              {
                ...django.draft,
                input: null,
                normalized: C.djangoPrior,
                known: false,
                reason: `no PyPI metadata → unknown (prior ${C.djangoPrior})`
              }
            ]
          : []),
        {
          ...python.draft,
          input: null,
          normalized: C.pythonPrior,
          known: false,
          reason: `no PyPI metadata → unknown (prior ${C.pythonPrior})`
        }
      ]
  const djangoN = pypiKnown ? (django?.normalized ?? null) : null
  const pythonN = pypiKnown ? python.normalized : null

  // --- C. Adoption
  const A = DPS1.adoption
  const forks = f.repo_forks
  const corroboration = A.starsPerCorroboration * ((forks ?? 0) + (f.contributors ?? 0) + 1)
  const sEff = stars === null ? null : Math.min(stars, corroboration)
  const collectDownloads = context.collected?.downloads !== false
  const collectUsers = context.collected?.directoryUsers !== false
  const users = f.usage_count + f.favorite_count
  const adoptionDrafts: Array<Draft> = [
    stars === null || sEff === null
      ? {
          key: "stars",
          label: "Stars (corroborated)",
          max: A.stars,
          input: null,
          normalized: DPS1.priors.stars,
          known: false,
          reason: `star count not known → unknown (prior ${DPS1.priors.stars})`
        }
      : {
          key: "stars",
          label: "Stars (corroborated)",
          max: A.stars,
          input: stars,
          normalized: lg(sEff, A.starsThreshold),
          known: true,
          reason:
            sEff < stars
              ? `${stars} stars count as ${sEff}: at most ${A.starsPerCorroboration} per fork, contributor and owner → ${two(lg(sEff, A.starsThreshold))}`
              : `${stars} stars on a log scale (${A.starsThreshold} = full) → ${two(lg(sEff, A.starsThreshold))}`
        },
    forks === null
      ? {
          key: "forks",
          label: "Forks",
          max: A.forks,
          input: null,
          normalized: DPS1.priors.forks,
          known: false,
          reason: `fork count not known → unknown (prior ${DPS1.priors.forks})`
        }
      : {
          key: "forks",
          label: "Forks",
          max: A.forks,
          input: forks,
          normalized: lg(forks, A.forksThreshold),
          known: true,
          reason: `${plural(forks, "fork")} on a log scale (${A.forksThreshold} = full) → ${two(lg(forks, A.forksThreshold))}`
        },
    ...(collectDownloads
      ? [
          f.pypi_downloads === null || !f.on_pypi
            ? {
                key: "downloads",
                label: "PyPI downloads / month",
                max: A.downloads,
                input: null,
                normalized: DPS1.priors.downloads,
                known: false,
                reason: `${f.on_pypi ? "downloads not known" : "not on PyPI"} → unknown (prior ${DPS1.priors.downloads})`
              }
            : {
                key: "downloads",
                label: "PyPI downloads / month",
                max: A.downloads,
                input: f.pypi_downloads,
                normalized: lg(f.pypi_downloads - A.downloadsNoise, A.downloadsThreshold),
                known: true,
                reason: `${f.pypi_downloads} downloads last month, less a ${A.downloadsNoise} noise floor, on a log scale → ${two(lg(f.pypi_downloads - A.downloadsNoise, A.downloadsThreshold))}`
              }
        ]
      : []),
    ...(collectUsers
      ? [
          {
            key: "directory_users",
            label: "Directory users and favorites",
            max: A.users,
            input: users,
            normalized: lg(users, A.usersThreshold),
            known: true,
            reason: `${plural(users, "person", "people")} use or favorited it here → ${two(lg(users, A.usersThreshold))}`
          }
        ]
      : [])
  ]
  const adoptionMaxes = apportion(
    adoptionDrafts.map((d) => d.max),
    A.max
  )
  const adoption = adoptionDrafts.map((d, i) => ({ ...d, max: adoptionMaxes[i] ?? d.max }))

  // --- D. Hygiene
  const H = DPS1.hygiene
  const unknownPypi = (key: string, label: string, max: number, prior: number, hint?: string): Draft => ({
    key,
    label,
    max,
    input: null,
    normalized: prior,
    known: false,
    reason: `${f.on_pypi ? "no PyPI metadata" : "not on PyPI"} → unknown (prior ${prior})`,
    ...(hint !== undefined ? { hint } : {})
  })
  const licenseText = f.pypi_license?.trim() ?? ""
  const licenses = [licenseText, ...f.pypi_licenses.map((l) => l.trim())].filter((l) => l !== "" && l !== "UNKNOWN")
  const licenseDraft: Draft = !pypiKnown
    ? unknownPypi("license", "License", H.license, DPS1.priors.license)
    : cls.osiLicense || licenses.some(isSpdxExpression)
      ? {
          key: "license",
          label: "License",
          max: H.license,
          input: licenses[0] ?? "OSI classifier",
          normalized: 1,
          known: true,
          reason: "an SPDX license expression or an OSI-approved classifier → 1.00"
        }
      : licenses.length > 0
        ? {
            key: "license",
            label: "License",
            max: H.license,
            input: licenses[0] ?? null,
            normalized: 0.5,
            known: true,
            reason: "a free-text license → 0.50",
            hint: "declare the license as an SPDX expression (`License-Expression`)"
          }
        : {
            key: "license",
            label: "License",
            max: H.license,
            input: null,
            normalized: 0,
            known: true,
            reason: "no license declared → 0",
            hint: "declare the license as an SPDX expression (`License-Expression`)"
          }
  const statusDraft: Draft =
    status === null || !pypiKnown
      ? {
          key: "development_status",
          label: "Development Status",
          max: H.developmentStatus,
          input: null,
          normalized: DPS1.priors.developmentStatus,
          known: false,
          reason: `no Development Status classifier → unknown (prior ${DPS1.priors.developmentStatus})`,
          hint: "add a `Development Status` classifier"
        }
      : {
          key: "development_status",
          label: "Development Status",
          max: H.developmentStatus,
          input: status,
          normalized: STATUS_VALUE[status] ?? 0,
          known: true,
          reason: `Development Status :: ${status} - ${STATUS_NAME[status] ?? "?"} → ${two(STATUS_VALUE[status] ?? 0)}`
        }
  const hasStable = (stable !== null && (stable.release[0] ?? 0) >= 1) || status === 5 || status === 6
  const stableDraft: Draft = !pypiKnown
    ? unknownPypi("stable_release", "Stable release", H.stableRelease, DPS1.priors.stableRelease)
    : {
        key: "stable_release",
        label: "Stable release",
        max: H.stableRelease,
        input: rv.latestStableRaw,
        normalized: hasStable ? 1 : 0,
        known: true,
        reason: hasStable
          ? `a stable release (${rv.latestStableRaw ?? `Development Status ${status}`}) → 1.00`
          : "no non-pre-release version ≥ 1.0 and no stable Development Status → 0",
        hint: "publish a 1.0 release once the API is stable"
      }
  const isNew = rv.historyKnown && rv.firstAt !== null && rv.firstAt > asOf - H.newDays * DAY
  const spanDays =
    rv.historyKnown && rv.firstAt !== null && rv.latestAt !== null ? daysBetween(rv.firstAt, rv.latestAt) : null
  const historyDraft: Draft =
    spanDays === null || isNew
      ? {
          key: "release_history",
          label: "Release history depth",
          max: H.historyDepth,
          input: spanDays === null ? null : days(spanDays),
          normalized: DPS1.priors.historyDepth,
          known: false,
          reason: isNew
            ? `first release under ${H.newDays} days ago: new (prior ${DPS1.priors.historyDepth})`
            : `release history not known → unknown (prior ${DPS1.priors.historyDepth})`
        }
      : {
          key: "release_history",
          label: "Release history depth",
          max: H.historyDepth,
          input: days(spanDays),
          normalized: pl(spanDays, H.historyDays),
          known: true,
          reason: `${days(spanDays)} d between the first and the latest release → ${two(pl(spanDays, H.historyDays))}`
        }
  const requiresDraft: Draft = !pypiKnown
    ? unknownPypi("requires_python", "requires_python declared", H.requiresPython, DPS1.priors.requiresPython)
    : {
        key: "requires_python",
        label: "requires_python declared",
        max: H.requiresPython,
        input: f.pypi_requires_python,
        normalized: py.spec !== null ? 1 : 0,
        known: true,
        reason:
          py.spec !== null
            ? `requires_python "${f.pypi_requires_python}" → 1.00`
            : py.specGiven
              ? `requires_python "${f.pypi_requires_python}" is not a valid specifier → 0`
              : "no requires_python → 0",
        hint: py.specGiven ? "fix `requires_python` (PEP 440 specifiers)" : "add `requires_python`"
      }
  const declaresDjango = cls.djangoVersions.length > 0
  const declaresPython = cls.python3Minors.length > 0
  const classifierN = f.is_django_specific
    ? (declaresDjango ? 0.5 : 0) + (declaresPython ? 0.5 : 0)
    : declaresPython
      ? 1
      : 0
  const classifiersDraft: Draft = !pypiKnown
    ? unknownPypi("version_classifiers", "Version classifiers", H.classifiers, DPS1.priors.classifiers)
    : {
        key: "version_classifiers",
        label: "Version classifiers",
        max: H.classifiers,
        input: [declaresDjango ? "Django X.Y" : null, declaresPython ? "Python 3.N" : null]
          .filter((s) => s !== null)
          .join(", "),
        normalized: classifierN,
        known: true,
        reason: `${f.is_django_specific ? `Django versions ${declaresDjango ? "declared" : "not declared"}, ` : ""}Python 3.N versions ${declaresPython ? "declared" : "not declared"} → ${two(classifierN)}`,
        hint: f.is_django_specific
          ? "add `Framework :: Django :: X.Y` and `Programming Language :: Python :: 3.N` classifiers"
          : "add `Programming Language :: Python :: 3.N` classifiers"
      }
  const hasDocs = !isBlank(f.documentation_url)
  const hasDescription = !isBlank(f.repo_description)
  const hygiene: Array<Draft> = [
    licenseDraft,
    statusDraft,
    stableDraft,
    historyDraft,
    requiresDraft,
    classifiersDraft,
    {
      key: "documentation",
      label: "Documentation URL",
      max: H.documentation,
      input: f.documentation_url,
      normalized: hasDocs ? 1 : 0,
      known: true,
      reason: hasDocs ? "a documentation URL → 1.00" : "no documentation URL → 0",
      hint: "add a `Documentation` project URL"
    },
    {
      key: "description",
      label: "Description",
      max: H.description,
      input: hasDescription,
      normalized: hasDescription ? 1 : 0,
      known: true,
      reason: hasDescription ? "a repository description → 1.00" : "no repository description → 0",
      hint: "add a repository description"
    }
  ]

  // --- E. Community
  const K = DPS1.community
  const quarters =
    f.commits_over_52w.length === 52
      ? [0, 13, 26, 39].filter((s) => f.commits_over_52w.slice(s, s + 13).some((c) => c > 0)).length
      : null
  const community: Array<Draft> = [
    f.contributors === null
      ? {
          key: "contributors",
          label: "Contributors",
          max: K.contributors,
          input: null,
          normalized: DPS1.priors.contributors,
          known: false,
          reason: `contributor count not known → unknown (prior ${DPS1.priors.contributors})`
        }
      : {
          key: "contributors",
          label: "Contributors",
          max: K.contributors,
          input: f.contributors,
          normalized: pl(f.contributors, K.contributorAnchors),
          known: true,
          reason: `${plural(f.contributors, "contributor")} → ${two(pl(f.contributors, K.contributorAnchors))}`,
          hint: "bring in co-maintainers"
        },
    quarters === null
      ? {
          key: "steadiness",
          label: "Steadiness",
          max: K.steadiness,
          input: null,
          normalized: DPS1.priors.steadiness,
          known: false,
          reason: `weekly commit counts not known → unknown (prior ${DPS1.priors.steadiness})`
        }
      : {
          key: "steadiness",
          label: "Steadiness",
          max: K.steadiness,
          input: quarters,
          normalized: K.steadiness4[quarters] ?? 0,
          known: true,
          reason: `commits in ${quarters} of the last 4 quarters → ${two(K.steadiness4[quarters] ?? 0)}`
        }
  ]

  // --- Pillars
  const maintenanceComponents = [freshness, commitActivity, recency, continuity].map((d) => finish("maintenance", d))
  const maintenanceSum = maintenanceComponents.reduce((s, c) => s + c.tenths, 0)
  const maintenanceAdjustments: Array<PillarAdjustment> = []
  const openIssues = f.open_issues
  const archived = f.date_repo_archived !== null
  const deprecated = f.date_deprecated !== null
  let maintenanceTenths = maintenanceSum
  if (
    openIssues !== null &&
    openIssues >= M.backlogIssues &&
    aw !== null &&
    aw <= M.backlogActiveWeeks &&
    age !== null &&
    age > expected
  ) {
    const after = divRound(maintenanceTenths * 8, 10)
    maintenanceAdjustments.push({
      key: "backlog",
      label: "Backlog without activity ×0.8",
      points: fromTenths(after - maintenanceTenths),
      tenths: after - maintenanceTenths,
      reason: `${openIssues} open issues and pull requests, ${plural(aw, "active week")} in 52 and no release within ${days(expected)} d`
    })
    maintenanceTenths = after
  }
  const compatibilityOk = f.is_django_specific ? (djangoN ?? 0) >= 0.75 : (pythonN ?? 0) >= 0.7
  const stableCurrent =
    compatibilityOk &&
    hasStable &&
    stableDraft.known &&
    !(status !== null && [1, 2, 3, 7].includes(status)) &&
    rv.historyKnown &&
    rv.weeks.length >= 5 &&
    spanDays !== null &&
    spanDays >= 730 &&
    !archived &&
    !deprecated &&
    (openIssues === null || openIssues <= Math.max(15, (stars ?? 0) / 50))
  if (stableCurrent && maintenanceTenths < M.floor) {
    maintenanceAdjustments.push({
      key: "stable_current_floor",
      label: "Stable & current floor",
      points: fromTenths(M.floor - maintenanceTenths),
      tenths: M.floor - maintenanceTenths,
      reason: `stable, long-released and declaring current ${f.is_django_specific ? "Django" : "Python"}: maintenance is at least ${fromTenths(M.floor)}`
    })
    maintenanceTenths = M.floor
  }

  const pillar = (
    key: PillarKey,
    max: number,
    components: ReadonlyArray<ScoreComponent>,
    adjustments: ReadonlyArray<PillarAdjustment> = []
  ): ScorePillar => {
    const tenths = components.reduce((s, c) => s + c.tenths, 0) + adjustments.reduce((s, a) => s + a.tenths, 0)
    return {
      key,
      label: PILLAR_LABELS[key],
      points: fromTenths(tenths),
      tenths,
      max: fromTenths(max),
      percent: divRound(tenths * 100, max),
      components,
      adjustments
    }
  }
  const pillars: ReadonlyArray<ScorePillar> = [
    pillar("maintenance", M.max, maintenanceComponents, maintenanceAdjustments),
    pillar(
      "compatibility",
      C.max,
      compatDrafts.map((d) => finish("compatibility", d))
    ),
    pillar(
      "adoption",
      A.max,
      adoption.map((d) => finish("adoption", d))
    ),
    pillar(
      "hygiene",
      H.max,
      hygiene.map((d) => finish("hygiene", d))
    ),
    pillar(
      "community",
      K.max,
      community.map((d) => finish("community", d))
    )
  ]

  // --- Flags (§8.5 and the security addendum): every one listed, the strongest applied.
  const flags: Array<Omit<ScoreFlag, "applied">> = []
  const flag = (key: FlagKey, label: string, reason: string, hint?: string) =>
    flags.push({ key, label, multiplier: DPS1.flags[key] / 100, reason, ...(hint !== undefined ? { hint } : {}) })
  if (deprecated) flag("deprecated", "Deprecated", "the directory marks this package as deprecated")
  if (rv.allYanked) flag("all_yanked", "All releases yanked", "every release on PyPI is yanked", "publish a release")
  if (archived) flag("archived", "Archived repository", "the repository is archived (read-only)")
  if (py.python2Only) flag("python2_only", "Python 2 only", "it supports only Python 2", "support Python 3")
  if (status === 7) flag("inactive", "Inactive", "its Development Status is 7 - Inactive")
  const advisories = (f.vulnerabilities ?? []).filter((v) => v.withdrawn == null)
  if (advisories.length > 0) {
    const version = f.latest_version ?? "the latest release"
    const describe = (v: Vulnerability) =>
      `${v.id} affects ${version}${v.fixed_in.length > 0 ? `, fixed in ${v.fixed_in.join(", ")}` : ", no fixed version yet"}`
    flag(
      "vulnerable",
      "Known vulnerability in the latest release",
      advisories.map(describe).join("; "),
      advisories.map((v) => `${describe(v)}: ${v.fixed_in.length > 0 ? "release it" : "fix it and release"}`).join("; ")
    )
  }
  const noRelease = age !== null && age > DPS1.unmaintained.releaseDays
  const noCommit = commitDays !== null && commitDays > DPS1.unmaintained.commitDays
  const compatDead = f.is_django_specific ? djangoN === 0 : pythonN !== null && pythonN <= 0.2
  if (noRelease && noCommit && compatDead)
    flag(
      "likely_unmaintained",
      "Likely unmaintained",
      `no release in ${days(age ?? 0)} d, no commit in ${days(commitDays ?? 0)} d, and no currently supported ${f.is_django_specific ? "Django" : "Python"} declared`,
      "publish a release declaring a supported Django and Python"
    )
  if (!f.on_pypi)
    flag("not_on_pypi", "Not on PyPI", "it is not published on PyPI, so installing it is harder", "publish it on PyPI")
  const strongest = flags.reduce<number>((best, fl, i) => {
    const b = flags[best]
    return b === undefined || fl.multiplier < b.multiplier ? i : best
  }, -1)
  const scoreFlags: ReadonlyArray<ScoreFlag> = flags.map((fl, i) => ({ ...fl, applied: i === strongest }))

  // --- Total
  const subtotal = pillars.reduce((s, p) => s + p.tenths, 0)
  const appliedFlag = flags[strongest]
  const multiplier100 = appliedFlag !== undefined ? DPS1.flags[appliedFlag.key] : 100
  const flagged = divRound(subtotal * multiplier100, 100)
  const score = divRound(flagged, 10)
  const total: ScoreTotal = {
    subtotal: fromTenths(subtotal),
    subtotal_tenths: subtotal,
    multiplier: multiplier100 / 100,
    flag_adjustment: fromTenths(flagged - subtotal),
    flag_tenths: flagged - subtotal,
    rounding: fromTenths(score * 10 - flagged),
    rounding_tenths: score * 10 - flagged
  }

  // --- Confidence (§8.6)
  const all = pillars.flatMap((p) => p.components)
  const applicable = all.reduce((s, c) => s + Math.round(c.max * 10), 0)
  const known = all.reduce((s, c) => s + (c.known ? Math.round(c.max * 10) : 0), 0)
  const levels: ReadonlyArray<ConfidenceLevel> = ["High", "Medium", "Low"]
  let level = known * 100 >= applicable * 85 ? 0 : known * 100 >= applicable * 60 ? 1 : 2
  const notes: Array<string> = []
  const unknownLabels = all.filter((c) => !c.known).map((c) => c.label)
  if (unknownLabels.length > 0) notes.push(`scored with priors: ${unknownLabels.join(", ")}`)
  if (f.last_fetched === null) {
    notes.push("the data was never refreshed")
    level = Math.min(2, level + 1)
  } else if (f.last_fetched !== undefined && f.last_fetched < asOf - DPS1.confidence.staleDays * DAY) {
    notes.push(`data may be stale: last refreshed ${days(daysBetween(f.last_fetched, asOf))} d ago`)
    level = Math.min(2, level + 1)
  }
  if (f.vulnerabilities === undefined) notes.push("security advisories were not checked")
  const confidence: ScoreConfidence = {
    value: applicable === 0 ? 0 : divRound(known * 100, applicable) / 100,
    level: levels[level] ?? "Low",
    notes
  }

  // --- Labels and improvements
  const labels: Array<string> = []
  if (stableCurrent) labels.push("Stable & current")
  if (isNew) labels.push("New")
  if (major === 0 && !hasStable) labels.push("Pre-1.0")
  const improvements: Array<ScoreImprovement> = []
  for (const p of pillars)
    for (const c of p.components)
      if (c.hint !== undefined)
        improvements.push({
          key: `${p.key}.${c.key}`,
          hint: c.hint,
          gain: fromTenths(Math.round(c.max * 10) - c.tenths)
        })
  for (const fl of scoreFlags)
    if (fl.hint !== undefined)
      improvements.push({ key: `flag.${fl.key}`, hint: fl.hint, gain: fl.applied ? fromTenths(subtotal - flagged) : 0 })
  improvements.sort((a, b) => b.gain - a.gain || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))

  return {
    score,
    score_version: SCORE_VERSION,
    as_of: formatTimestamp(context.asOf, "UTC"),
    confidence,
    labels,
    flags: scoreFlags,
    pillars,
    total,
    improvements
  }
}

/**
 * The default ordering (§8.7): score descending, then the Adoption pillar descending, then slug ascending.
 */
export const compareScored = (
  a: { readonly slug: string; readonly report: ScoreReport },
  b: { readonly slug: string; readonly report: ScoreReport }
): number => {
  const adoption = (r: ScoreReport) => r.pillars.find((p) => p.key === "adoption")?.tenths ?? 0
  return (
    b.report.score - a.report.score ||
    adoption(b.report) - adoption(a.report) ||
    (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
  )
}
