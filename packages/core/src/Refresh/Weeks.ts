/**
 * `commits_over_52w`: commits per calendar week (Monday first) over the last 52 weeks, oldest first,
 * index 51 being the week of `asOf` — the reference's `_process_commit_counts` (§3.4), as pure functions
 * of commit dates and an explicit `asOf`.
 *
 * Weeks are UTC weeks. The reference took each commit's date in the committer's own offset, so the
 * same commit could land in different weeks depending on where it was made; UTC is one rule for all.
 */
import type { Timestamp } from "../Domain/Timestamp.ts"

export const WEEKS = 52

const DAY = 86_400_000_000
const WEEK = 7 * DAY
const SECOND = 1_000_000

// Python's date(1970, 1, 1).toordinal() - 1: days from 0001-01-01 (a Monday) to the Unix epoch.
const EPOCH_ORDINAL_MINUS_ONE = 719_162

/** Absolute week number of the UTC date of `t`, weeks starting Monday: `(date.toordinal() - 1) // 7`. */
export const weekIndex = (t: Timestamp): number => Math.floor((Math.floor(t / DAY) + EPOCH_ORDINAL_MINUS_ONE) / 7)

/** 52 zeros. */
export const emptyWeeks = (): Array<number> => new Array<number>(WEEKS).fill(0)

/** 52 weeks before `asOf`: where a fresh count starts. */
export const windowStart = (asOf: Timestamp): Timestamp => (asOf - WEEKS * WEEK) as Timestamp

/** Counts made at `asOf`, so that a later count can start from them. */
export interface WeeksSnapshot {
  readonly weeks: ReadonlyArray<number>
  readonly asOf: Timestamp
}

/** Adds each commit at or after `since` to its week; commits outside the 52 weeks ending at `asOf` are dropped. */
export const addCommits = (
  weeks: ReadonlyArray<number>,
  commitDates: Iterable<Timestamp>,
  asOf: Timestamp,
  since: Timestamp = windowStart(asOf)
): Array<number> => {
  const out = [...weeks]
  const current = weekIndex(asOf)
  for (const date of commitDates) {
    if (date < since) continue
    const i = WEEKS - 1 - (current - weekIndex(date))
    if (i >= 0 && i < WEEKS) out[i] = out[i]! + 1
  }
  return out
}

/** A fresh count: the commits of the 52 weeks ending at `asOf`, bucketed by week, oldest first. */
export const bucketWeeks = (commitDates: Iterable<Timestamp>, asOf: Timestamp): Array<number> =>
  addCommits(emptyWeeks(), commitDates, asOf)

/** Moves counts made at `from` to the weeks of `to`: older weeks fall off the front, new weeks start at 0. */
export const shiftWeeks = (weeks: ReadonlyArray<number>, from: Timestamp, to: Timestamp): Array<number> => {
  const diff = weekIndex(to) - weekIndex(from)
  if (diff <= 0) return [...weeks]
  if (diff >= weeks.length) return new Array<number>(weeks.length).fill(0)
  return [...weeks.slice(diff), ...new Array<number>(diff).fill(0)]
}

/**
 * Where the next count starts. Incremental (the reference's rule) when there is a previous count made
 * within the last 52 weeks: fetch commits from one second after it and add them to the shifted counts;
 * otherwise fetch the whole 52-week window and start from zeros.
 */
export const planWeeks = (
  previous: WeeksSnapshot | null,
  asOf: Timestamp
): { readonly since: Timestamp; readonly base: Array<number>; readonly incremental: boolean } =>
  previous !== null && previous.weeks.length === WEEKS && previous.asOf > windowStart(asOf)
    ? {
        since: (previous.asOf + SECOND) as Timestamp,
        base: shiftWeeks(previous.weeks, previous.asOf, asOf),
        incremental: true
      }
    : { since: windowStart(asOf), base: emptyWeeks(), incremental: false }

/** The counts at `asOf` from a previous snapshot (or none) and the commits fetched since `planWeeks(...).since`. */
export const updateWeeks = (
  previous: WeeksSnapshot | null,
  commitDates: Iterable<Timestamp>,
  asOf: Timestamp
): Array<number> => {
  const { base, since } = planWeeks(previous, asOf)
  return addCommits(base, commitDates, asOf, since)
}
