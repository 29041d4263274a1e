import { useStdout } from "ink"
import { useEffect, useState } from "react"

const DEFAULT = { columns: 100, rows: 24 }

const sizeOf = (stdout: NodeJS.WriteStream) => ({
  columns: stdout.columns || DEFAULT.columns,
  rows: stdout.rows || DEFAULT.rows
})

/** The terminal's size, updated when it is resized (a stream that is not a terminal reads as 100×24). */
export const useTerminalSize = () => {
  const { stdout } = useStdout()
  const [size, setSize] = useState(() => sizeOf(stdout))
  useEffect(() => {
    const onResize = () => setSize(sizeOf(stdout))
    stdout.on("resize", onResize)
    return () => {
      stdout.off("resize", onResize)
    }
  }, [stdout])
  return size
}
