/** The web login: a session cookie (httpOnly, SameSite=Strict) and its CSRF token for the dashboard. */
import { type Request, type Response, Router } from "express"
import { Effect, Either } from "effect"
import { Invalid } from "@packgrid/core/Domain/Errors"
import { Users } from "@packgrid/core/Store/Users"
import type { AppRuntime } from "../runtime.ts"
import { Login } from "../v4/schemas.ts"
import { actorOf, cookieValue, SESSION_COOKIE } from "./auth.ts"
import { decodeBody } from "./body.ts"
import { type Logger, run, send } from "./respond.ts"

const view = { name: "Session", description: "Sign in to edit through the web dashboard; API clients use tokens." }

const cookie = (req: Request, value: string, maxAgeSeconds: number) =>
  [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${maxAgeSeconds}`,
    ...(req.secure ? ["Secure"] : [])
  ].join("; ")

export const sessionRouter = (runtime: AppRuntime, log: Logger) => {
  const router = Router()
  const options = { allow: "GET, POST, DELETE, HEAD, OPTIONS", view, log }

  router.post("/", (req: Request, res: Response) =>
    run(
      runtime,
      req,
      res,
      Effect.gen(function* () {
        const input = yield* Either.match(decodeBody(Login, req.body), {
          onLeft: (errors) =>
            Effect.fail(
              new Invalid({
                issues: Object.entries(errors).flatMap(([path, ms]) => ms.map((message) => ({ path, message })))
              })
            ),
          onRight: Effect.succeed
        })
        return yield* Effect.flatMap(Users, (u) => u.login(input.username, input.password))
      }),
      (s) => {
        const maxAge = Math.floor((s.expires - Date.now() * 1000) / 1_000_000)
        res.setHeader("Set-Cookie", cookie(req, s.sessionId, maxAge))
        send(req, res, 200, { username: s.user.username, role: s.user.role, csrf_token: s.csrf }, options)
      },
      options
    )
  )

  router.get("/", (req: Request, res: Response) => {
    const actor = actorOf(res)
    if (actor === null) return send(req, res, 200, { username: null, role: null }, options)
    return send(req, res, 200, { username: actor.user.username, role: actor.user.role, via: actor.via }, options)
  })

  router.delete("/", (req: Request, res: Response) => {
    const session = cookieValue(req, SESSION_COOKIE)
    res.setHeader("Set-Cookie", cookie(req, "", 0))
    if (session === undefined) return send(req, res, 200, { detail: "Signed out." }, options)
    return run(
      runtime,
      req,
      res,
      Effect.flatMap(Users, (u) => u.logout(session)),
      () => send(req, res, 200, { detail: "Signed out." }, options),
      options
    )
  })
  return router
}
