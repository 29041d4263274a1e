/**
 * Who is calling: `Authorization: Token <key>` (API clients) or the web login's session cookie. A wrong
 * token is refused at once, even for reads, as DRF does; a session write must carry its CSRF token
 * (double submit: `X-CSRFToken` equal to the session's), which the SameSite=Strict cookie backs up.
 */
import type { NextFunction, Request, Response } from "express"
import { Effect, Exit } from "effect"
import { safeEqual } from "@packgrid/core/Auth/Secrets"
import type { User } from "@packgrid/core/Domain/User"
import { Users } from "@packgrid/core/Store/Users"
import type { AppRuntime } from "../runtime.ts"
import { httpErrorOf } from "./errors.ts"
import { type Logger, READ_ONLY, send } from "./respond.ts"

export const SESSION_COOKIE = "packgrid_session"

export interface Actor {
  readonly user: User
  readonly via: "token" | "session"
}

/** The caller of this request, or null when anonymous. */
export const actorOf = (res: Response): Actor | null => (res.locals.actor as Actor | undefined) ?? null

const SAFE = new Set(["GET", "HEAD", "OPTIONS"])

export const cookieValue = (req: Request, name: string): string | undefined => {
  for (const part of (req.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=")
    if (eq !== -1 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim()
      // A malformed escape (`%E0%A4%A`) is kept as it is, as Django's cookie parser does: no such session.
      try {
        return decodeURIComponent(value)
      } catch {
        return value
      }
    }
  }
  return undefined
}

const refuse = (req: Request, res: Response, status: number, detail: string, headers: Record<string, string> = {}) =>
  send(req, res, status, { detail }, { allow: READ_ONLY, view: { name: "Authentication", description: "" }, headers })

export const authenticate =
  (runtime: AppRuntime, log: Logger) => async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get("authorization")
    if (header !== undefined) {
      const match = /^Token\s+(\S+)\s*$/i.exec(header)
      if (match === null) {
        return refuse(
          req,
          res,
          401,
          header.toLowerCase().startsWith("token")
            ? "Invalid token header. Token string should not contain spaces."
            : "Authentication credentials were not provided.",
          { "WWW-Authenticate": "Token" }
        )
      }
      const exit = await runtime.runPromiseExit(Effect.flatMap(Users, (u) => u.authenticateToken(match[1]!)))
      if (Exit.isFailure(exit)) {
        const error = httpErrorOf(exit, (cause) => log("authentication failed", { cause: String(cause) }))
        return send(req, res, error.status, error.body, {
          allow: READ_ONLY,
          view: { name: "Authentication", description: "" },
          headers: { "WWW-Authenticate": "Token" }
        })
      }
      res.locals.actor = { user: exit.value, via: "token" } satisfies Actor
      return next()
    }
    const session = cookieValue(req, SESSION_COOKIE)
    if (session !== undefined) {
      const exit = await runtime.runPromiseExit(Effect.flatMap(Users, (u) => u.session(session)))
      // An expired or unknown session is simply anonymous: the browser keeps a stale cookie for a while.
      if (Exit.isSuccess(exit)) {
        if (!SAFE.has(req.method) && !safeEqual(req.get("x-csrftoken") ?? "", exit.value.csrf)) {
          return refuse(req, res, 403, "CSRF Failed: CSRF token missing or incorrect.")
        }
        res.locals.actor = { user: exit.value.user, via: "session" } satisfies Actor
      }
    }
    next()
  }
