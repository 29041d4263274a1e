/**
 * Django and CPython feature releases as data: what the compatibility pillar of the package score
 * (SCORING.md §8.4 B) measures declarations against.
 *
 * Sources: djangoproject.com/download "Supported versions" and the Django roadmap; devguide.python.org
 * "Status of Python versions" and the release-schedule PEPs (602, 745, 790). Dates are UTC calendar days.
 * Django announces end of support by month only ("April 2027"): those are recorded as the first day of that
 * month. Python's future end-of-life dates are the PEP 602 five-year window, recorded as the last day of
 * the announced month.
 *
 * Uncertainty, as of 2026-12-03: Django 6.1 (August 2026 on the roadmap) and Python 3.15 (PEP 790:
 * 2026-10-01) are recorded on their scheduled dates, which were not verified against the actual
 * announcements when this table was written; Django 6.2 and Python 3.16 are not released yet and are
 * marked `expected`. test/Scoring/ReleaseTables.test.ts fails, on the real clock, once an expected date
 * has passed or the newest release is older than one release cycle: update this file then.
 */
import { type Timestamp } from "../Domain/Timestamp.ts"
import { isoDate } from "./internal/Calendar.ts"

/** One feature release (Django X.Y, CPython X.Y). */
export interface FeatureRelease {
  /** `X.Y` */
  readonly version: string
  /** Day of the first final release (YYYY-MM-DD, UTC). */
  readonly released: string
  /** First day without (security) support (YYYY-MM-DD, UTC). */
  readonly end_of_support: string
  /** A Django long-term-support release. */
  readonly lts?: boolean
  /** The dates come from a published schedule: the release has not happened yet. */
  readonly expected?: boolean
}

/** The release tables a score is computed against; part of the scoring context. */
export interface ReleaseTables {
  /** Day this data was last reviewed (YYYY-MM-DD). */
  readonly reviewed: string
  readonly django: ReadonlyArray<FeatureRelease>
  readonly python: ReadonlyArray<FeatureRelease>
}

const r = (
  version: string,
  released: string,
  end_of_support: string,
  extra: Pick<FeatureRelease, "lts" | "expected"> = {}
): FeatureRelease => ({ version, released, end_of_support, ...extra })

/** The built-in tables (oldest first). */
export const RELEASE_TABLES: ReleaseTables = {
  reviewed: "2026-12-03",
  django: [
    r("1.0", "2008-09-03", "2010-05-17"),
    r("1.1", "2009-07-29", "2011-03-23"),
    r("1.2", "2010-05-17", "2012-03-23"),
    r("1.3", "2011-03-23", "2013-02-26"),
    r("1.4", "2012-03-23", "2015-10-01", { lts: true }),
    r("1.5", "2013-02-26", "2014-09-02"),
    r("1.6", "2013-11-06", "2015-04-01"),
    r("1.7", "2014-09-02", "2015-12-01"),
    r("1.8", "2015-04-01", "2018-04-01", { lts: true }),
    r("1.9", "2015-12-01", "2017-04-01"),
    r("1.10", "2016-08-01", "2017-12-01"),
    r("1.11", "2017-04-04", "2020-04-01", { lts: true }),
    r("2.0", "2017-12-02", "2019-04-01"),
    r("2.1", "2018-08-01", "2019-12-01"),
    r("2.2", "2019-04-01", "2022-04-01", { lts: true }),
    r("3.0", "2019-12-02", "2021-04-01"),
    r("3.1", "2020-08-04", "2021-12-01"),
    r("3.2", "2021-04-06", "2024-04-01", { lts: true }),
    r("4.0", "2021-12-07", "2023-04-01"),
    r("4.1", "2022-08-03", "2023-12-01"),
    r("4.2", "2023-04-03", "2026-04-01", { lts: true }),
    r("5.0", "2023-12-04", "2025-04-01"),
    r("5.1", "2024-08-07", "2025-12-01"),
    r("5.2", "2025-04-02", "2028-04-01", { lts: true }),
    r("6.0", "2025-12-03", "2027-04-01"),
    // Roadmap date ("August 2026"); the exact day was not verified.
    r("6.1", "2026-08-05", "2027-12-01"),
    r("6.2", "2027-04-01", "2030-04-01", { lts: true, expected: true })
  ],
  python: [
    r("2.6", "2008-10-01", "2013-10-29"),
    r("2.7", "2010-07-03", "2020-01-01"),
    r("3.0", "2008-12-03", "2009-06-27"),
    r("3.1", "2009-06-27", "2012-04-09"),
    r("3.2", "2011-02-20", "2016-02-20"),
    r("3.3", "2012-09-29", "2017-09-29"),
    r("3.4", "2014-03-16", "2019-03-18"),
    r("3.5", "2015-09-13", "2020-09-30"),
    r("3.6", "2016-12-23", "2021-12-23"),
    r("3.7", "2018-06-27", "2023-06-27"),
    r("3.8", "2019-10-14", "2024-10-07"),
    r("3.9", "2020-10-05", "2025-10-31"),
    r("3.10", "2021-10-04", "2026-10-31"),
    r("3.11", "2022-10-24", "2027-10-31"),
    r("3.12", "2023-10-02", "2028-10-31"),
    r("3.13", "2024-10-07", "2029-10-31"),
    r("3.14", "2025-10-07", "2030-10-31"),
    // PEP 790's scheduled day; not verified against the actual release.
    r("3.15", "2026-10-01", "2031-10-31"),
    r("3.16", "2027-10-01", "2032-10-31", { expected: true })
  ]
}

/** A feature release with its dates as Timestamps and its version as numbers. */
export interface ResolvedRelease {
  readonly version: string
  readonly major: number
  readonly minor: number
  readonly released: Timestamp
  readonly endOfSupport: Timestamp
  readonly lts: boolean
}

const resolved = new WeakMap<ReadonlyArray<FeatureRelease>, ReadonlyArray<ResolvedRelease>>()

/** A table's entries with parsed dates, ordered by version. */
export const resolve = (table: ReadonlyArray<FeatureRelease>): ReadonlyArray<ResolvedRelease> => {
  const cached = resolved.get(table)
  if (cached !== undefined) return cached
  const out = table
    .map((e) => {
      const [major, minor] = e.version.split(".").map(Number)
      return {
        version: e.version,
        major: major ?? 0,
        minor: minor ?? 0,
        released: isoDate(e.released),
        endOfSupport: isoDate(e.end_of_support),
        lts: e.lts === true
      }
    })
    .sort((a, b) => compareFeature(a, b))
  resolved.set(table, out)
  return out
}

/** Orders feature versions by (major, minor). */
export const compareFeature = (
  a: { readonly major: number; readonly minor: number },
  b: { readonly major: number; readonly minor: number }
): number => a.major - b.major || a.minor - b.minor

/** Releases supported at `asOf`: released on or before it, and not yet at end of support. */
export const supportedAt = (table: ReadonlyArray<ResolvedRelease>, asOf: number): ReadonlyArray<ResolvedRelease> =>
  table.filter((e) => e.released <= asOf && asOf < e.endOfSupport)

/** The newest release published at least `graceMicros` before `asOf`, if any. */
export const targetAt = (
  table: ReadonlyArray<ResolvedRelease>,
  asOf: number,
  graceMicros: number
): ResolvedRelease | undefined => {
  let target: ResolvedRelease | undefined
  for (const e of table)
    if (e.released <= asOf - graceMicros && (target === undefined || compareFeature(e, target) > 0)) target = e
  return target
}
