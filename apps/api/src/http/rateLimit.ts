/**
 * A per-key sliding-window limit (the API's "refresh this package": a few per user per window), kept in
 * this process's memory: behind several server processes each one counts its own requests.
 */

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number }

export interface RateLimiter {
  /** Counts one request for `key` when the window has room; otherwise says how long until it has. */
  readonly take: (key: string | number) => Verdict
}

export const rateLimiter = (limit: number, windowMillis: number, now: () => number = Date.now): RateLimiter => {
  const hits = new Map<string | number, Array<number>>()
  let sweptAt = now()
  return {
    take: (key) => {
      const t = now()
      // Now and then, forget the keys whose window is empty, so the map does not grow with every user ever seen.
      if (t - sweptAt > windowMillis) {
        for (const [k, times] of hits) if (times.every((h) => h <= t - windowMillis)) hits.delete(k)
        sweptAt = t
      }
      const recent = (hits.get(key) ?? []).filter((h) => h > t - windowMillis)
      if (recent.length >= limit) {
        hits.set(key, recent)
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + windowMillis - t) / 1000)) }
      }
      recent.push(t)
      hits.set(key, recent)
      return { ok: true }
    }
  }
}
