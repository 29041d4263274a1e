/** Waiting on what ink-testing-library renders, and typing into it, without fixed sleeps in the tests. */
import { setTimeout as sleep } from "node:timers/promises"

export const ESC = "\u001B"
export const ENTER = "\r"
export const DOWN = "\u001B[B"
export const UP = "\u001B[A"
export const PAGE_DOWN = "\u001B[6~"
export const PAGE_UP = "\u001B[5~"
export const BACKSPACE = "\u007F"

/** Resolves with the first frame that satisfies `ok`; fails with the last frame after `timeoutMs`. */
export const frameWhere = async (
  lastFrame: () => string | undefined,
  ok: (frame: string) => boolean,
  timeoutMs = 5000
) => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const frame = lastFrame() ?? ""
    if (ok(frame)) return frame
    if (Date.now() > deadline) throw new Error(`no frame matched within ${timeoutMs} ms; the last one was:\n${frame}`)
    await sleep(10)
  }
}

export const frameWith = (lastFrame: () => string | undefined, text: string, timeoutMs?: number) =>
  frameWhere(lastFrame, (f) => f.includes(text), timeoutMs)

/**
 * Writes keys one read at a time, letting Ink (which holds a lone Escape for one tick) and React
 * settle between them, as a person typing would.
 */
export const type = async (stdin: { write: (data: string) => void }, ...keys: ReadonlyArray<string>) => {
  for (const key of keys) {
    stdin.write(key)
    await sleep(25)
  }
}

/** The line of `frame` that contains `text`. */
export const lineWith = (frame: string, text: string) => frame.split("\n").find((l) => l.includes(text))
