import type { Logger } from "./http/respond.ts"

/** One JSON line per event on stdout; callers never pass secrets (no headers, no bodies, no query strings). */
export const jsonLogger: Logger = (message, fields = {}) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg: message, ...fields })}\n`)
}

export const silentLogger: Logger = () => {}
