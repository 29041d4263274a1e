/** @jsxRuntime automatic */
import { Box, Text } from "ink"
import type { PackageView } from "../source.ts"
import { formatCount, formatDate, sparkline } from "./format.ts"

const Field = ({ label, children }: { readonly label: string; readonly children: string }) => (
  <Text wrap="truncate">
    <Text dimColor>{label.padEnd(14)}</Text>
    {children}
  </Text>
)

/** One package's facts. */
export const PackageDetail = ({ pkg }: { readonly pkg: PackageView }) => {
  const total = pkg.commits.reduce((a, b) => a + b, 0)
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>{pkg.title}</Text>
        <Text dimColor>{`  (${pkg.slug})`}</Text>
      </Text>
      <Text>{pkg.description === "" ? " " : pkg.description}</Text>
      <Text> </Text>
      <Field label="Repository">{pkg.repoUrl}</Field>
      <Field label="PyPI version">{pkg.pypiVersion ?? "—"}</Field>
      <Field label="Stars">{formatCount(pkg.stars)}</Field>
      <Field label="Forks">{formatCount(pkg.forks)}</Field>
      <Field label="Participants">{formatCount(pkg.participants)}</Field>
      <Field label="Last commit">{formatDate(pkg.lastCommit)}</Field>
      <Text> </Text>
      {pkg.commits.length === 0 ? (
        <Text dimColor>Commits over 52 weeks: not fetched yet</Text>
      ) : (
        <>
          <Text dimColor>{`Commits over 52 weeks (${formatCount(total)} in all)`}</Text>
          <Text color="cyan">{sparkline(pkg.commits)}</Text>
        </>
      )}
    </Box>
  )
}
