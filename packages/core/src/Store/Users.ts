/** Users, their API tokens and web sessions. Keys and session ids are only ever stored hashed. */
import { SqlClient } from "@effect/sql"
import { Effect, type ParseResult, Schema } from "effect"
import type { SqlError } from "@effect/sql/SqlError"
import { hashPassword, keyPrefix, newSecret, newTokenKey, safeEqual, sha256, verifyPassword } from "../Auth/Secrets.ts"
import { Conflict, Invalid, NotFound, Unauthenticated } from "../Domain/Errors.ts"
import type { Timestamp } from "../Domain/Timestamp.ts"
import { ApiToken, type Role, User } from "../Domain/User.ts"
import { now } from "./Clock.ts"
import * as R from "./Rows.ts"

type ParseError = ParseResult.ParseError
const decodeUser = Schema.decodeUnknown(User)
const userFromRow = (r: R.Row): Effect.Effect<User, ParseError> =>
  decodeUser({ ...r, id: R.num(r.id), is_active: R.bool(r.is_active) })
const tokenFromRow = (r: R.Row) => Schema.decodeUnknown(ApiToken)({ ...r, id: R.num(r.id), user: R.num(r.user_id) })

const SESSION_MICROS = 14 * 24 * 3600 * 1_000_000

export class Users extends Effect.Service<Users>()("Store.Users", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const oneUser = (query: Effect.Effect<ReadonlyArray<R.Row>, SqlError>, key: string | number) =>
      R.mapReadError(
        Effect.gen(function* () {
          const [row] = yield* query
          if (row === undefined) return yield* new NotFound({ entity: "User", key })
          return yield* userFromRow(row)
        })
      )
    const byUsername = (username: string) =>
      oneUser(sql<R.Row>`SELECT * FROM users WHERE username = ${username}`, username)
    const byId = (id: number) => oneUser(sql<R.Row>`SELECT * FROM users WHERE id = ${id}`, id)

    const list = R.mapReadError(
      Effect.flatMap(sql<R.Row>`SELECT * FROM users ORDER BY id`, (rows) => Effect.forEach(rows, userFromRow))
    )

    /** Creates a user; a password is needed only for the web login (API clients use tokens). */
    const create = (input: { username: string; role: Role; email?: string | null; password?: string }) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const at = yield* now
            const user = yield* Effect.mapError(
              decodeUser({
                id: 1,
                username: input.username,
                email: input.email ?? null,
                role: input.role,
                is_active: true,
                created: at,
                last_login: null
              }),
              () =>
                new Invalid({
                  issues: [
                    { path: "username", message: "Enter a valid username: up to 150 letters, digits and @.+-_ only." }
                  ]
                })
            )
            if (input.password !== undefined && input.password.length < 8) {
              return yield* new Invalid({
                issues: [
                  { path: "password", message: "This password is too short. It must contain at least 8 characters." }
                ]
              })
            }
            const taken = yield* sql`SELECT id FROM users WHERE username = ${user.username}`
            if (taken.length > 0)
              return yield* new Conflict({ entity: "User", field: "username", value: user.username })
            const [row] = yield* sql<{ id: number }>`INSERT INTO users ${sql.insert({
              username: user.username,
              email: user.email,
              role: user.role,
              is_active: 1,
              created: at,
              password_hash: input.password === undefined ? null : hashPassword(input.password)
            })} RETURNING id`
            return User.make({ ...user, id: R.num(row!.id) as User["id"] })
          })
        )
        .pipe(R.mapWriteError("User"))

    const setRole = (username: string, role: Role) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const user = yield* byUsername(username)
            yield* sql`UPDATE users SET role = ${role} WHERE id = ${user.id}`
            return User.make({ ...user, role })
          })
        )
        .pipe(R.mapWriteError("User"))

    /** Makes a token for `username`; the key is returned here once and never again. */
    const createToken = (username: string, name: string) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const user = yield* byUsername(username)
            const key = newTokenKey()
            const at = yield* now
            const [row] = yield* sql<R.Row>`INSERT INTO api_tokens ${sql.insert({
              user_id: user.id,
              name,
              prefix: keyPrefix(key),
              hash: sha256(key),
              created: at
            })} RETURNING *`
            return { key, token: yield* tokenFromRow(row!) }
          })
        )
        .pipe(R.mapWriteError("ApiToken"))

    const tokens = (username: string) =>
      R.mapReadError(
        Effect.gen(function* () {
          const user = yield* byUsername(username)
          const rows = yield* sql<R.Row>`SELECT * FROM api_tokens WHERE user_id = ${user.id} ORDER BY id`
          return yield* Effect.forEach(rows, tokenFromRow)
        })
      )

    const revokeToken = (id: number) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const rows =
              yield* sql`UPDATE api_tokens SET revoked = ${yield* now} WHERE id = ${id} AND revoked IS NULL RETURNING id`
            if (rows.length === 0) {
              const exists = yield* sql`SELECT id FROM api_tokens WHERE id = ${id}`
              if (exists.length === 0) return yield* new NotFound({ entity: "ApiToken", key: id })
            }
          })
        )
        .pipe(R.mapWriteError("ApiToken"))

    const activeUser = (row: R.Row | undefined, reason: string): Effect.Effect<User, Unauthenticated | ParseError> =>
      row === undefined || !R.bool(row.is_active) ? Effect.fail(new Unauthenticated({ reason })) : userFromRow(row)

    /** The user a token key belongs to. Unknown, revoked and inactive are all "Invalid token." (DRF's words). */
    const authenticateToken = (key: string) =>
      R.mapReadError(
        Effect.gen(function* () {
          const hash = sha256(key)
          const candidates =
            yield* sql<R.Row>`SELECT t.hash, t.revoked, t.id AS token_id, u.* FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.prefix = ${keyPrefix(key)}`
          const match = candidates.find((c) => safeEqual(String(c.hash), hash))
          if (match === undefined || match.revoked !== null)
            return yield* new Unauthenticated({ reason: "Invalid token." })
          const user = yield* activeUser(match, "User inactive or deleted.")
          yield* sql`UPDATE api_tokens SET last_used = ${yield* now} WHERE id = ${R.num(match.token_id)}`
          return user
        })
      )

    /** Checks a password and opens a session: the session id (for the cookie) and its CSRF token. */
    const login = (username: string, password: string) =>
      sql
        .withTransaction(
          Effect.gen(function* () {
            const [row] = yield* sql<R.Row>`SELECT * FROM users WHERE username = ${username}`
            const stored = row?.password_hash
            // Same work whether or not the user exists, so timing does not reveal usernames.
            const ok =
              verifyPassword(password, typeof stored === "string" ? stored : DUMMY_HASH) && typeof stored === "string"
            if (!ok) return yield* new Unauthenticated({ reason: "Unable to log in with provided credentials." })
            const user = yield* activeUser(row, "User inactive or deleted.")
            const id = newSecret()
            const csrf = newSecret()
            const at = yield* now
            yield* sql`DELETE FROM sessions WHERE expires < ${at}`
            yield* sql`INSERT INTO sessions ${sql.insert({ id_hash: sha256(id), user_id: user.id, csrf, created: at, expires: at + SESSION_MICROS })}`
            yield* sql`UPDATE users SET last_login = ${at} WHERE id = ${user.id}`
            return { sessionId: id, csrf, user, expires: (at + SESSION_MICROS) as Timestamp }
          })
        )
        .pipe(R.mapWriteError("User"))

    /** The user and CSRF token of a live session. */
    const session = (sessionId: string) =>
      R.mapReadError(
        Effect.gen(function* () {
          const [row] =
            yield* sql<R.Row>`SELECT s.csrf, s.expires, u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ${sha256(sessionId)}`
          if (row === undefined || R.num(row.expires) < (yield* now))
            return yield* new Unauthenticated({ reason: "Session expired; sign in again." })
          return { user: yield* activeUser(row, "User inactive or deleted."), csrf: String(row.csrf) }
        })
      )

    const logout = (sessionId: string) =>
      R.mapWriteError("User")(Effect.asVoid(sql`DELETE FROM sessions WHERE id_hash = ${sha256(sessionId)}`))

    return {
      byUsername,
      byId,
      list,
      create,
      setRole,
      createToken,
      tokens,
      revokeToken,
      authenticateToken,
      login,
      session,
      logout
    } as const
  })
}) {}

const DUMMY_HASH = hashPassword("packgrid-timing-equaliser")
