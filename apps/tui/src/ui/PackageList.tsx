/** @jsxRuntime automatic */
import { Box, Text } from "ink"
import type { PackageView } from "../source.ts"
import { fit, fitRight, formatCount, formatDate, sparkline } from "./format.ts"
import { windowStart } from "./navigation.ts"

const STARS = 7
const FORKS = 6
const DATE = 11
const WEEKS = 52
/** Everything but the title: marker, then a space before each other column. */
const FIXED = 2 + 1 + STARS + 1 + FORKS + 1 + DATE + 1 + WEEKS

/** The title column takes what the terminal leaves (never writing its last column, which wraps on some terminals). */
export const titleWidth = (columns: number) => Math.max(12, Math.min(48, columns - FIXED - 1))

export const headerRow = (columns: number) =>
  `  ${fit("Package", titleWidth(columns))} ${fitRight("Stars", STARS)} ${fitRight("Forks", FORKS)} ${fit("Last commit", DATE)} Commits, 52 weeks`

/** One package as a fixed-width line. */
export const packageRow = (p: PackageView, selected: boolean, columns: number) =>
  `${selected ? "› " : "  "}${fit(p.title, titleWidth(columns))} ${fitRight(formatCount(p.stars), STARS)} ${fitRight(
    formatCount(p.forks),
    FORKS
  )} ${fit(formatDate(p.lastCommit), DATE)} ${p.commits.length === 0 ? "(not fetched)" : sparkline(p.commits)}`

export interface PackageListProps {
  readonly rows: ReadonlyArray<PackageView>
  readonly selected: number
  readonly top: number
  /** Rows of packages that fit on screen. */
  readonly height: number
  readonly columns: number
  /** Shown instead of rows when there are none. */
  readonly empty: string
}

/** The package table: a column header and the window of rows around the selection. */
export const PackageList = ({ rows, selected, top, height, columns, empty }: PackageListProps) => {
  const start = windowStart(top, selected, height, rows.length)
  const shown = rows.slice(start, start + Math.max(1, height))
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {headerRow(columns)}
      </Text>
      {rows.length === 0 ? (
        <Text dimColor> {empty}</Text>
      ) : (
        shown.map((p, i) => {
          const isSelected = start + i === selected
          return (
            <Text key={p.slug} wrap="truncate" inverse={isSelected}>
              {packageRow(p, isSelected, columns)}
            </Text>
          )
        })
      )}
      {rows.length > shown.length ? (
        <Text dimColor wrap="truncate">
          {`  ${start + 1}–${start + shown.length} of ${rows.length} on this page`}
        </Text>
      ) : null}
    </Box>
  )
}
