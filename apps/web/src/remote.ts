import { useEffect, useState } from "react"

/** The state of one request; `stale` keeps the last value on screen while the next one loads. */
export type Remote<T> =
  | { readonly state: "loading"; readonly stale: T | null }
  | { readonly state: "loaded"; readonly value: T }
  | { readonly state: "failed"; readonly error: Error }

/**
 * Runs `load` whenever `key` changes (or on retry) and aborts the request it supersedes,
 * so a slow earlier page can never overwrite a later one.
 */
export function useRemote<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>
): { readonly remote: Remote<T>; readonly retry: () => void } {
  const [remote, setRemote] = useState<Remote<T>>({ state: "loading", stale: null })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    const controller = new AbortController()
    setRemote((previous) => ({ state: "loading", stale: previous.state === "loaded" ? previous.value : null }))
    load(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setRemote({ state: "loaded", value })
      },
      (cause: unknown) => {
        if (!controller.signal.aborted) setRemote({ state: "failed", error: asError(cause) })
      }
    )
    return () => controller.abort()
    // `load` is a fresh closure each render; `key` names what it loads.
  }, [key, attempt])

  return { remote, retry: () => setAttempt((n) => n + 1) }
}

function asError(cause: unknown): Error {
  return cause instanceof Error ? cause : new Error(String(cause))
}
