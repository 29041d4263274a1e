/** Every domain failure's HTTP answer, in one table (DRF's body shapes). */
import { Cause, Exit, Option } from "effect"

export interface HttpError {
  readonly status: number
  readonly body: unknown
}

type Tagged = { readonly _tag: string; readonly message: string } & Record<string, unknown>

const table: Record<string, (e: Tagged) => HttpError> = {
  NotFound: (e) => ({ status: 404, body: { detail: e.message } }),
  Conflict: (e) => ({ status: 400, body: { [String(e.field)]: [e.message] } }),
  Invalid: (e) => ({
    status: 400,
    body: groupIssues((e.issues as ReadonlyArray<{ path: string; message: string }>) ?? [])
  }),
  StillReferenced: (e) => ({ status: 409, body: { detail: e.message } }),
  CatalogueInvalid: (e) => ({ status: 400, body: { detail: e.message } }),
  Unauthenticated: (e) => ({ status: 401, body: { detail: e.message } }),
  Forbidden: (e) => ({ status: 403, body: { detail: e.message } }),
  PreconditionFailed: (e) => ({ status: 412, body: { detail: e.message } }),
  StoreUnavailable: () => ({ status: 503, body: { detail: "The database is unavailable; try again shortly." } })
}

/** DRF's validation body: `{"field": ["message", …]}`, with `non_field_errors` for the whole object. */
export const groupIssues = (issues: ReadonlyArray<{ path: string; message: string }>) => {
  // A Map, not `{}`: a client's field may be called `__proto__` or `constructor`.
  const byField = new Map<string, Array<string>>()
  for (const i of issues) {
    const field = i.path === "" ? "non_field_errors" : i.path
    const messages = byField.get(field)
    if (messages === undefined) byField.set(field, [i.message])
    else messages.push(i.message)
  }
  return Object.fromEntries(byField) as Record<string, Array<string>>
}

/** The answer for a failed effect: a known tagged error by the table, anything else a 500 (and logged). */
export const httpErrorOf = (exit: Exit.Exit<unknown, unknown>, log: (cause: unknown) => void): HttpError => {
  if (Exit.isSuccess(exit)) return { status: 500, body: { detail: "A server error occurred." } }
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) {
    const e = failure.value as Tagged
    const map = typeof e === "object" && e !== null ? table[e._tag] : undefined
    if (map !== undefined) {
      if (e._tag === "StoreUnavailable") log(e)
      return map(e)
    }
  }
  log(Cause.pretty(exit.cause))
  return { status: 500, body: { detail: "A server error occurred." } }
}
