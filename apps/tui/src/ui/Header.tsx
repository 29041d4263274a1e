/** @jsxRuntime automatic */
import { Box, Text } from "ink"
import { formatCount } from "./format.ts"

export interface HeaderProps {
  /** Packages in the whole catalogue; null until the first page arrives. */
  readonly count: number | null
  readonly source: string
  /** The loaded page: its first position and how many rows it holds. */
  readonly offset: number
  readonly pageLength: number
  readonly pageSize: number
}

/** The title line: catalogue size, where it comes from, and which page is on screen. */
export const Header = ({ count, source, offset, pageLength, pageSize }: HeaderProps) => {
  const pages = count === null ? null : Math.max(1, Math.ceil(count / pageSize))
  const page = Math.floor(offset / pageSize) + 1
  return (
    <Box>
      <Text wrap="truncate">
        <Text bold color="green">
          packgrid
        </Text>
        {" · "}
        <Text bold>{count === null ? "…" : `${formatCount(count)} ${count === 1 ? "package" : "packages"}`}</Text>
        {" · "}
        <Text dimColor>{source}</Text>
        {pages !== null && pageLength > 0
          ? ` · page ${formatCount(page)}/${formatCount(pages)} (${formatCount(offset + 1)}–${formatCount(offset + pageLength)})`
          : ""}
      </Text>
    </Box>
  )
}
