import { useStdout } from "ink"
import { useEffect, useState } from "react"

const DEFAULT = { columns: 100, rows: 24 }

/** The terminal's size, updated when it is resized (a stream that is not a terminal reads as 100×24). */
export const useTerminalSize = () => {
  const { stdout } = useStdout()
  const read = () => ({ columns: stdout.columns || DEFAULT.columns, rows: stdout.rows || DEFAULT.rows })
  const [size, setSize] = useState(read)
  useEffect(() => {
    const onResize = () => setSize(read())
    stdout.on("resize", onResize)
    return () => {
      stdout.off("resize", onResize)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout])
  return size
}
