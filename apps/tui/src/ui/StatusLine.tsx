/** @jsxRuntime automatic */
import { Text } from "ink"

export interface StatusLineProps {
  readonly loading: string | null
  readonly error: string | null
  /** The filter being typed, or null when not filtering. */
  readonly filterDraft: string | null
  readonly hint: string
}

/** The bottom line: the filter prompt, an error, a loading note, or the keys. */
export const StatusLine = ({ loading, error, filterDraft, hint }: StatusLineProps) => {
  if (filterDraft !== null) {
    return (
      <Text wrap="truncate">
        <Text color="yellow">/</Text>
        {filterDraft}
        <Text inverse> </Text>
        <Text dimColor>{"   Enter apply · Esc cancel"}</Text>
      </Text>
    )
  }
  if (error !== null) {
    return <Text color="red">{`Error: ${error} — press r to retry`}</Text>
  }
  if (loading !== null) {
    return (
      <Text color="yellow" wrap="truncate">
        {loading}
      </Text>
    )
  }
  return (
    <Text dimColor wrap="truncate">
      {hint}
    </Text>
  )
}
